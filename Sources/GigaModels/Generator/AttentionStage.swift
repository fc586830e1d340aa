import GigaEngine

/// Cross-attention keys and values of one `cross_attn` module, computed once per image from
/// t_local: [1, T, width] each, heads head-major in the channels.
public struct CrossAttentionKV: Sendable {
    public var key: Tensor
    public var value: Tensor
}

/// `x + fc2(GELU(fc1(norm(x))))` on tokens; the norm is RMSNorm (image side) or LayerNorm (text
/// side). The GELU is fc1's fused oneDNN epilogue.
final class FeedForward {
    enum Norm { case rms(gamma: [Float]), layer(weight: [Float], bias: [Float]) }
    let norm: Norm
    let fc1: Linear
    let fc2: Linear

    init(_ store: WeightStore, _ prefix: String, dim: Int, mult: Int, layerNorm: Bool) throws {
        norm = layerNorm
            ? try { let n = try store.layerNorm("\(prefix).norm", dim: dim); return .layer(weight: n.weight, bias: n.bias) }()
            : .rms(gamma: try store.floats("\(prefix).norm.gamma", shape: [dim]))
        fc1 = try store.linear("\(prefix).fc1", in: dim, out: dim * mult, activation: .gelu)
        fc2 = try store.linear("\(prefix).fc2", in: dim * mult, out: dim)
    }

    func callAsFunction(_ x: Tensor, in context: ComputeContext) throws -> Tensor {
        let n: Tensor
        switch norm {
        case .rms(let gamma): n = try Ops.rmsNorm(x, gamma: gamma)
        case .layer(let weight, let bias): n = try Ops.layerNorm(x, weight: weight, bias: bias)
        }
        return try Ops.add(x, fc2(fc1(n, in: context), in: context))   // fc1 ends in the exact GELU
    }
}

/// `layers.TiedL2SelfAttention`: `x + to_out(l2Attention(q = k = to_qk(n), v = to_v(n)))`, n = RMSNorm(x).
final class TiedL2SelfAttention {
    let heads: Int
    let gamma: [Float]
    let toQK: Linear
    let toV: Linear
    let toOut: Linear
    private let attention: AttentionLayer

    init(_ store: WeightStore, _ prefix: String, dim: Int, heads: Int) throws {
        self.heads = heads
        attention = AttentionLayer(name: "\(prefix).attention")
        gamma = try store.floats("\(prefix).norm.gamma", shape: [dim])
        toQK = try store.linear("\(prefix).to_qk", in: dim, out: dim, bias: false)
        toV = try store.linear("\(prefix).to_v", in: dim, out: dim, bias: false)
        toOut = try store.linear("\(prefix).to_out", in: dim, out: dim)
    }

    func callAsFunction(_ x: Tensor, in context: ComputeContext) throws -> Tensor {
        let n = try Ops.rmsNorm(x, gamma: gamma)
        let attended = try attention.l2Attention(queryKey: toQK(n, in: context), value: toV(n, in: context), heads: heads,
                                                 in: context)
        return try Ops.add(x, toOut(attended, in: context))
    }
}

/// `layers.CrossAttention`: `x + to_out(attention(q = to_q(RMSNorm(x)), K, V, text key mask))`;
/// K = to_k(t_local) and V = to_v(t_local) are prepared once per image.
final class CrossAttention {
    /// The module path (the conditioning's key), e.g. "bottleneck.attn.layers.0.cross_attn".
    let name: String
    let heads: Int
    let gamma: [Float]
    let toQ: Linear
    let toK: Linear
    let toV: Linear
    let toOut: Linear
    private let attention: AttentionLayer

    init(_ store: WeightStore, _ prefix: String, dim: Int, textDim: Int, heads: Int) throws {
        name = prefix
        attention = AttentionLayer(name: "\(prefix).attention")
        self.heads = heads
        gamma = try store.floats("\(prefix).norm.gamma", shape: [dim])
        toQ = try store.linear("\(prefix).to_q", in: dim, out: dim, bias: false)
        toK = try store.linear("\(prefix).to_k", in: textDim, out: dim, bias: false)
        toV = try store.linear("\(prefix).to_v", in: textDim, out: dim, bias: false)
        toOut = try store.linear("\(prefix).to_out", in: dim, out: dim)
    }

    func prepare(tLocal: Tensor, context: ComputeContext) throws -> CrossAttentionKV {
        CrossAttentionKV(key: try toK(tLocal, in: context), value: try toV(tLocal, in: context))
    }

    /// `x` [B, L, dim]; `kv` for one image, repeated over the B tiles.
    func callAsFunction(_ x: Tensor, kv: CrossAttentionKV, mask: [Bool], in context: ComputeContext) throws -> Tensor {
        let b = x.shape[0]
        let (key, value, keyMask) = b == 1 ? (kv.key, kv.value, mask)
            : (Self.repeated(kv.key, b), Self.repeated(kv.value, b), Array([[Bool]](repeating: mask, count: b).joined()))
        let q = try toQ(Ops.rmsNorm(x, gamma: gamma), in: context)
        let attended = try attention.attention(query: q, key: key, value: value, heads: heads, keyMask: keyMask, in: context)
        return try Ops.add(x, toOut(attended, in: context))
    }

    private static func repeated(_ t: Tensor, _ times: Int) -> Tensor {
        Tensor(shape: [times] + t.shape.dropFirst(), storage: Array([[Float]](repeating: t.storage, count: times).joined()))
    }
}

/// `layers.AttnStage`: at one resolution, `layers.{l}` each = [self_attn] → [cross_attn] → ff,
/// on the feature map's tokens [B, H·W, C] (row-major (y, x), a free reshape of NHWC storage).
final class AttentionStage {
    struct Layer {
        var selfAttention: TiedL2SelfAttention?
        var crossAttention: CrossAttention?
        var feedForward: FeedForward
    }
    let layers: [Layer]

    init(_ store: WeightStore, _ prefix: String, dim: Int, depth: Int, cross: Bool, config: GeneratorConfig) throws {
        layers = try (0..<max(depth, 1)).map { l in
            let p = "\(prefix).layers.\(l)"
            return Layer(
                selfAttention: l < depth ? try TiedL2SelfAttention(store, "\(p).self_attn", dim: dim, heads: config.attnHeads) : nil,
                crossAttention: cross ? try CrossAttention(store, "\(p).cross_attn", dim: dim, textDim: config.textDim,
                                                            heads: config.attnHeads) : nil,
                feedForward: try FeedForward(store, "\(p).ff", dim: dim, mult: config.ffMult, layerNorm: false))
        }
    }

    var crossAttentions: [CrossAttention] { layers.compactMap(\.crossAttention) }

    func callAsFunction(_ x: Tensor, conditioning: Conditioning, in context: ComputeContext) throws -> Tensor {
        let (b, c, h, w) = (x.batch, x.channels, x.height, x.width)
        var t = x.reshaped([b, h * w, c])
        for layer in layers {
            if let selfAttention = layer.selfAttention { t = try selfAttention(t, in: context) }
            if let crossAttention = layer.crossAttention {
                guard let kv = conditioning.crossKV[crossAttention.name] else {
                    throw ModelError("conditioning has no cross-attention keys for '\(crossAttention.name)'")
                }
                t = try crossAttention(t, kv: kv, mask: conditioning.textMask, in: context)
            }
            t = try layer.feedForward(t, in: context)
        }
        return t.reshaped([b, c, h, w])
    }
}
