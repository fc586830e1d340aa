/// How 3×3 float32 convolutions are computed.
///
/// oneDNN's Winograd kernels (AVX-512) do the arithmetic of a 3×3 convolution with fewer
/// multiplications, in blocked layouts the source is reordered into and the result out of. On
/// wide layers that wins well over the reorders; on narrow ones it loses: below
/// `minimumChannels` input or output channels, and wherever oneDNN has no Winograd kernel
/// (bf16, other kernels, strides, a CPU without AVX-512), the direct algorithm runs. Winograd
/// rounds differently from direct; `gigascale-bench layers` reports both, and the engine tests
/// bound their difference on a real model's output.
public enum ConvolutionAlgorithm: Sendable, Equatable, CustomStringConvertible {
    /// The direct algorithm everywhere: the reference.
    case direct
    /// Winograd for float32 3×3 stride-1 convolutions with at least this many input and output
    /// channels, where oneDNN has it.
    case winograd(minimumChannels: Int)

    /// Whether a float32 convolution with these channels asks for Winograd.
    func asksForWinograd(inChannels: Int, outChannels: Int) -> Bool {
        guard case .winograd(let minimum) = self else { return false }
        return inChannels >= minimum && outChannels >= minimum
    }

    public var description: String {
        switch self {
        case .direct: "direct"
        case .winograd(let minimum): "winograd (≥ \(minimum) channels)"
        }
    }
}
