import CCodecShims
import Foundation

/// Decodes PNG through libpng: every colour type and bit depth, interlaced or not.
///
/// Palettes become RGB, 1/2/4-bit gray is scaled to 8 bits (1 → 255), tRNS becomes an alpha
/// plane, and 16-bit samples stay 16-bit. gAMA, sRGB, iCCP and eXIf are read wherever they sit.
enum PNGDecoder {
    /// Decodes a whole PNG file held in memory; orientation is left to `ImageReader`.
    static func decode(_ data: Data, limits: DecodeLimits, checkHeader: HeaderCheck? = nil) throws -> Image {
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var errors = ShimErrorBuffer()
            var decoder: OpaquePointer?
            var header = gs_png_header()
            var truncated: Int32 = 0
            let opened = errors.call { gs_png_decoder_create(bytes.baseAddress, bytes.count, &decoder, &header, &truncated, $0, $1) }
            guard opened == 0, let decoder else { throw failure(errors.message, truncated: truncated, phase: "header") }
            defer { gs_png_decoder_destroy(decoder) }

            let width = Int(header.width), height = Int(header.height)
            try limits.checkHeader(DeclaredSize(format: .png, width: width, height: height), then: checkHeader)
            var pixels = [UInt8](repeating: 0, count: height * header.row_bytes)
            var metadata = gs_png_metadata()
            let decoded = pixels.withUnsafeMutableBufferPointer { out in
                errors.call { gs_png_decode_rows(decoder, out.baseAddress, &metadata, &truncated, $0, $1) }
            }
            guard decoded == 0 else { throw failure(errors.message, truncated: truncated, phase: "image data") }

            let channels = Int(header.channels)
            let samples: InterleavedRaster.Samples = header.sample_bytes == 2
                ? .uint16(pixels.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) })
                : .uint8(pixels)
            let raster = InterleavedRaster(width: width, height: height, channels: channels, samples: samples)
            return raster.makeImage(metadata: makeMetadata(header, metadata))
        }
    }

    private static func makeMetadata(_ header: gs_png_header, _ found: gs_png_metadata) -> ImageMetadata {
        var notes: [String] = []
        if found.missing_end != 0 { notes.append("the PNG ends after its image data without an IEND chunk") }
        if found.warnings > 0 {
            var warning = found.last_warning
            let text = withUnsafeBytes(of: &warning) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            notes.append("libpng warned \(found.warnings) time\(found.warnings == 1 ? "" : "s"), last: \(text)")
        }
        let icc = found.icc.map { Data(bytes: $0, count: Int(found.icc_length)) }
        let exif = found.exif.map { Data(bytes: $0, count: Int(found.exif_length)) }
        return ImageMetadata(
            sourceFormat: .png,
            bitDepth: header.color_type == 3 ? 8 : Int(header.bit_depth),   // palette entries are 8-bit
            sampleFormat: .unsignedInteger,
            colorSpace: ColorSpace(iccProfile: icc, declaresSRGB: found.has_srgb != 0,
                                   gamma: found.has_gamma != 0 ? found.gamma : nil),
            exif: exif,
            notes: notes)
    }

    /// Words for a libpng failure: running out of data is `.truncated`, anything else `.corrupt`.
    private static func failure(_ message: String, truncated: Int32, phase: String) -> ImageError {
        if truncated != 0 { return ImageError(.truncated, "\(message) (in the \(phase))") }
        if message.contains("Not a PNG file") || message.contains("PNG file corrupted") {
            return ImageError(.corrupt, "corrupt PNG: \(message)")
        }
        return ImageError(.corrupt, "corrupt PNG (\(phase)): \(message)")
    }
}
