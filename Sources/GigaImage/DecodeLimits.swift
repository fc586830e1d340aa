import Foundation

/// Size limits checked against a file's header before any large allocation, so a
/// decompression bomb is refused instead of exhausting memory.
public struct DecodeLimits: Sendable, Equatable {
    /// The most pixels an input image may declare (default 256 megapixels).
    public var maxInputPixels: Int
    /// The most pixels an output image may have (default 1 gigapixel); used by resamplers,
    /// encoders and the upscaler.
    public var maxOutputPixels: Int
    /// The longest side an input may declare, whatever its area (default 65535).
    public var maxInputDimension: Int

    /// Creates limits; the defaults suit an 8x upscaler on a workstation.
    public init(maxInputPixels: Int = 256_000_000, maxOutputPixels: Int = 1_000_000_000,
                maxInputDimension: Int = 65_535) {
        self.maxInputPixels = maxInputPixels
        self.maxOutputPixels = maxOutputPixels
        self.maxInputDimension = maxInputDimension
    }

    /// The defaults.
    public static let standard = DecodeLimits()

    /// Throws `.tooLarge` when a header declares an input larger than allowed (or an empty one,
    /// which is `.corrupt`). `format` names the container in the message.
    public func checkInput(width: Int, height: Int, format: ImageFormat) throws {
        guard width > 0, height > 0 else {
            throw ImageError(.corrupt, "\(format.displayName) header declares an empty image (\(width)x\(height))")
        }
        if width > maxInputDimension || height > maxInputDimension {
            throw ImageError(.tooLarge, "\(format.displayName) header declares \(width)x\(height) pixels; the longest side allowed is \(maxInputDimension)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maxInputPixels {
            throw ImageError(.tooLarge, "\(format.displayName) header declares \(width)x\(height) pixels (\(Self.megapixels(width, height)) MP); the input limit is \(maxInputPixels / 1_000_000) MP")
        }
    }

    /// Throws `.tooLarge` when an output of this size would exceed `maxOutputPixels`.
    public func checkOutput(width: Int, height: Int) throws {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maxOutputPixels {
            throw ImageError(.tooLarge, "output of \(width)x\(height) pixels (\(Self.megapixels(width, height)) MP) exceeds the output limit of \(maxOutputPixels / 1_000_000) MP")
        }
    }

    private static func megapixels(_ w: Int, _ h: Int) -> String {
        String(format: "%.1f", Double(w) * Double(h) / 1e6)
    }
}
