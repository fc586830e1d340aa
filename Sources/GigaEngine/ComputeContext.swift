import CDNNLShim
import Foundation

/// Numeric precision of the heavy ops (convolutions and matrix products).
public enum Precision: String, Sendable, CaseIterable {
    /// Float32 everywhere: the reference.
    case fp32
    /// bfloat16 weights and inputs, Float32 accumulation and outputs.
    case bf16
}

/// The oneDNN engine and stream that ops run on, with the chosen precision and thread count.
///
/// One context serves one thread of work at a time: run tiles in parallel with one context each.
public final class ComputeContext: @unchecked Sendable {
    /// Precision of convolutions and matrix products.
    public let precision: Precision
    /// Threads oneDNN may use per op.
    public let threads: Int
    /// How 3×3 float32 convolutions are computed; set before the first convolution runs on this
    /// context (primitives, once made, keep the algorithm they were made with).
    public var convolutionAlgorithm: ConvolutionAlgorithm = .direct
    /// Whether bf16 3×3 convolutions may run on Gigascale's own kernels where the CPU has
    /// AVX-512 BF16 (Winograd from 32 channels, direct below; see `OwnBF16Convolution`); false
    /// keeps oneDNN's direct convolution. Set before the first convolution runs.
    public var bf16OwnKernels = true
    /// When set, every oneDNN call made on this context is timed into it (for benchmarks).
    public var profiler: LayerProfiler?
    /// When set, convolutions on this context are counted into it instead of computed (see
    /// `ConvolutionCensus`): a pass then yields the model's convolution shapes, not its output.
    public var census: ConvolutionCensus?
    let handle: OpaquePointer

    /// Creates a context. bf16 is refused on CPUs without bf16 instructions.
    public init(precision: Precision = .fp32, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        if precision == .bf16 && !Self.supportsBF16 {
            throw EngineError("bf16 requested but this CPU (\(Self.instructionSet)) has no bf16 instructions; use fp32")
        }
        guard threads >= 1 else { throw EngineError("thread count must be at least 1, not \(threads)") }
        var handle: OpaquePointer?
        try checkedShimCall("oneDNN") { gs_dnnl_context_create(&handle, $0, $1) }
        self.handle = handle!
        self.precision = precision
        self.threads = threads
    }

    private var scratch: UnsafeMutableRawPointer?
    private var scratchBytes = 0

    /// `count` 64-byte-aligned scratch areas of `bytesEach` bytes for our own kernels, reused by
    /// every call on this context (valid until the next call of this method).
    func kernelScratch(bytesEach: Int, count: Int) -> UnsafeMutableRawPointer {
        let stride = (bytesEach + 63) / 64 * 64, bytes = stride * count
        if bytes > scratchBytes {
            scratch?.deallocate()
            scratch = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            scratchBytes = bytes
        }
        return scratch!
    }

    deinit {
        scratch?.deallocate()
        gs_dnnl_context_destroy(handle)
    }

    /// Whether oneDNN reports native bf16 support on this CPU.
    public static var supportsBF16: Bool { gs_dnnl_has_bf16() != 0 }
    /// The instruction set oneDNN dispatches to, e.g. "avx512_core_bf16".
    public static var instructionSet: String { String(cString: gs_dnnl_isa_name()) }
    /// The oneDNN library version.
    public static var oneDNNVersion: String { String(cString: gs_dnnl_version()) }
}
