import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// PLACEHOLDER: replaced by the TIFF codec implementation.
enum TIFFDecoder {
    /// Decodes a whole TIFF file held in memory. The result's metadata names the format, bit
    /// depth, colour space and EXIF; orientation is not applied here (ImageReader does it).
    static func decode(_ data: Data, limits: DecodeLimits) throws -> Image {
        throw ImageError(.unsupported, "TIFF decoding is not built yet")
    }
}

/// Streams rows into a TIFF file.
final class TIFFEncoder: ImageRowSink {
    init(file: UnsafeMutablePointer<FILE>, header: EncodeHeader, options: TIFFEncodeOptions) throws {
        throw ImageError(.unsupported, "TIFF encoding is not built yet")
    }
    func write(_ band: Image) throws {}
    func finish() throws {}
}
