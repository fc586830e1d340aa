import GigaEngine

/// `layers.TextTransformer`: frozen-encoder token features [1, T, E] → (t_global [D], t_local [1, T, D]).
///
/// `x = proj_in(features)`; a learned `global_token` is prepended; `text_depth` pre-LayerNorm layers
/// (attention with the key mask, then a LayerNorm feed-forward); `norm_out`. t_global is output
/// token 0, t_local the remaining T tokens.
final class TextTransformer {
    struct Layer {
        var norm: LayerNormParameters
        var toQ, toK, toV, toOut: Linear
        var feedForward: FeedForward
    }
    let dim: Int
    let heads: Int
    let projIn: Linear
    let globalToken: [Float]
    let layers: [Layer]
    let normOut: LayerNormParameters

    init(_ store: WeightStore, config: GeneratorConfig) throws {
        let d = config.textDim
        dim = d
        heads = config.textHeads
        projIn = try store.linear("text.proj_in", in: config.textEmbedDim, out: d)
        globalToken = try store.floats("text.global_token", shape: [d])
        layers = try (0..<config.textDepth).map { l in
            let p = "text.layers.\(l)"
            return Layer(norm: try store.layerNorm("\(p).attn.norm", dim: d),
                         toQ: try store.linear("\(p).attn.to_q", in: d, out: d),
                         toK: try store.linear("\(p).attn.to_k", in: d, out: d),
                         toV: try store.linear("\(p).attn.to_v", in: d, out: d),
                         toOut: try store.linear("\(p).attn.to_out", in: d, out: d),
                         feedForward: try FeedForward(store, "\(p).ff", dim: d, mult: config.ffMult, layerNorm: true))
        }
        normOut = try store.layerNorm("text.norm_out", dim: d)
    }

    /// `features` [1, T, E], `mask` T values (true = real token).
    func callAsFunction(_ features: Tensor, mask: [Bool], in context: ComputeContext) throws -> (global: [Float], local: Tensor) {
        let t = features.shape[1]
        let projected = try projIn(features, in: context)
        var x = Tensor(shape: [1, t + 1, dim], storage: globalToken + projected.storage)
        let keyMask = [true] + mask
        for layer in layers {
            let n = try layer.norm(x)
            let attended = try Ops.attention(query: layer.toQ(n, in: context), key: layer.toK(n, in: context),
                                             value: layer.toV(n, in: context), heads: heads, keyMask: keyMask)
            x = try Ops.add(x, layer.toOut(attended, in: context))
            x = try layer.feedForward(x, in: context)
        }
        x = try normOut(x)
        return (Array(x.storage[..<dim]), Tensor(shape: [1, t, dim], storage: Array(x.storage[dim...])))
    }
}

/// `layers.Mapping`: `w = (LeakyReLU(0.2) ∘ Linear)^depth (concat(z / max(‖z‖, 1e-12), t_global))`.
final class MappingNetwork {
    let layers: [Linear]

    init(_ store: WeightStore, config: GeneratorConfig) throws {
        let dims = [config.zDim + config.textDim] + [Int](repeating: config.wDim, count: config.mappingDepth)
        layers = try (0..<config.mappingDepth).map { l in
            try store.linear("mapping.layers.\(l)", in: dims[l], out: dims[l + 1])
        }
    }

    func callAsFunction(z: [Float], tGlobal: [Float], in context: ComputeContext) throws -> Tensor {
        var sumOfSquares: Float = 0
        for v in z { sumOfSquares += v * v }
        let norm = max(sumOfSquares.squareRoot(), 1e-12)
        var x = Tensor(shape: [1, z.count + tGlobal.count], storage: z.map { $0 / norm } + tGlobal)
        for layer in layers { x = Ops.leakyReLU(try layer(x, in: context), slope: 0.2) }
        return x
    }
}
