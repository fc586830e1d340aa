import Foundation

/// How large the output should be. Anything other than the model's native scale is made by
/// running the model at its native scale and then downscaling its output with Lanczos-3, band by
/// band as it streams out, so memory stays bounded and detail comes from the model, not a filter.
///
/// The resampler never enlarges: a request above the native scale (`.scale(16)` with an 8x
/// model, a width beyond `width · 8`) is an error, except for `.fit`, whose box is an upper bound:
/// an image whose native output already fits in the box comes out at the native scale.
///
/// Sizes that keep the aspect ratio round the other side to the nearest whole pixel (halves up),
/// and no side is ever below 1 pixel.
public enum OutputSize: Sendable, Equatable, CustomStringConvertible {
    /// The model's native scale (8x for GigaGAN-8x).
    case native
    /// A factor of at most the native scale, e.g. 2, 4 or 2.5: each side is the input's times
    /// the factor, rounded to the nearest pixel.
    case scale(Double)
    /// This width; the height keeps the aspect ratio.
    case width(Int)
    /// This height; the width keeps the aspect ratio.
    case height(Int)
    /// This length for the longer side (the width of a square); the other keeps the aspect ratio.
    case longSide(Int)
    /// The largest size that keeps the aspect ratio inside this box (e.g. 3840 x 2160), capped
    /// at the native scale.
    case fit(width: Int, height: Int)

    /// The 4K UHD box, 3840 x 2160.
    public static let fit4K = OutputSize.fit(width: 3840, height: 2160)
    /// The 8K UHD box, 7680 x 4320.
    public static let fit8K = OutputSize.fit(width: 7680, height: 4320)

    /// The output size for a `width` x `height` input and a model of native scale `nativeScale`.
    /// Throws for a request above the native scale or for a size or factor that is not positive.
    public func resolved(width: Int, height: Int, nativeScale: Int) throws -> (width: Int, height: Int) {
        precondition(width > 0 && height > 0 && nativeScale > 0)
        let native = (width: width * nativeScale, height: height * nativeScale)
        func tooLarge(_ asked: String) -> GigascaleError {
            GigascaleError.options("\(asked) is more than the model's native \(nativeScale)x (\(native.width)x\(native.height) for this \(width)x\(height) image); the resampler never enlarges, so ask for \(nativeScale)x or less")
        }
        func positive(_ value: Int, _ name: String) throws {
            guard value >= 1 else { throw GigascaleError.options("the output \(name) must be at least 1 pixel, not \(value)") }
        }
        switch self {
        case .native:
            return native
        case .scale(let factor):
            guard factor.isFinite, factor > 0 else { throw GigascaleError.options("the scale factor must be positive, not \(factor)") }
            guard factor <= Double(nativeScale) else { throw tooLarge("a \(Self.format(factor))x enlargement") }
            return (max(1, Int((Double(width) * factor).rounded())), max(1, Int((Double(height) * factor).rounded())))
        case .width(let target):
            try positive(target, "width")
            guard target <= native.width else { throw tooLarge("a width of \(target) pixels") }
            return (target, Self.proportion(height, times: target, over: width))
        case .height(let target):
            try positive(target, "height")
            guard target <= native.height else { throw tooLarge("a height of \(target) pixels") }
            return (Self.proportion(width, times: target, over: height), target)
        case .longSide(let target):
            return try (width >= height ? OutputSize.width(target) : .height(target))
                .resolved(width: width, height: height, nativeScale: nativeScale)
        case .fit(let boxWidth, let boxHeight):
            try positive(boxWidth, "box width")
            try positive(boxHeight, "box height")
            // The side that meets the box first decides (compared exactly, in integers).
            let byWidth = boxWidth * height <= boxHeight * width
            let fitted = byWidth ? (boxWidth, Self.proportion(height, times: boxWidth, over: width))
                                 : (Self.proportion(width, times: boxHeight, over: height), boxHeight)
            return fitted.0 >= native.width || fitted.1 >= native.height ? native : fitted
        }
    }

    /// Throws for what no input could satisfy: a factor that is not positive or above
    /// `nativeScale`, a side or box below 1 pixel. What depends on the input's size (a width
    /// beyond its native output) is `resolved(width:height:nativeScale:)`'s to refuse.
    public func checkPossible(nativeScale: Int) throws {
        switch self {
        case .native:
            return
        case .scale(let factor):
            guard factor.isFinite, factor > 0 else { throw GigascaleError.options("the scale factor must be positive, not \(factor)") }
            guard factor <= Double(nativeScale) else {
                throw GigascaleError.options("a \(Self.format(factor))x enlargement is more than the model's native \(nativeScale)x; the resampler never enlarges, so ask for \(nativeScale)x or less")
            }
        case .width(let side), .height(let side), .longSide(let side):
            guard side >= 1 else { throw GigascaleError.options("the output side must be at least 1 pixel, not \(side)") }
        case .fit(let width, let height):
            guard width >= 1, height >= 1 else { throw GigascaleError.options("the box must be at least 1x1 pixel, not \(width)x\(height)") }
        }
    }

    /// Whether this request makes a `width` x `height` input no larger on either side: the
    /// model's detail would be thrown away, so a resampler does the work directly.
    public func shrinksOrKeeps(width: Int, height: Int, nativeScale: Int) -> Bool {
        guard let size = try? resolved(width: width, height: height, nativeScale: nativeScale) else { return false }
        return size.width <= width && size.height <= height
    }

    /// The smallest whole factor (1 to `limit`) at which a classical resampler reaches this size
    /// for a `width` x `height` input; `native` when no size is asked for.
    public func wholeFactor(width: Int, height: Int, native: Int, limit: Int) -> Int {
        let needed: Double = switch self {
        case .native: Double(native)
        case .scale(let factor): factor
        case .width(let target): Double(target) / Double(width)
        case .height(let target): Double(target) / Double(height)
        case .longSide(let target): Double(target) / Double(max(width, height))
        case .fit(let boxWidth, let boxHeight): min(Double(boxWidth) / Double(width), Double(boxHeight) / Double(height))
        }
        return min(max(Int(needed.rounded(.up)), 1), limit)
    }

    /// `side · numerator / denominator` rounded to the nearest integer (halves up), at least 1.
    private static func proportion(_ side: Int, times numerator: Int, over denominator: Int) -> Int {
        max(1, (2 * side * numerator + denominator) / (2 * denominator))
    }

    private static func format(_ factor: Double) -> String {
        factor == factor.rounded() ? String(Int(factor)) : String(factor)
    }

    public var description: String {
        switch self {
        case .native: "native scale"
        case .scale(let factor): "\(Self.format(factor))x"
        case .width(let width): "width \(width)"
        case .height(let height): "height \(height)"
        case .longSide(let side): "long side \(side)"
        case .fit(let width, let height): "fit in \(width)x\(height)"
        }
    }
}
