import Foundation

/// The size limits of every image Gigascale reads or writes, in one place: the decoders check a
/// header against them before any large allocation (so a decompression bomb is refused instead
/// of exhausting memory), and `ImageWriter` checks an output against them before it creates a
/// file. Both directions use the same numbers, so whatever the tool writes it can read back.
///
/// - A side is at most `maxDimension` (65535) and at most what the format can hold
///   (`ImageFormat.largestSide`): 65535 for PNG and TIFF, 65500 for JPEG.
/// - An image has at most `maxInputPixels` pixels to be read (16384 x 16384, the 8x output of a
///   2048 x 2048 photo; decoding takes about 16 bytes a pixel, so 4.3 GB), and an output at most
///   `maxOutputPixels`, never more than could be read back.
public struct DecodeLimits: Sendable, Equatable {
    /// The most pixels an image may declare to be decoded (default 16384 x 16384).
    public var maxInputPixels: Int
    /// The most pixels an output may have (default 16384 x 16384); outputs beyond
    /// `maxInputPixels` are refused too, since they could not be read back.
    public var maxOutputPixels: Int
    /// The longest side read or written, whatever the area and the format (default 65535).
    public var maxDimension: Int

    /// Creates limits; the defaults suit an 8x upscaler on a workstation.
    public init(maxInputPixels: Int = 16_384 * 16_384, maxOutputPixels: Int = 16_384 * 16_384,
                maxDimension: Int = 65_535) {
        self.maxInputPixels = maxInputPixels
        self.maxOutputPixels = maxOutputPixels
        self.maxDimension = maxDimension
    }

    /// The defaults.
    public static let standard = DecodeLimits()

    /// The longest side read or written in `format`: `maxDimension`, or less where the format
    /// holds less.
    public func maxSide(for format: ImageFormat) -> Int { min(maxDimension, format.largestSide) }

    /// Throws `.tooLarge` when a header declares an input larger than allowed (or an empty one,
    /// which is `.corrupt`). `format` names the container in the message.
    public func checkInput(width: Int, height: Int, format: ImageFormat) throws {
        guard width > 0, height > 0 else {
            throw ImageError(.corrupt, "\(format.displayName) header declares an empty image (\(width)x\(height))")
        }
        let side = maxSide(for: format)
        if width > side || height > side {
            throw ImageError(.tooLarge, "\(format.displayName) header declares \(width)x\(height) pixels; the longest side allowed is \(side)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maxInputPixels {
            throw ImageError(.tooLarge, "\(format.displayName) header declares \(width)x\(height) pixels (\(Self.megapixels(width, height)) MP); the input limit is \(maxInputPixels / 1_000_000) MP")
        }
    }

    /// Checks a header: `checkInput`, then the caller's `check` (if any) on the declared size.
    /// Every decoder calls it once it knows the size, before decoding any pixel.
    public func checkHeader(_ declared: DeclaredSize, then check: HeaderCheck?) throws {
        try checkInput(width: declared.width, height: declared.height, format: declared.format)
        try check?(declared)
    }

    /// Throws `.tooLarge` when an output of this size could not be written, or not read back:
    /// a side over `maxSide(for: format)` (over `maxDimension` when `format` is nil), or more
    /// pixels than `maxOutputPixels` or `maxInputPixels`.
    public func checkOutput(width: Int, height: Int, format: ImageFormat? = nil) throws {
        let side = format.map(maxSide(for:)) ?? maxDimension
        if width > side || height > side {
            let holder = format.map { "a \($0.displayName) file" } ?? "an image"
            throw ImageError(.tooLarge, "output of \(width)x\(height) pixels is larger than \(holder) gigascale writes and reads back: the longest side allowed is \(side)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard overflow || pixels > min(maxOutputPixels, maxInputPixels) else { return }
        if maxOutputPixels <= maxInputPixels {
            throw ImageError(.tooLarge, "output of \(width)x\(height) pixels (\(Self.megapixels(width, height)) MP) exceeds the output limit of \(maxOutputPixels / 1_000_000) MP")
        }
        throw ImageError(.tooLarge, "output of \(width)x\(height) pixels (\(Self.megapixels(width, height)) MP) exceeds the input limit of \(maxInputPixels / 1_000_000) MP, so it could not be read back")
    }

    private static func megapixels(_ w: Int, _ h: Int) -> String {
        String(format: "%.1f", Double(w) * Double(h) / 1e6)
    }
}

extension ImageFormat {
    /// The longest side the format itself can hold: JPEG 65500 (libjpeg's `JPEG_MAX_DIMENSION`,
    /// enforced when reading and writing), PNG 2^31 − 1 (its IHDR fields), TIFF 2^32 − 1 (classic
    /// TIFF's LONG fields). `DecodeLimits.maxSide(for:)` is what Gigascale allows.
    public var largestSide: Int {
        switch self {
        case .jpeg: 65_500
        case .png: Int(Int32.max)
        case .tiff: Int(UInt32.max)
        }
    }
}
