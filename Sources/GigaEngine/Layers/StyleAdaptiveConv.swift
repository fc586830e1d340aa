import Foundation

/// GigaGAN's sample-adaptive convolution: lucidrains' / AuraSR's `AdaptiveConv2DMod` (no bias,
/// stride 1, dilation 1, demodulation on, eps 1e-8) for one sample.
///
/// The layer holds a bank of N kernels. Once per style (per image) `prepare` builds the
/// effective kernel, in Float32 with a fixed summation order:
///
/// 1. `a = softmax(kernelLogits)` (max-subtracted), `W = Σ_n a_n · W_n` (n in order);
///    with N == 1 the bank's only kernel is used as is;
/// 2. modulation: `W[o, i, :, :] *= modulation[i] + 1`;
/// 3. demodulation: `W[o] *= 1 / sqrt(max(Σ_{i,kh,kw} W[o]², 1e-8))` (a clamp, not an added eps).
///
/// `callAsFunction` then runs a plain k×k convolution with zero padding (k−1)/2, as
/// `F.conv2d(x, W, padding=(k-1)//2)`, on an internal `Conv2d` whose oneDNN primitives are
/// kept across `prepare` calls (only their weights are replaced), so every tile of an image
/// reuses the prepared kernel.
///
/// An optional epilogue (a bias, an activation, an output scale and a final SiLU, in `Conv2d`'s order) runs
/// inside the convolution's pass, so a residual block needs no separate element-wise passes.
public final class StyleAdaptiveConv {
    /// Number of kernels in the bank (N).
    public let kernelCount: Int
    /// Output channels.
    public let outChannels: Int
    /// Input channels (the length of the modulation vector).
    public let inChannels: Int
    /// Kernel height and width (odd).
    public let kernelSize: Int
    /// The kernel bank [N, out, in, k, k], row-major (PyTorch's `weights` parameter).
    public let weights: [Float]

    /// The layer's name in profiles.
    public var name = "adaptive conv"
    /// Bias added after the convolution, or nil.
    public let bias: [Float]?
    /// Activation applied after the bias (and after an accumulated destination).
    public let activation: Activation
    /// Factor applied after the activation.
    public let outputScale: Float
    /// Activation applied after the scale (`.none` or `.silu`).
    public let finalActivation: Activation

    /// The demodulation floor on the sum of squares (`eps` of AdaptiveConv2DMod).
    public static let demodulationFloor: Float = 1e-8

    private var convolution: Conv2d?

    /// Creates the layer from the kernel bank [N, out, in, k, k] in PyTorch's order, with an
    /// optional fused epilogue (see the type's description).
    /// - Throws: `EngineError` when the sizes do not match or the kernel size is not odd.
    public init(weights: [Float], kernelCount: Int, outChannels: Int, inChannels: Int, kernelSize: Int,
                bias: [Float]? = nil, activation: Activation = .none, outputScale: Float = 1,
                finalActivation: Activation = .none) throws {
        guard finalActivation == .none || finalActivation == .silu else {
            throw EngineError("adaptive conv: the final activation must be none or SiLU")
        }
        guard kernelCount >= 1, outChannels >= 1, inChannels >= 1, kernelSize >= 1, kernelSize % 2 == 1 else {
            throw EngineError("adaptive conv needs positive sizes and an odd kernel: N \(kernelCount), out \(outChannels), in \(inChannels), k \(kernelSize)")
        }
        let expected = kernelCount * outChannels * inChannels * kernelSize * kernelSize
        guard weights.count == expected else {
            throw EngineError("adaptive conv kernel bank has \(weights.count) values, expected [\(kernelCount), \(outChannels), \(inChannels), \(kernelSize), \(kernelSize)] = \(expected)")
        }
        if let bias, bias.count != outChannels {
            throw EngineError("adaptive conv bias has \(bias.count) values, expected \(outChannels)")
        }
        self.bias = bias
        self.activation = activation
        self.outputScale = outputScale
        self.finalActivation = finalActivation
        self.weights = weights
        self.kernelCount = kernelCount
        self.outChannels = outChannels
        self.inChannels = inChannels
        self.kernelSize = kernelSize
    }

    /// Creates the layer from a rank-5 kernel bank tensor [N, out, in, k, k] (row-major).
    public convenience init(weights: Tensor) throws {
        let s = weights.shape
        guard s.count == 5, s[3] == s[4] else {
            throw EngineError("adaptive conv expects a kernel bank [N, out, in, k, k] with a square kernel, got \(s)")
        }
        try self.init(weights: weights.storage, kernelCount: s[0], outChannels: s[1], inChannels: s[2], kernelSize: s[3])
    }

    /// Whether `prepare` has run, so the layer can be applied.
    public var isPrepared: Bool { convolution != nil }

    /// The effective kernel [out, in, k, k] from the last `prepare`, or nil (for tests).
    var preparedWeights: [Float]? { convolution?.weights }

    /// oneDNN primitives held by the internal convolution (for tests: one per input shape).
    var cachedPrimitiveCount: Int { convolution?.cachedPrimitiveCount ?? 0 }

    /// Mixes, modulates and demodulates the kernel for one style (see the type's description).
    /// - Parameters:
    ///   - kernelLogits: N selection logits (ignored in value when N == 1, but must have 1 entry).
    ///   - modulation: `inChannels` modulation values; each input channel is scaled by value + 1.
    /// - Throws: `EngineError` when the counts are wrong or a value is not finite.
    public func prepare(kernelLogits: [Float], modulation: [Float]) throws {
        guard kernelLogits.count == kernelCount else {
            throw EngineError("adaptive conv expects \(kernelCount) kernel logits, got \(kernelLogits.count)")
        }
        guard modulation.count == inChannels else {
            throw EngineError("adaptive conv expects \(inChannels) modulation values, got \(modulation.count)")
        }
        guard kernelLogits.allSatisfy(\.isFinite), modulation.allSatisfy(\.isFinite) else {
            throw EngineError("adaptive conv style contains a non-finite value")
        }
        let mixed = Self.effectiveKernel(bank: weights, kernelCount: kernelCount, outChannels: outChannels,
                                         inChannels: inChannels, taps: kernelSize * kernelSize,
                                         kernelLogits: kernelLogits, modulation: modulation)
        if let convolution {
            try convolution.setWeights(mixed, bias: bias)
        } else {
            let pad = (kernelSize - 1) / 2
            convolution = Conv2d(weights: mixed, bias: bias, outChannels: outChannels, inChannels: inChannels,
                                 kernelSize: kernelSize, stride: 1, padding: pad, activation: activation,
                                 outputScale: outputScale, finalActivation: finalActivation)
            convolution?.name = name
        }
    }

    /// Runs the prepared convolution on `input` ([1 or more, in, H, W], stored NHWC); the output
    /// has the same height and width.
    /// - Throws: `EngineError` before `prepare` or on a channel mismatch.
    public func callAsFunction(_ input: Tensor, in context: ComputeContext) throws -> Tensor {
        guard let convolution else {
            throw EngineError("adaptive conv used before prepare(kernelLogits:modulation:)")
        }
        return try convolution(input, in: context)
    }

    /// Adds the prepared convolution of `input` to `output` before the epilogue's activation and
    /// scale (see `Conv2d.callAsFunction(_:addingTo:in:)`).
    /// - Throws: `EngineError` before `prepare`, on a channel mismatch or a wrong output shape.
    public func callAsFunction(_ input: Tensor, addingTo output: inout Tensor, in context: ComputeContext) throws {
        guard let convolution else {
            throw EngineError("adaptive conv used before prepare(kernelLogits:modulation:)")
        }
        try convolution(input, addingTo: &output, in: context)
    }

    /// Whether the prepared convolution reads enlarged inputs and adds enlarged maps on `context`
    /// (see `Conv2d.fusesEnlargement(in:)`); false before `prepare`.
    public func fusesEnlargement(in context: ComputeContext) -> Bool {
        convolution?.fusesEnlargement(in: context) ?? false
    }

    /// The prepared convolution of the bilinear ×2 enlargement of `input` (SiLU of it with `silu`);
    /// see `Conv2d.callAsFunction(enlarging:silu:in:)`.
    /// - Throws: `EngineError` before `prepare`, or where the enlargement cannot be fused.
    public func callAsFunction(enlarging input: Tensor, silu: Bool, in context: ComputeContext) throws -> Tensor {
        guard let convolution else {
            throw EngineError("adaptive conv used before prepare(kernelLogits:modulation:)")
        }
        return try convolution(enlarging: input, silu: silu, in: context)
    }

    /// The prepared convolution of `input` plus the bilinear ×2 enlargement of `residual`, with
    /// the epilogue; see `Conv2d.callAsFunction(_:addingEnlarged:in:)`.
    /// - Throws: `EngineError` before `prepare`, or where the enlargement cannot be fused.
    public func callAsFunction(_ input: Tensor, addingEnlarged residual: Tensor, in context: ComputeContext) throws -> Tensor {
        guard let convolution else {
            throw EngineError("adaptive conv used before prepare(kernelLogits:modulation:)")
        }
        return try convolution(input, addingEnlarged: residual, in: context)
    }

    /// Steps 1–3 of the type's description; returns [out, in, taps].
    static func effectiveKernel(bank: [Float], kernelCount: Int, outChannels: Int, inChannels: Int, taps: Int,
                                kernelLogits: [Float], modulation: [Float]) -> [Float] {
        let perKernel = outChannels * inChannels * taps
        var kernel = [Float](repeating: 0, count: perKernel)
        bank.withUnsafeBufferPointer { bank in
            kernel.withUnsafeMutableBufferPointer { w in
                if kernelCount == 1 {
                    for e in 0..<perKernel { w[e] = bank[e] }
                } else {
                    // Softmax over the bank, max-subtracted, summed in order.
                    let maximum = kernelLogits.max()!
                    var mix = kernelLogits.map { Foundation.exp($0 - maximum) }
                    var sum: Float = 0
                    for e in mix { sum += e }
                    for n in 0..<kernelCount { mix[n] /= sum }
                    // W = Σ_n a_n W_n, n ascending for every element.
                    for n in 0..<kernelCount {
                        let a = mix[n], base = n * perKernel
                        for e in 0..<perKernel { w[e] += a * bank[base + e] }
                    }
                }
                // Modulate over input channels, then demodulate each output channel.
                for o in 0..<outChannels {
                    var sumOfSquares: Float = 0
                    for i in 0..<inChannels {
                        let factor = modulation[i] + 1
                        let base = (o * inChannels + i) * taps
                        for t in 0..<taps {
                            let value = w[base + t] * factor
                            w[base + t] = value
                            sumOfSquares += value * value
                        }
                    }
                    let inverse = 1 / max(sumOfSquares, demodulationFloor).squareRoot()
                    let base = o * inChannels * taps
                    for e in 0..<(inChannels * taps) { w[base + e] *= inverse }
                }
            }
        }
        return kernel
    }
}
