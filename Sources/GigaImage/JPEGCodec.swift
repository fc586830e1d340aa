import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// PLACEHOLDER: replaced by the JPEG codec implementation.
enum JPEGDecoder {
    /// Decodes a whole JPEG file held in memory. The result's metadata names the format, bit
    /// depth, colour space and EXIF; orientation is not applied here (ImageReader does it).
    static func decode(_ data: Data, limits: DecodeLimits) throws -> Image {
        throw ImageError(.unsupported, "JPEG decoding is not built yet")
    }
}

/// Streams rows into a JPEG file.
final class JPEGEncoder: ImageRowSink {
    init(file: UnsafeMutablePointer<FILE>, header: EncodeHeader, options: JPEGEncodeOptions) throws {
        throw ImageError(.unsupported, "JPEG encoding is not built yet")
    }
    func write(_ band: Image) throws {}
    func finish() throws {}
}
