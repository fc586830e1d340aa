import CCodecShims
import CLibJPEG
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams rows into a JPEG file through libjpeg-turbo, writing to the `FILE` as it goes.
///
/// RGB images become Y'CbCr JPEGs with 4:4:4 or 4:2:0 chroma, gray images grayscale JPEGs.
/// An alpha plane is dropped (JPEG has none). Samples are written with 8 bits whatever the
/// source depth. The header's EXIF block is written as an APP1 "Exif" segment and its ICC
/// profile as APP2 "ICC_PROFILE" chunks, both verbatim.
///
/// Baseline output is streamed row by row. Progressive output makes libjpeg keep the whole
/// image's DCT coefficients (2 bytes per sample) until `finish()`, since every scan covers it.
final class JPEGEncoder: ImageRowSink {
    private var encoder: OpaquePointer?
    private var progress: RowProgress

    /// Starts a JPEG in `file`. Throws `.invalidArgument` for a quality outside 1–100 or an
    /// EXIF block that does not fit one APP1 segment.
    init(file: UnsafeMutablePointer<FILE>, header: EncodeHeader, options: JPEGEncodeOptions) throws {
        progress = try RowProgress(header: header, format: .jpeg)
        guard (1...100).contains(options.quality) else {
            throw ImageError(.invalidArgument, "JPEG quality must be 1–100, not \(options.quality)")
        }
        guard header.width <= Int(JPEG_MAX_DIMENSION), header.height <= Int(JPEG_MAX_DIMENSION) else {
            throw ImageError(.invalidArgument, "JPEG cannot hold \(header.width)x\(header.height) pixels; the longest side allowed is \(JPEG_MAX_DIMENSION)")
        }
        let exif = header.metadata.exif ?? Data()
        let maxEXIF = 65533 - 6
        guard exif.count <= maxEXIF else {
            throw ImageError(.invalidArgument, "EXIF block of \(exif.count) bytes does not fit in a JPEG APP1 segment (at most \(maxEXIF) bytes)")
        }
        let icc = header.metadata.colorSpace.iccProfile ?? Data()

        guard let encoder = gs_jpeg_encoder_create() else {
            throw ImageError(.io, "out of memory creating a JPEG encoder")
        }
        self.encoder = encoder
        var params = gs_jpeg_encode_params(
            width: UInt32(header.width), height: UInt32(header.height), components: Int32(header.colorChannels),
            quality: Int32(options.quality), subsample_420: options.chromaSubsampling == .yuv420 ? 1 : 0,
            progressive: options.progressive ? 1 : 0)
        let status = exif.withUnsafeBytes { exifBytes in
            icc.withUnsafeBytes { iccBytes in
                gs_jpeg_encoder_start(encoder, file, &params,
                                      exifBytes.bindMemory(to: UInt8.self).baseAddress, exifBytes.count,
                                      iccBytes.bindMemory(to: UInt8.self).baseAddress, iccBytes.count)
            }
        }
        try check(status)
    }

    deinit {
        // Destroying an unfinished compression abandons it; the FILE belongs to the caller.
        gs_jpeg_encoder_destroy(encoder)
    }

    /// Compresses the band's rows right away (colour planes only; alpha is dropped).
    func write(_ band: Image) throws {
        guard let encoder else { throw ImageError(.invalidArgument, "JPEG write after the encoder failed or finished") }
        try progress.accept(band)
        let samples = InterleavedRaster.interleaved8(band, includeAlpha: false)
        let rowBytes = band.width * band.colorChannelCount
        let status = samples.withUnsafeBufferPointer {
            gs_jpeg_encoder_write_rows(encoder, $0.baseAddress, rowBytes, UInt32(band.height))
        }
        try check(status)
    }

    /// Writes the remaining scans and the EOI marker.
    func finish() throws {
        guard let encoder else { throw ImageError(.invalidArgument, "JPEG finish after the encoder failed or finished") }
        try progress.checkComplete()
        try check(gs_jpeg_encoder_finish(encoder))
        gs_jpeg_encoder_destroy(encoder)
        self.encoder = nil
    }

    private func check(_ status: gs_jpeg_status) throws {
        guard status != GS_JPEG_OK else { return }
        let libjpeg = String(cString: gs_jpeg_encoder_message(encoder))
        gs_jpeg_encoder_destroy(encoder)
        encoder = nil
        switch status {
        case GS_JPEG_IO: throw ImageError(.io, "JPEG write failed: \(libjpeg) (\(POSIX.lastError))")
        case GS_JPEG_NO_MEMORY: throw ImageError(.tooLarge, "JPEG encoder ran out of memory: \(libjpeg)")
        default: throw ImageError(.invalidArgument, "JPEG encoder failed: \(libjpeg)")
        }
    }
}
