import CCodecShims
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams rows into a PNG file through libpng: gray or RGB, with or without alpha, 8 or 16
/// bits per sample, the header's ICC profile as iCCP and its EXIF block as eXIf. Each band is
/// compressed and written as it arrives.
final class PNGEncoder: ImageRowSink {
    private let encoder: OpaquePointer
    private var progress: RowProgress
    private let bitDepth: Int
    private let includeAlpha: Bool

    /// Writes the PNG header to `file`.
    init(file: UnsafeMutablePointer<FILE>, header: EncodeHeader, options: PNGEncodeOptions) throws {
        progress = try RowProgress(header: header, format: .png)
        let bitDepth = try options.bitDepth.resolvedBitDepth(for: header, format: .png)
        self.bitDepth = bitDepth
        guard (0...9).contains(options.compressionLevel) else {
            throw ImageError(.invalidArgument, "PNG compression level must be 0–9, not \(options.compressionLevel)")
        }
        guard header.width <= Int(Int32.max), header.height <= Int(Int32.max) else {
            throw ImageError(.invalidArgument, "PNG cannot hold \(header.width)x\(header.height) pixels")
        }
        includeAlpha = header.hasAlpha
        let icc = header.metadata.colorSpace.iccProfile ?? Data()
        let exif = header.metadata.exif ?? Data()
        var errors = ShimErrorBuffer()
        var encoder: OpaquePointer?
        let status = icc.withUnsafeBytes { iccBytes in
            exif.withUnsafeBytes { exifBytes in
                var params = gs_png_encode_params(
                    width: UInt32(header.width), height: UInt32(header.height),
                    channels: Int32(header.colorChannels + (header.hasAlpha ? 1 : 0)), bit_depth: Int32(bitDepth),
                    compression_level: Int32(options.compressionLevel),
                    icc: iccBytes.bindMemory(to: UInt8.self).baseAddress, icc_length: UInt32(iccBytes.count),
                    exif: exifBytes.bindMemory(to: UInt8.self).baseAddress, exif_length: UInt32(exifBytes.count))
                return errors.call { gs_png_encoder_create(file, &params, &encoder, $0, $1) }
            }
        }
        guard status == 0, let encoder else { throw Self.failure(errors.message) }
        self.encoder = encoder
    }

    deinit { gs_png_encoder_destroy(encoder) }

    func write(_ band: Image) throws {
        try progress.accept(band)
        var errors = ShimErrorBuffer()
        let status: Int32
        if bitDepth == 16 {
            let samples = InterleavedRaster.interleaved16(band, includeAlpha: includeAlpha)
            status = samples.withUnsafeBytes { raw in
                errors.call { gs_png_encoder_write_rows(encoder, raw.bindMemory(to: UInt8.self).baseAddress, UInt32(band.height), raw.count / band.height, $0, $1) }
            }
        } else {
            let samples = InterleavedRaster.interleaved8(band, includeAlpha: includeAlpha)
            status = samples.withUnsafeBufferPointer { buffer in
                errors.call { gs_png_encoder_write_rows(encoder, buffer.baseAddress, UInt32(band.height), buffer.count / band.height, $0, $1) }
            }
        }
        guard status == 0 else { throw Self.failure(errors.message) }
    }

    func finish() throws {
        try progress.checkComplete()
        var errors = ShimErrorBuffer()
        guard errors.call({ gs_png_encoder_finish(encoder, $0, $1) }) == 0 else { throw Self.failure(errors.message) }
    }

    private static func failure(_ message: String) -> ImageError {
        message.contains("Write Error")
            ? ImageError(.io, "cannot write the PNG: \(POSIX.lastError)")
            : ImageError(.invalidArgument, "libpng refused to write: \(message)")
    }
}
