import CDNNLShim
import CKernels

/// A 2-D convolution (groups = 1) with optional bias and a fused epilogue, run by oneDNN.
///
/// The epilogue is applied in this order: bias, then (with `callAsFunction(_:addingTo:in:)`) the
/// destination's previous contents, then `activation`, then `outputScale`, then
/// `finalActivation`, all inside the convolution's own pass over its output.
///
/// Weights are kept in PyTorch's OIHW order. A oneDNN primitive, with its weights reordered
/// into the layout it prefers, is created the first time an input shape is seen and cached
/// per shape and precision, so a tile loop creates primitives only for its first tile.
public final class Conv2d {
    /// Output channels.
    public let outChannels: Int
    /// Input channels.
    public let inChannels: Int
    /// Kernel height and width.
    public let kernel: (height: Int, width: Int)
    /// Vertical and horizontal stride.
    public let stride: (height: Int, width: Int)
    /// Zero padding: top, left, bottom, right.
    public let padding: (top: Int, left: Int, bottom: Int, right: Int)
    /// The activation fused after the bias (and after the accumulated destination, if any).
    public let activation: Activation
    /// A factor applied after the activation (1: none), e.g. a residual block's 2^-½.
    public let outputScale: Float
    /// An activation applied after `outputScale` (`.none` or `.silu`), e.g. the SiLU a
    /// generator's last block feeds its `to_rgb`.
    public let finalActivation: Activation
    /// The layer's name in profiles (its weights' name where a model sets it).
    public var name = "conv2d"
    /// Weights, OIHW.
    public private(set) var weights: [Float]
    /// Bias, one value per output channel, or nil.
    public private(set) var bias: [Float]?

    private struct Key: Hashable {
        var batch: Int, height: Int, width: Int, bf16: Bool, accumulate: Bool, winograd: Bool
        /// Zero rows above and below this input; other than the layer's own for a band of rows.
        var padTop: Int, padBottom: Int
    }
    private var primitives: [Key: WeightedPrimitive] = [:]
    /// The weights in the form of Gigascale's own bf16 kernel, made on first use where
    /// `OwnBF16Convolution.algorithm` finds one.
    private var ownKernel: OwnBF16Convolution?
    /// The fewest input and output channels a bf16 convolution needs for Gigascale's own
    /// Winograd kernel (where the CPU has AVX-512 BF16).
    public static var bf16WinogradMinimumChannels: Int { OwnBF16Convolution.minimumChannels }
    /// The fewest input and output channels a bf16 3×3 convolution needs for Gigascale's own
    /// direct kernel (below the Winograd minimum).
    public static var bf16DirectMinimumChannels: Int { OwnBF16Convolution.directMinimumChannels }
    /// Whether a bf16 call has run on one of Gigascale's own kernels.
    var hasRunOwnKernel: Bool { ownKernel != nil }
    private lazy var ownAlgorithm = OwnBF16Convolution.algorithm(
        inChannels: inChannels, outChannels: outChannels, kernel: kernel, stride: stride, padding: padding, activation: activation)

    /// The oneDNN implementations of the primitives made so far, e.g. "brgconv:avx512_core" or
    /// "jit_wino_4x3:avx512_core" (see `ConvolutionAlgorithm`).
    public var implementations: Set<String> { Set(primitives.values.map(\.implementation)) }

    /// Creates a convolution from PyTorch-ordered weights [out, in, kh, kw].
    public init(weights: [Float], bias: [Float]?, outChannels: Int, inChannels: Int,
                kernel: (height: Int, width: Int), stride: (height: Int, width: Int) = (1, 1),
                padding: (top: Int, left: Int, bottom: Int, right: Int) = (0, 0, 0, 0),
                activation: Activation = .none, outputScale: Float = 1, finalActivation: Activation = .none) {
        precondition(finalActivation == .none || finalActivation == .silu, "the final activation must be none or SiLU")
        precondition(weights.count == outChannels * inChannels * kernel.height * kernel.width,
                     "weights do not match [\(outChannels), \(inChannels), \(kernel.height), \(kernel.width)]")
        precondition(bias.map { $0.count == outChannels } ?? true, "bias must have \(outChannels) values")
        self.weights = weights
        self.bias = bias
        self.outChannels = outChannels
        self.inChannels = inChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.outputScale = outputScale
        self.finalActivation = finalActivation
    }

    /// A square-kernel convolution with symmetric padding, as `nn.Conv2d(in, out, k, stride, padding)`.
    public convenience init(weights: [Float], bias: [Float]?, outChannels: Int, inChannels: Int,
                            kernelSize: Int, stride: Int = 1, padding: Int = 0, activation: Activation = .none,
                            outputScale: Float = 1, finalActivation: Activation = .none) {
        self.init(weights: weights, bias: bias, outChannels: outChannels, inChannels: inChannels,
                  kernel: (kernelSize, kernelSize), stride: (stride, stride),
                  padding: (padding, padding, padding, padding), activation: activation, outputScale: outputScale,
                  finalActivation: finalActivation)
    }

    /// Number of primitives created so far (one per distinct input shape and precision).
    public var cachedPrimitiveCount: Int { primitives.count }

    /// Replaces weights and bias (same shapes) in place, re-preparing every cached primitive;
    /// used by style-adaptive convolutions once per image.
    public func setWeights(_ weights: [Float], bias: [Float]?) throws {
        precondition(weights.count == self.weights.count, "new weights must keep the shape")
        precondition((bias == nil) == (self.bias == nil), "new bias must match the old one's presence")
        self.weights = weights
        self.bias = bias
        for primitive in primitives.values { try primitive.setWeights(weights, bias: bias) }
        if let kernel = ownKernel {
            ownKernel = OwnBF16Convolution(weights: weights, inChannels: inChannels, outChannels: outChannels, algorithm: kernel.algorithm)
        }
    }

    /// The output height and width for an input of `height` x `width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + padding.top + padding.bottom - kernel.height) / stride.height + 1,
         (width + padding.left + padding.right - kernel.width) / stride.width + 1)
    }

    /// Runs the convolution on `input` ([N, C, H, W], stored NHWC) into a new tensor.
    public func callAsFunction(_ input: Tensor, in context: ComputeContext) throws -> Tensor {
        var output = Tensor(uninitialized: try outputShape(for: input))
        try callAsFunction(input, into: &output, in: context)
        return output
    }

    /// Runs the convolution writing into `output`, whose storage is reused when it already has
    /// the right number of elements (so a tile loop allocates nothing after its first tile).
    public func callAsFunction(_ input: Tensor, into output: inout Tensor, in context: ComputeContext) throws {
        let shape = try outputShape(for: input)
        if output.shape != shape {
            output = output.count == shape.reduce(1, *) ? output.reshaped(shape) : Tensor(uninitialized: shape)
        }
        try execute(input, output: &output, accumulate: false, context: context)
    }

    /// Adds the convolution of `input` (with its bias) to `output`, then applies the activation
    /// and the output scale: `output = scale · act(output + conv(input) + bias)`, in one pass.
    /// - Throws: `EngineError` when `output` does not have the convolution's output shape.
    public func callAsFunction(_ input: Tensor, addingTo output: inout Tensor, in context: ComputeContext) throws {
        let shape = try outputShape(for: input)
        guard output.shape == shape else {
            throw EngineError("conv2d: cannot add a \(shape) result to a \(output.shape) tensor")
        }
        try execute(input, output: &output, accumulate: true, context: context)
    }

    private func execute(_ input: Tensor, output: inout Tensor, accumulate: Bool, context: ComputeContext) throws {
        let (outH, outW) = outputSize(height: input.height, width: input.width)
        if let census = context.census {
            census.record(shape(for: input))
            if !accumulate { output.storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
            return
        }
        let bf16 = context.precision == .bf16
        if runsOwnKernel(in: context) {
            try executeOwnKernel([input], output: &output, accumulate: accumulate, context: context)
            return
        }
        if isPointwiseRGB {
            executePointwiseRGB(input, output: &output, accumulate: accumulate, context: context)
            return
        }
        let winograd = !bf16 && context.convolutionAlgorithm.asksForWinograd(inChannels: inChannels, outChannels: outChannels)
        let bands = rowBands(input: input, outputHeight: outH)
        let primitives = try bands.map { band in
            let key = Key(batch: input.batch, height: band.inputRows.count, width: input.width, bf16: bf16,
                          accumulate: accumulate, winograd: winograd, padTop: band.padTop, padBottom: band.padBottom)
            return try self.primitives[key] ?? makePrimitive(key, context: context)
        }
        let inputRowLength = input.width * inChannels, outputRowLength = outW * outChannels
        func run() throws {
            try input.storage.withUnsafeBufferPointer { src in
                try output.storage.withUnsafeMutableBufferPointer { dst in
                    for (band, primitive) in zip(bands, primitives) {
                        try primitive.execute(src.baseAddress! + band.inputRows.lowerBound * inputRowLength,
                                              dst.baseAddress! + band.outputRows.lowerBound * outputRowLength,
                                              threads: context.threads)
                    }
                }
            }
        }
        try context.primitive(name, kind: "conv \(kernel.height)x\(kernel.width) \(inChannels)→\(outChannels) @\(input.height)x\(input.width)",
                              flops: shape(for: input).flops, run)
    }

    /// A 1×1 convolution to 3 channels with no epilogue but its bias (a generator's `to_rgb`) runs
    /// on `gs_pointwise_rgb` in either precision where the CPU has AVX-512: oneDNN ran it at
    /// 11–13 GFLOP/s, with 3 of 16 lanes used. Its sums are fp32 in bf16 mode too.
    private lazy var isPointwiseRGB = outChannels == 3 && kernel == (1, 1) && stride == (1, 1)
        && padding == (0, 0, 0, 0) && activation == .none && outputScale == 1 && finalActivation == .none
        && inChannels * 16 <= Int(Int32.max) && gs_avx512_supported() != 0

    private func executePointwiseRGB(_ input: Tensor, output: inout Tensor, accumulate: Bool, context: ComputeContext) {
        let (pixels, channels) = (input.batch * input.height * input.width, inChannels)
        context.primitive(name, kind: "conv 1x1 \(channels)→3 @\(input.height)x\(input.width) pointwise",
                              flops: shape(for: input).flops) {
            input.storage.withUnsafeBufferPointer { src in
                output.storage.withUnsafeMutableBufferPointer { dst in
                    weights.withUnsafeBufferPointer { w in
                        withOptionalPointer(bias) { b in
                            forEachPart(of: pixels, parts: max(1, min(context.threads, pixels / 16_384))) { first, end in
                                let status = gs_pointwise_rgb(src.baseAddress! + first * channels, Int64(end - first), Int64(channels),
                                                              w.baseAddress!, b, accumulate ? 1 : 0, dst.baseAddress! + first * 3)
                                precondition(status == 0, "gs_pointwise_rgb refused a call isPointwiseRGB allows")
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether calls on `context` run on one of Gigascale's own bf16 kernels.
    private func runsOwnKernel(in context: ComputeContext) -> Bool {
        context.precision == .bf16 && context.bf16OwnKernels && ownAlgorithm != nil && context.census == nil
    }

    private func executeOwnKernel(_ inputs: [Tensor], output: inout Tensor, accumulate: Bool,
                                 caches: [WinogradInputCache?]? = nil, enlargeInput: Bool = false, inputSiLU: Bool = false,
                                 enlargedAddend: Tensor? = nil, context: ComputeContext) throws {
        guard let algorithm = ownAlgorithm else { throw EngineError("conv2d: no own bf16 kernel for this convolution") }
        let kernel = ownKernel ?? OwnBF16Convolution(weights: weights, inChannels: inChannels, outChannels: outChannels,
                                                     algorithm: algorithm)
        ownKernel = kernel
        // 3x3, stride 1, padding 1: the convolution's own input (enlarged, where it is) is the output's size.
        let computed = shape(batch: output.batch, height: output.height, width: output.width)
        let fused = enlargeInput ? " enlarging its input" : enlargedAddend != nil ? " adding an enlarged map" : ""
        try context.primitive(name, kind: "conv 3x3 \(inChannels)→\(outChannels) @\(output.height)x\(output.width) \(kernel.algorithm)\(fused)",
                              flops: computed.flops) {
            try kernel.run(inputs, into: &output, bias: bias, activation: activation, accumulate: accumulate,
                           scale: outputScale, finalSiLU: finalActivation == .silu, caches: caches,
                           enlargeInput: enlargeInput, inputSiLU: inputSiLU, enlargedAddend: enlargedAddend, context: context)
        }
    }

    /// Whether this convolution can read its input enlarged, or add an enlarged map, on `context`
    /// (`callAsFunction(enlarging:silu:in:)`, `callAsFunction(_:addingEnlarged:in:)`): in bf16,
    /// where Gigascale's own direct kernel runs it.
    public func fusesEnlargement(in context: ComputeContext) -> Bool {
        runsOwnKernel(in: context) && ownAlgorithm == .direct
    }

    /// The convolution, with its epilogue, of `Ops.upsampleBilinear2x(input)` (of SiLU of that
    /// with `silu`), computed without the enlargement being written: twice `input`'s height and width.
    /// - Throws: `EngineError` where `fusesEnlargement(in:)` is false or the channels differ.
    public func callAsFunction(enlarging input: Tensor, silu: Bool, in context: ComputeContext) throws -> Tensor {
        guard fusesEnlargement(in: context), input.shape.count == 4, input.channels == inChannels else {
            throw EngineError("conv2d \(name): cannot convolve an enlarged \(input.shape) input here")
        }
        var output = Tensor(uninitialized: [input.batch, outChannels, 2 * input.height, 2 * input.width])
        try executeOwnKernel([input], output: &output, accumulate: false, enlargeInput: true, inputSiLU: silu, context: context)
        return output
    }

    /// `finalActivation(scale · act(conv(input) + bias + enlarged))` into a new tensor, where
    /// `enlarged` is `Ops.upsampleBilinear2x(residual)`, read without being written.
    /// - Throws: `EngineError` where `fusesEnlargement(in:)` is false or the shapes do not fit.
    public func callAsFunction(_ input: Tensor, addingEnlarged residual: Tensor, in context: ComputeContext) throws -> Tensor {
        guard fusesEnlargement(in: context), input.shape.count == 4, input.channels == inChannels,
              input.height % 2 == 0, input.width % 2 == 0,
              residual.shape == [input.batch, outChannels, input.height / 2, input.width / 2] else {
            throw EngineError("conv2d \(name): cannot add an enlarged \(residual.shape) map to the convolution of \(input.shape) here")
        }
        var output = Tensor(uninitialized: [input.batch, outChannels, input.height, input.width])
        try executeOwnKernel([input], output: &output, accumulate: true, enlargedAddend: residual, context: context)
        return output
    }

    /// Runs the convolution on the concatenation of `parts` along channels. Where the bf16
    /// kernels serve it, the parts are read where they lie and the concatenation is
    /// never written out; otherwise they are concatenated first. `caches`, one per part (nil
    /// where none), keep the parts' Winograd transforms for later convolutions reading the same
    /// tensors (see `WinogradInputCache`); convolutions that do not run Winograd ignore them.
    public func callAsFunction(concatenationOf parts: [Tensor], caches: [WinogradInputCache?]? = nil,
                               in context: ComputeContext) throws -> Tensor {
        guard let first = parts.first else { throw EngineError("conv2d: nothing to concatenate") }
        guard parts.count > 1 || caches != nil, runsOwnKernel(in: context), Ops.areConcatenableAlongChannels(parts),
              parts.reduce(0, { $0 + $1.channels }) == inChannels else {
            return try self(parts.count == 1 ? first : Ops.concatChannels(parts), in: context)
        }
        var output = Tensor(uninitialized: [first.batch, outChannels, first.height, first.width])
        try executeOwnKernel(parts, output: &output, accumulate: false, caches: caches, context: context)
        return output
    }

    /// The bytes of input and output one call should touch at most: large maps are convolved
    /// in bands of rows that stay in the core's cache (a 512² tile stage of 20 channels becomes
    /// 40 calls of 6 rows). Measured with `gigascale-bench layers --cpu-time` on one Zen 4 core:
    /// 3-4% less time per tile than whole-map calls; 256 KB to 2 MB bands were alike.
    static let bandBytes = 1 << 19

    /// One call's share of the map: output rows, the input rows they read, and the zero rows
    /// to add above and below those.
    struct RowBand { var outputRows: Range<Int>, inputRows: Range<Int>, padTop: Int, padBottom: Int }

    /// The whole map as one band, or, for a single stride-1 image larger than `bandBytes`,
    /// bands of output rows each reading only its own input rows plus the kernel's reach.
    func rowBands(input: Tensor, outputHeight outH: Int) -> [RowBand] {
        let whole = [RowBand(outputRows: 0..<outH, inputRows: 0..<input.height, padTop: padding.top, padBottom: padding.bottom)]
        let bytesPerRow = 4 * input.width * (inChannels + outChannels)
        let rows = max(Self.bandBytes / max(bytesPerRow, 1), 4)
        guard input.batch == 1, stride == (1, 1), rows < outH else { return whole }
        return Swift.stride(from: 0, to: outH, by: rows).map { first in
            let last = min(first + rows, outH)
            // Output row o reads input rows o − padTop … o − padTop + kernel − 1.
            let lowest = first - padding.top, highest = last - 1 - padding.top + kernel.height
            return RowBand(outputRows: first..<last, inputRows: max(lowest, 0)..<min(highest, input.height),
                           padTop: max(-lowest, 0), padBottom: max(highest - input.height, 0))
        }
    }

    /// This layer's call on `input` as a census counts it.
    func shape(for input: Tensor) -> ConvolutionCensus.Shape {
        shape(batch: input.batch, height: input.height, width: input.width)
    }

    /// This layer's call on an input of that batch and size.
    private func shape(batch: Int, height: Int, width: Int) -> ConvolutionCensus.Shape {
        ConvolutionCensus.Shape(batch: batch, inChannels: inChannels, outChannels: outChannels,
                                height: height, width: width, kernelHeight: kernel.height,
                                kernelWidth: kernel.width, strideHeight: stride.height, strideWidth: stride.width,
                                padding: [padding.top, padding.left, padding.bottom, padding.right])
    }

    private func outputShape(for input: Tensor) throws -> [Int] {
        guard input.shape.count == 4, input.channels == inChannels else {
            throw EngineError("conv2d expects [N, \(inChannels), H, W], got \(input.shape)")
        }
        let (outH, outW) = outputSize(height: input.height, width: input.width)
        guard outH > 0, outW > 0 else {
            throw EngineError("conv2d: a \(input.height)x\(input.width) input is smaller than the \(kernel.height)x\(kernel.width) kernel")
        }
        return [input.batch, outChannels, outH, outW]
    }

    private func makePrimitive(_ key: Key, context: ComputeContext) throws -> WeightedPrimitive {
        var params = gs_conv_params(
            batch: Int64(key.batch), in_channels: Int64(inChannels), in_height: Int64(key.height), in_width: Int64(key.width),
            out_channels: Int64(outChannels), kernel_height: Int64(kernel.height), kernel_width: Int64(kernel.width),
            stride_h: Int64(stride.height), stride_w: Int64(stride.width),
            pad_top: Int64(key.padTop), pad_left: Int64(padding.left), pad_bottom: Int64(key.padBottom), pad_right: Int64(padding.right),
            has_bias: bias == nil ? 0 : 1, activation: activation.shimKind, activation_alpha: activation.shimAlpha,
            use_bf16: key.bf16 ? 1 : 0, accumulate: key.accumulate ? 1 : 0, output_scale: outputScale,
            winograd: key.winograd ? 1 : 0, final_activation: finalActivation.shimKind)
        let primitive = try WeightedPrimitive(context: context, convolution: &params, weights: weights, bias: bias)
        primitives[key] = primitive
        return primitive
    }
}
