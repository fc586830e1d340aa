import CKernels
import Dispatch

/// A 3×3, stride-1, padding-1 convolution computed by one of Gigascale's own bf16 kernels
/// (Sources/CKernels), on AVX-512 BF16 dot products with fp32 accumulation: Winograd F(2×2, 3×3)
/// (16 multiply-adds per 2×2 outputs and channel where direct convolution does 36; oneDNN has
/// no bf16 Winograd) for layers of 32 channels or more, and a direct kernel for narrower ones,
/// which oneDNN runs at half its peak. It serves `Conv2d` in bf16 where `algorithm` finds one;
/// its rounding is that of bf16 (the engine tests bound it against fp32 direct).
final class OwnBF16Convolution {
    /// How the kernel computes.
    enum Algorithm: Sendable {
        case winograd, direct
    }

    /// Whether this CPU runs the kernels (AVX-512 F/BW/VL/DQ and BF16, enabled by the OS).
    static let isSupported = gs_wino_bf16_supported() != 0

    /// The narrowest convolution the Winograd kernel takes: below 32 input or output channels
    /// its padded blocks and transforms cost more than they save (`gigascale-bench layers`).
    static let minimumChannels = 32

    /// The narrowest layer the direct kernel takes: below it oneDNN's own is as fast.
    static let directMinimumChannels = 8

    /// The kernel a convolution of this geometry and epilogue runs on here, if any.
    static func algorithm(inChannels: Int, outChannels: Int, kernel: (height: Int, width: Int),
                          stride: (height: Int, width: Int), padding: (top: Int, left: Int, bottom: Int, right: Int),
                          activation: Activation) -> Algorithm? {
        guard isSupported, kernel == (3, 3), stride == (1, 1), padding == (1, 1, 1, 1) else { return nil }
        switch activation {
        case .none, .leakyReLU, .silu: break
        case .gelu: return nil
        }
        if inChannels >= minimumChannels && outChannels >= minimumChannels { return .winograd }
        return min(inChannels, outChannels) >= directMinimumChannels ? .direct : nil
    }

    let inChannels: Int, outChannels: Int
    let algorithm: Algorithm
    private let transformed: [UInt16]

    /// Transforms OIHW weights once (again after every weight change) for `algorithm`.
    init(weights: [Float], inChannels: Int, outChannels: Int, algorithm: Algorithm = .winograd) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.algorithm = algorithm
        let (cin, cout) = (Int64(inChannels), Int64(outChannels))
        let count = algorithm == .winograd ? gs_wino_f2x3_weights_count(cin, cout) : gs_direct3x3_weights_count(cin, cout)
        transformed = [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
            weights.withUnsafeBufferPointer {
                switch algorithm {
                case .winograd: gs_wino_f2x3_transform_weights($0.baseAddress!, cin, cout, buffer.baseAddress!)
                case .direct: gs_direct3x3_transform_weights($0.baseAddress!, cin, cout, buffer.baseAddress!)
                }
            }
            initialized = count
        }
    }

    /// `output = silu?(scale · act(conv(input) + bias [+ output]))` for every image, where the input
    /// is the concatenation of `inputs` along channels (one tensor, or a dense block's pieces,
    /// read where they lie); NHWC, the output already shaped. Split over `context.threads`
    /// bands of rows. `caches` (one per input, nil where none) keep the inputs' transforms
    /// across convolutions where `WinogradInputCache.canServe` allows.
    ///
    /// The direct kernel can also read `Ops.upsampleBilinear2x`'s enlargement of its one input
    /// (`enlargeInput`, SiLU of it with `inputSiLU`) and, accumulating, add the enlargement of
    /// `enlargedAddend` instead of `output`'s contents, without either enlargement being written:
    /// the output is then twice the inputs' height and width.
    func run(_ inputs: [Tensor], into output: inout Tensor, bias: [Float]?, activation: Activation, accumulate: Bool,
             scale: Float, finalSiLU: Bool = false, caches: [WinogradInputCache?]? = nil,
             enlargeInput: Bool = false, inputSiLU: Bool = false, enlargedAddend: Tensor? = nil,
             context: ComputeContext) throws {
        let input = inputs[0]
        let factor = enlargeInput ? 2 : 1
        precondition(Ops.areConcatenableAlongChannels(inputs) && inputs.reduce(0) { $0 + $1.channels } == inChannels
                     && output.shape == [input.batch, outChannels, factor * input.height, factor * input.width])
        precondition(!enlargeInput || (algorithm == .direct && inputs.count == 1))
        precondition(enlargedAddend.map { algorithm == .direct && accumulate
                         && $0.shape == [output.batch, outChannels, output.height / 2, output.width / 2] } ?? true)
        let (height, width) = (output.height, output.width)
        // The Winograd kernel splits by rows of 2x2 tiles, the direct one by rows.
        let tileRows = algorithm == .winograd ? (height + 1) / 2 : height
        let parts = max(1, min(context.threads, tileRows))
        let bytesNeeded = algorithm == .winograd ? gs_wino_f2x3_scratch_bytes(Int64(inChannels), Int64(outChannels))
                                                 : gs_direct3x3_scratch_bytes(Int64(width), Int64(inChannels), Int64(outChannels))
        let scratchBytes = (bytesNeeded + 63) / 64 * 64
        let scratch = context.kernelScratch(bytesEach: scratchBytes, count: parts)
        let (kind, alpha): (gs_wino_activation, Float) = switch activation {
        case .none, .gelu: (GS_WINO_ACT_NONE, 0)
        case .leakyReLU(let slope): (GS_WINO_ACT_LEAKY, slope)
        case .silu: (GS_WINO_ACT_SILU, 0)
        }
        let pixels = input.height * input.width, imageOut = height * width * outChannels
        let kept = caches.flatMap { caches in
            algorithm == .winograd && caches.count == inputs.count && caches.contains { $0 != nil } && WinogradInputCache.canServe(inputs) ? caches : nil
        }
        let arrays = KernelArrays(inputs: inputs, kept: kept, parts: parts)
        defer { arrays.deallocate() }
        withBaseAddresses(inputs + (enlargedAddend.map { [$0] } ?? [])) { allBases in
            let bases = allBases.prefix(inputs.count), addendBase = enlargedAddend != nil ? allBases.last : nil
            transformed.withUnsafeBufferPointer { weights in
                withOptionalPointer(bias) { biasPointer in
                    output.storage.withUnsafeMutableBufferPointer { dst in
                        for image in 0..<input.batch {
                            for (k, base) in bases.enumerated() { arrays.sources[k] = base + image * pixels * inputs[k].channels }
                            var conv = gs_wino_conv(
                                height: Int64(height), width: Int64(width), in_channels: Int64(inChannels),
                                out_channels: Int64(outChannels), inputs: arrays.sources.baseAddress!,
                                input_channels: arrays.channels.baseAddress!, input_count: Int64(inputs.count),
                                input_transforms: arrays.transforms?.baseAddress, input_transform_ready: arrays.ready?.baseAddress,
                                weights: weights.baseAddress!, bias: biasPointer, activation: kind, alpha: alpha,
                                accumulate: accumulate ? 1 : 0, scale: scale, final_silu: finalSiLU ? 1 : 0,
                                enlarge_input: enlargeInput ? 1 : 0, input_silu: inputSiLU ? 1 : 0,
                                enlarged_addend: addendBase.map { $0 + image * imageOut / 4 })
                            withUnsafePointer(to: &conv) { conv in
                                let job = BandJob(algorithm: algorithm, conv: conv, output: dst.baseAddress! + image * imageOut,
                                                  tileRows: tileRows, parts: parts, scratch: scratch,
                                                  scratchBytes: scratchBytes, status: arrays.status.baseAddress!)
                                if parts == 1 { job.run(part: 0) } else {
                                    DispatchQueue.concurrentPerform(iterations: parts) { job.run(part: $0) }
                                }
                            }
                        }
                    }
                }
            }
        }
        let status = Array(arrays.status)
        if status.contains(-1) { throw EngineError("bf16 \(algorithm) kernel: this CPU lacks AVX-512 BF16") }
        if status.contains(where: { $0 != 0 }) {
            throw EngineError("bf16 \(algorithm) kernel: kept input transforms or an enlargement it cannot take")
        }
        kept?.forEach { $0?.markReady() }
    }
}

/// One image's convolution, split into `parts` bands of tile rows, each with its own scratch.
private struct BandJob: @unchecked Sendable {
    let algorithm: OwnBF16Convolution.Algorithm
    let conv: UnsafePointer<gs_wino_conv>
    let output: UnsafeMutablePointer<Float>
    let tileRows: Int, parts: Int
    let scratch: UnsafeMutableRawPointer, scratchBytes: Int
    let status: UnsafeMutablePointer<Int32>

    func run(part: Int) {
        let first = tileRows * part / parts, last = tileRows * (part + 1) / parts
        let scratch = scratch + part * scratchBytes
        status[part] = switch algorithm {
        case .winograd: gs_wino_f2x3_bf16(conv, output, Int64(first), Int64(last), scratch)
        case .direct: gs_direct3x3_bf16(conv, output, Int64(first), Int64(last), scratch)
        }
    }
}

/// The arrays `gs_wino_conv` points into, in memory that stays put for a whole run: per input its
/// channels, its base address for the current image and, with caches, where its kept transform
/// lives and whether it is ready; per band its status.
private struct KernelArrays {
    let channels: UnsafeMutableBufferPointer<Int64>
    let sources: UnsafeMutableBufferPointer<UnsafePointer<Float>?>
    let transforms: UnsafeMutableBufferPointer<UnsafeMutablePointer<UInt16>?>?
    let ready: UnsafeMutableBufferPointer<Int32>?
    let status: UnsafeMutableBufferPointer<Int32>

    init(inputs: [Tensor], kept: [WinogradInputCache?]?, parts: Int) {
        channels = .allocate(capacity: inputs.count)
        _ = channels.initialize(from: inputs.map { Int64($0.channels) })
        sources = .allocate(capacity: inputs.count)
        sources.initialize(repeating: nil)
        status = .allocate(capacity: parts)
        status.initialize(repeating: 0)
        guard let kept else { transforms = nil; ready = nil; return }
        let (height, width) = (inputs[0].height, inputs[0].width)
        let storage = UnsafeMutableBufferPointer<UnsafeMutablePointer<UInt16>?>.allocate(capacity: inputs.count)
        _ = storage.initialize(from: zip(kept, inputs).map { cache, input in
            cache?.storage(height: height, width: width, channels: input.channels)
        })
        let readiness = UnsafeMutableBufferPointer<Int32>.allocate(capacity: inputs.count)
        _ = readiness.initialize(from: kept.map { $0?.isReady == true ? 1 : 0 })
        transforms = storage
        ready = readiness
    }

    func deallocate() {
        channels.deallocate()
        sources.deallocate()
        status.deallocate()
        transforms?.deallocate()
        ready?.deallocate()
    }
}

/// Calls `body` with the base address of every tensor's storage, all pinned for the call.
private func withBaseAddresses<R>(_ tensors: [Tensor], _ body: ([UnsafePointer<Float>]) -> R) -> R {
    func pin(_ index: Int, _ pinned: [UnsafePointer<Float>]) -> R {
        guard index < tensors.count else { return body(pinned) }
        return tensors[index].storage.withUnsafeBufferPointer { pin(index + 1, pinned + [$0.baseAddress!]) }
    }
    return pin(0, [])
}
