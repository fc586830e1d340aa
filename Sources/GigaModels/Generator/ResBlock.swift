import GigaEngine

/// The per-image style of one adaptive conv: the kernel-selection logits and the modulation,
/// split from its `affine(w)` as `[logits (N) | modulation (in)]`.
public struct ConvStyle: Sendable, Equatable {
    /// N kernel-selection logits.
    public var kernelLogits: [Float]
    /// One modulation value per input channel.
    public var modulation: [Float]
}

/// A style-adaptive conv of the twin (`layers.StyleAdaptiveConv`): the engine's
/// `StyleAdaptiveConv` (bank `weight` [N, out, in, k, k]), its `affine` Linear(w_dim → N + in)
/// and the learned `bias` [out] added after the convolution — fused into the convolution with
/// whatever `activation` and `outputScale` the block applies next.
final class StyleConv {
    /// The module path, e.g. "encoder.0.blocks.0.conv1" (the conditioning's key).
    let name: String
    let conv: StyleAdaptiveConv
    let affine: Linear

    init(_ store: WeightStore, _ name: String, in inChannels: Int, out outChannels: Int, config: GeneratorConfig,
         activation: Activation = .none, outputScale: Float = 1, finalActivation: Activation = .none) throws {
        self.name = name
        let (n, k) = (config.kernelBank, config.kernelSize)
        let bank = try store.floats("\(name).weight", shape: [n, outChannels, inChannels, k, k])
        let bias = try store.floats("\(name).bias", shape: [outChannels])
        do {
            conv = try StyleAdaptiveConv(weights: bank, kernelCount: n, outChannels: outChannels,
                                         inChannels: inChannels, kernelSize: k, bias: bias,
                                         activation: activation, outputScale: outputScale,
                                         finalActivation: finalActivation)
        } catch let error as EngineError {
            throw ModelError("\(store.file.path): '\(name).weight': \(error.message)")
        }
        conv.name = name
        affine = try store.linear("\(name).affine", in: config.wDim, out: n + inChannels)
    }

    /// `affine(w)` split into logits and modulation (once per image).
    func style(w: Tensor, context: ComputeContext) throws -> ConvStyle {
        let a = try affine(w, in: context).storage
        return ConvStyle(kernelLogits: Array(a[..<conv.kernelCount]), modulation: Array(a[conv.kernelCount...]))
    }

    /// Mixes, modulates and demodulates the kernel for `style` (the engine op).
    func prepare(_ style: ConvStyle) throws {
        try conv.prepare(kernelLogits: style.kernelLogits, modulation: style.modulation)
    }
}

/// `layers.ResBlock`: `out = (skip(x) + conv2(silu(conv1(silu(x))))) · 2^-½`, conv1/conv2
/// style-adaptive (each with its bias), `skip` a 1×1 conv with bias when the width changes.
///
/// Only the first SiLU is a pass of its own: conv1 ends in bias + SiLU, and conv2 adds its
/// result to the skip path and scales it by 2^-½ in its own output pass.
final class ResBlock {
    static let gain: Float = 0.707_106_781_186_547_524   // 2^-½

    let conv1: StyleConv
    let conv2: StyleConv
    let skip: Conv2d?
    private let silu: ElementwiseActivation

    /// With `outputsSiLU` the block returns SiLU of its output, fused into conv2's pass: for the
    /// last block before `to_rgb`, which reads only that.
    init(_ store: WeightStore, _ prefix: String, in inChannels: Int, out outChannels: Int, config: GeneratorConfig,
         outputsSiLU: Bool = false) throws {
        silu = ElementwiseActivation(.silu, name: "\(prefix).silu")
        conv1 = try StyleConv(store, "\(prefix).conv1", in: inChannels, out: outChannels, config: config, activation: .silu)
        conv2 = try StyleConv(store, "\(prefix).conv2", in: outChannels, out: outChannels, config: config,
                              outputScale: Self.gain, finalActivation: outputsSiLU ? .silu : .none)
        skip = inChannels == outChannels ? nil
            : try store.conv("\(prefix).skip", in: inChannels, out: outChannels, kernelSize: 1)
    }

    var styleConvs: [StyleConv] { [conv1, conv2] }

    /// Replaces `x` by the block's output; without a skip conv the output is computed in `x`'s
    /// own storage (when nothing else holds it), saving a copy of the largest maps. `activated`,
    /// when given, is SiLU(x) already computed (by `Ops.upsampleBilinear2x(_:withSiLU:)`), and
    /// the block's own SiLU pass is skipped.
    func callAsFunction(_ x: inout Tensor, activated: Tensor? = nil, in context: ComputeContext) throws {
        let h = try conv1.conv(activated ?? silu(x, in: context), in: context)
        if let skip { x = try skip(x, in: context) }
        try conv2.conv(h, addingTo: &x, in: context)
    }

    /// The block's output for the input `Ops.upsampleBilinear2x(x)`, computed without that
    /// enlargement (or SiLU of it) being written: conv1 enlarges as it reads, conv2 adds the
    /// enlarged skip path in its epilogue. The same values as enlarging first, bit for bit.
    /// Nil where the convolutions cannot do that on `context` (see
    /// `StyleAdaptiveConv.fusesEnlargement(in:)`) or the block has a skip conv.
    func enlarging(_ x: Tensor, in context: ComputeContext) throws -> Tensor? {
        guard skip == nil, conv1.conv.fusesEnlargement(in: context), conv2.conv.fusesEnlargement(in: context) else {
            return nil
        }
        let h = try conv1.conv(enlarging: x, silu: true, in: context)
        return try conv2.conv(h, addingEnlarged: x, in: context)
    }
}
