import Foundation

/// A reconstruction filter for resampling, with the same kernels and supports as Pillow's
/// `Image.resize` filters of the same name.
///
/// When downscaling, the kernel is widened by the scale factor (so it also low-pass filters and
/// the result does not alias); when upscaling it is used at its natural width.
public enum ResamplingFilter: String, Sendable, CaseIterable {
    /// Box filter (Pillow `BOX`): each output pixel averages the input pixels it covers.
    /// Support 0.5.
    case box
    /// Triangle / tent filter (Pillow `BILINEAR`). Support 1.
    case bilinear
    /// Cubic convolution with a = -0.5, i.e. Catmull-Rom (Pillow `BICUBIC`). Support 2.
    /// Slightly sharpening: overshoots by up to a few percent next to hard edges.
    case bicubic
    /// Lanczos windowed sinc with three lobes (Pillow `LANCZOS`). Support 3. The sharpest of
    /// these; rings a little more than bicubic next to hard edges.
    case lanczos3

    /// Half-width of the kernel in input pixels at scale 1: the kernel is zero outside
    /// `-support...support`.
    public var support: Double {
        switch self {
        case .box: 0.5
        case .bilinear: 1
        case .bicubic: 2
        case .lanczos3: 3
        }
    }

    /// The kernel's value at offset `x` (in input pixels at scale 1) from the output pixel's
    /// centre. Not normalised: `ResamplingWeights` divides each output pixel's weights by
    /// their sum. Each kernel is evaluated exactly as Pillow's C code does it, including its
    /// half-open edges (box is 1 on `(-0.5, 0.5]`, Lanczos non-zero on `[-3, 3)`).
    public func weight(at x: Double) -> Double {
        switch self {
        case .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            let t = abs(x)
            return t < 1 ? 1 - t : 0
        case .bicubic:
            let a = -0.5
            let t = abs(x)
            if t < 1 { return ((a + 2) * t - (a + 3)) * t * t + 1 }
            if t < 2 { return (((t - 5) * t + 8) * t - 4) * a }
            return 0
        case .lanczos3:
            guard x >= -3 && x < 3 else { return 0 }
            return Self.sinc(x) * Self.sinc(x / 3)
        }
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let px = x * Double.pi
        return sin(px) / px
    }
}
