import GigaEngine

/// AuraSR's `ResnetBlock`: `silu(conv2(silu(conv1(x)))) + res_conv(x)`, conv1/conv2 adaptive
/// (`block{1,2}.proj.weights`, no bias, no norm), `res_conv` a 1×1 conv with bias when the width
/// changes, identity otherwise.
final class AuraSRResnetBlock {
    let name: String
    let conv1: StyleAdaptiveConv
    let conv2: StyleAdaptiveConv
    let residual: Conv2d?

    init(_ store: WeightStore, _ prefix: String, in inChannels: Int, out outChannels: Int, config: AuraSRConfig) throws {
        name = prefix
        conv1 = try Self.adaptiveConv(store, "\(prefix).block1.proj.weights", in: inChannels, out: outChannels, config: config)
        conv2 = try Self.adaptiveConv(store, "\(prefix).block2.proj.weights", in: outChannels, out: outChannels, config: config)
        residual = inChannels == outChannels ? nil
            : try store.conv("\(prefix).res_conv", in: inChannels, out: outChannels, kernelSize: 1)
    }

    private static func adaptiveConv(_ store: WeightStore, _ name: String, in inChannels: Int, out outChannels: Int,
                                     config: AuraSRConfig) throws -> StyleAdaptiveConv {
        let (n, k) = (config.numConvKernels, AuraSRConfig.kernelSize)
        let bank = try store.floats(name, shape: [n, outChannels, inChannels, k, k])
        do {
            return try StyleAdaptiveConv(weights: bank, kernelCount: n, outChannels: outChannels,
                                         inChannels: inChannels, kernelSize: k, activation: .silu)
        } catch let error as EngineError {
            throw ModelError("\(store.file.path): '\(name)': \(error.message)")
        }
    }

    /// Prepares both convs for their styles (kernel mix, modulation, demodulation).
    func prepare(_ style1: ConvStyle, _ style2: ConvStyle) throws {
        for (conv, style, index) in [(conv1, style1, 1), (conv2, style2, 2)] {
            do {
                try conv.prepare(kernelLogits: style.kernelLogits, modulation: style.modulation)
            } catch let error as EngineError {
                throw ModelError("'\(name).block\(index)': \(error.message)")
            }
        }
    }

    /// Both SiLUs are the convolutions' fused epilogues.
    func callAsFunction(_ x: Tensor, in context: ComputeContext) throws -> Tensor {
        let h = try conv2(conv1(x, in: context), in: context)
        return try Ops.add(h, try residual.map { try $0(x, in: context) } ?? x)
    }
}

/// AuraSR's `Transformer` on a feature map: `layers.{l}` = [Attention, FeedForward], each
/// pre-norm (RMSNorm with gain `g` [1, C, 1, 1]) and residual, no final norm.
///
/// Attention: `to_qkv` (1×1, no bias) split [q | k | v], heads head-major, SDPA with scale
/// 1/√dim_head over the tokens in row-major (y, x) order, `to_out` (1×1, bias). FeedForward:
/// 1×1 conv to 4C, exact GELU (fused into it), 1×1 conv back. 1×1 convs run as matrix products
/// on the tokens.
/// `attend.scale` is a parameter fal's module holds but never uses; it is read and ignored.
final class AuraSRTransformer {
    struct Layer {
        var attentionGain: [Float]
        var toQ: Linear, toK: Linear, toV: Linear, toOut: Linear
        var feedForwardGain: [Float]
        var fc1: Linear, fc2: Linear
    }
    let heads: Int
    let layers: [Layer]
    private let attention: AttentionLayer

    init(_ store: WeightStore, _ prefix: String, width c: Int, depth: Int, config: AuraSRConfig) throws {
        heads = config.selfAttnHeads
        attention = AttentionLayer(name: "\(prefix).attention")
        let hidden = config.selfAttnHeads * config.selfAttnDimHead, ff = AuraSRConfig.feedForwardMult * c
        layers = try (0..<depth).map { l in
            let a = "\(prefix).layers.\(l).0", f = "\(prefix).layers.\(l).1"
            let qkv = try store.floats("\(a).to_qkv.weight", shape: [3 * hidden, c, 1, 1])
            func part(_ i: Int) -> Linear {
                Linear(weight: Array(qkv[(i * hidden * c)..<((i + 1) * hidden * c)]), bias: nil, inFeatures: c, outFeatures: hidden)
            }
            _ = try store.floats("\(a).attend.scale", shape: [1])
            return Layer(attentionGain: try store.floats("\(a).norm.g", shape: [1, c, 1, 1]),
                         toQ: part(0), toK: part(1), toV: part(2),
                         toOut: try Self.pointwise(store, "\(a).to_out", in: hidden, out: c),
                         feedForwardGain: try store.floats("\(f).0.g", shape: [1, c, 1, 1]),
                         fc1: try Self.pointwise(store, "\(f).1", in: c, out: ff, activation: .gelu),
                         fc2: try Self.pointwise(store, "\(f).3", in: ff, out: c))
        }
    }

    /// A 1×1 `nn.Conv2d` with bias as a `Linear` on tokens (same [out, in] weight order).
    private static func pointwise(_ store: WeightStore, _ prefix: String, in inChannels: Int, out outChannels: Int,
                                  activation: Activation = .none) throws -> Linear {
        Linear(weight: try store.floats("\(prefix).weight", shape: [outChannels, inChannels, 1, 1]),
               bias: try store.floats("\(prefix).bias", shape: [outChannels]), inFeatures: inChannels, outFeatures: outChannels,
               activation: activation)
    }

    func callAsFunction(_ x: Tensor, in context: ComputeContext) throws -> Tensor {
        let (b, c, h, w) = (x.batch, x.channels, x.height, x.width)
        var t = x.reshaped([b, h * w, c])          // free: rank-4 tensors are stored NHWC
        for layer in layers {
            let n = try Ops.rmsNorm(t, gamma: layer.attentionGain)
            let attended = try attention.attention(query: layer.toQ(n, in: context), key: layer.toK(n, in: context),
                                                   value: layer.toV(n, in: context), heads: heads, in: context)
            t = try Ops.add(layer.toOut(attended, in: context), t)
            let m = try Ops.rmsNorm(t, gamma: layer.feedForwardGain)
            t = try Ops.add(layer.fc2(layer.fc1(m, in: context), in: context), t)   // fc1 ends in the exact GELU
        }
        return t.reshaped([b, c, h, w])
    }
}

/// AuraSR's `StyleGanNetwork`: `w = (LeakyReLU_0.2 ∘ EqualLinear)^depth (z / max(‖z‖, 1e-12))`,
/// EqualLinear using `lr_mul ·` its stored weight and bias.
final class AuraSRStyleNetwork {
    let layers: [Linear]
    let dimIn: Int

    init(_ store: WeightStore, config: AuraSRConfig) throws {
        let s = config.styleNetwork
        let lrMul = Float(s.lrMul)
        dimIn = s.dimIn
        layers = try (0..<s.depth).map { l in
            let inFeatures = l == 0 ? s.dimIn : s.dimOut
            let weight = try store.floats("style_network.net.\(2 * l).weight", shape: [s.dimOut, inFeatures])
            let bias = try store.floats("style_network.net.\(2 * l).bias", shape: [s.dimOut])
            return Linear(weight: weight.map { $0 * lrMul }, bias: bias.map { $0 * lrMul },
                          inFeatures: inFeatures, outFeatures: s.dimOut, activation: .leakyReLU(slope: 0.2))
        }
    }

    func callAsFunction(z: [Float], in context: ComputeContext) throws -> Tensor {
        var sumOfSquares: Float = 0
        for v in z { sumOfSquares += v * v }
        let inverse = 1 / max(sumOfSquares.squareRoot(), 1e-12)
        var x = Tensor(shape: [1, dimIn], storage: z.map { $0 * inverse })
        for layer in layers { x = try layer(x, in: context) }
        return x
    }
}
