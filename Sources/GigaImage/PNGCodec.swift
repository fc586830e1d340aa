import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// PLACEHOLDER: replaced by the PNG codec implementation.
enum PNGDecoder {
    /// Decodes a whole PNG file held in memory. The result's metadata names the format, bit
    /// depth, colour space and EXIF; orientation is not applied here (ImageReader does it).
    static func decode(_ data: Data, limits: DecodeLimits) throws -> Image {
        throw ImageError(.unsupported, "PNG decoding is not built yet")
    }
}

/// Streams rows into a PNG file.
final class PNGEncoder: ImageRowSink {
    init(file: UnsafeMutablePointer<FILE>, header: EncodeHeader, options: PNGEncodeOptions) throws {
        throw ImageError(.unsupported, "PNG encoding is not built yet")
    }
    func write(_ band: Image) throws {}
    func finish() throws {}
}
