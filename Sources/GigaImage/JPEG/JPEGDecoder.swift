import CCodecShims
import CLibJPEG
import Foundation

/// Decodes JPEG files through libjpeg-turbo (8-bit samples, baseline or progressive, Huffman or
/// arithmetic coded) by way of the setjmp-protected C shim in `CCodecShims/jpeg.c`.
///
/// - Grayscale files decode to one plane; Y'CbCr and RGB files to three.
/// - CMYK and YCCK files (libjpeg turns YCCK into CMYK) are converted to RGB without colour
///   management by the naive formula R = (1 − C)(1 − K), G = (1 − M)(1 − K), B = (1 − Y)(1 − K)
///   on straight ink values in [0, 1]. Files with an Adobe APP14 marker store their samples
///   inverted (0 = full ink), as Photoshop writes them; others store ink directly. The file's
///   ICC profile describes CMYK, so it is dropped from the metadata (a note says so).
/// - A file that ends early or whose data is damaged is an error (libjpeg itself would fill the
///   rest with grey and only warn): `.truncated` or `.corrupt` with libjpeg's words and where the
///   data stops. A file whose pixels are all present but which lacks the final EOI marker, or has
///   stray bytes just before it, decodes with a note. More than 500 scans is `.tooLarge`.
/// - 12-bit, lossless and hierarchical JPEG are `.unsupported`.
///
/// The declared size is checked against `DecodeLimits` before libjpeg allocates anything large.
enum JPEGDecoder {
    /// Decodes a whole JPEG file held in memory. The result's metadata names the format, bit
    /// depth, colour space and EXIF; orientation is not applied here (ImageReader does it).
    static func decode(_ data: Data, limits: DecodeLimits, checkHeader: HeaderCheck? = nil) throws -> Image {
        guard let decoder = gs_jpeg_decoder_create() else {
            throw ImageError(.tooLarge, "out of memory creating a JPEG decoder")
        }
        defer { gs_jpeg_decoder_destroy(decoder) }

        // libjpeg reads straight from `data`'s bytes until the decoder is destroyed, so the
        // whole decode happens inside this closure.
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Image in
            let bytes = raw.bindMemory(to: UInt8.self)
            var header = gs_jpeg_header()
            try check(gs_jpeg_decoder_read_header(decoder, bytes.baseAddress, bytes.count, &header),
                      decoder, byteCount: bytes.count, header: header)

            let width = Int(header.width), height = Int(header.height)
            try limits.checkHeader(DeclaredSize(format: .jpeg, width: width, height: height), then: checkHeader)
            let channels = Int(header.output_channels)
            guard channels > 0 else {
                throw ImageError(.unsupported, "JPEG with \(header.components) components in an unknown colour space (only gray, Y'CbCr/RGB and CMYK/YCCK are supported)")
            }

            let rowBytes = width * channels
            var pixels = [UInt8](repeating: 0, count: rowBytes * height)
            let status = pixels.withUnsafeMutableBufferPointer {
                gs_jpeg_decoder_read_pixels(decoder, $0.baseAddress, rowBytes)
            }
            try check(status, decoder, byteCount: bytes.count, header: header)

            var metadata = ImageMetadata(sourceFormat: .jpeg, bitDepth: 8, sampleFormat: .unsignedInteger)
            metadata.notes = notes(decoder)
            metadata.exif = exif(decoder, notes: &metadata.notes)
            let icc = iccProfile(decoder)
            if channels == 4 {
                let inverted = header.saw_adobe_marker != 0
                let kind = header.jpeg_color_space == Int32(JCS_YCCK.rawValue) ? "YCCK" : "CMYK"
                metadata.notes.append("\(kind) JPEG converted to RGB without colour management, R = (1-C)(1-K) etc.\(inverted ? " (Adobe inverted samples)" : "")")
                if icc != nil {
                    metadata.notes.append("dropped the embedded CMYK ICC profile: it does not describe the RGB pixels")
                }
                return cmykToRGB(pixels, width: width, height: height, inverted: inverted, metadata: metadata)
            }
            metadata.colorSpace.iccProfile = icc
            let raster = InterleavedRaster(width: width, height: height, channels: channels, samples: .uint8(pixels))
            return raster.makeImage(metadata: metadata)
        }
    }

    /// Turns a shim status into the matching `ImageError`, in words that say what went wrong.
    private static func check(_ status: gs_jpeg_status, _ decoder: OpaquePointer, byteCount: Int,
                              header: gs_jpeg_header) throws {
        guard status != GS_JPEG_OK else { return }
        var libjpeg = String(cString: gs_jpeg_decoder_message(decoder))
        let row = Int(gs_jpeg_decoder_failure_row(decoder)), scan = Int(gs_jpeg_decoder_failure_scan(decoder))
        // Where in the image data it happened: the block row for a sequential file, the scan
        // for a progressive one (whose every scan covers the whole picture).
        var place = ""
        if header.progressive != 0, scan > 0 {
            place = " (the data stops in scan \(scan) of the progressive image)"
        } else if row >= 0, header.height > 0 {
            place = " (the data stops in the block row starting at pixel row \(row) of \(header.height))"
        }
        let prefix = "Corrupt JPEG data: "
        if libjpeg.hasPrefix(prefix) { libjpeg.removeFirst(prefix.count) }
        switch status {
        case GS_JPEG_TRUNCATED:
            throw ImageError(.truncated, "truncated JPEG data: premature end of file after \(byteCount) bytes\(place) (libjpeg: \(libjpeg))")
        case GS_JPEG_UNSUPPORTED:
            throw ImageError(.unsupported, "unsupported JPEG: \(libjpeg); only 8-bit baseline and progressive JPEG can be decoded")
        case GS_JPEG_NO_MEMORY:
            throw ImageError(.tooLarge, "JPEG too large to decode: \(libjpeg)")
        case GS_JPEG_LIMIT:
            throw ImageError(.tooLarge, "JPEG refused: \(libjpeg) (a progressive JPEG needs about 10; each scan re-walks the whole image)")
        case GS_JPEG_IO:
            throw ImageError(.io, "JPEG read failed: \(libjpeg)")
        case GS_JPEG_MISUSE:
            throw ImageError(.corrupt, "JPEG decoder failed: \(libjpeg)")
        default:
            throw ImageError(.corrupt, "corrupt JPEG data: \(libjpeg)\(place)")
        }
    }

    private static func notes(_ decoder: OpaquePointer) -> [String] {
        String(cString: gs_jpeg_decoder_notes(decoder)).split(separator: "\n").map(String.init)
    }

    /// The TIFF-structured EXIF payload, or `nil` (with a note) when the APP1 segment holds none.
    private static func exif(_ decoder: OpaquePointer, notes: inout [String]) -> Data? {
        var size = 0
        guard let pointer = gs_jpeg_decoder_exif(decoder, &size), size > 0 else { return nil }
        let data = Data(bytes: pointer, count: size)
        guard EXIFBlock(data) != nil else {
            notes.append("ignored an EXIF segment of \(size) bytes that does not hold a TIFF header")
            return nil
        }
        return data
    }

    private static func iccProfile(_ decoder: OpaquePointer) -> Data? {
        var size = 0
        guard let pointer = gs_jpeg_decoder_icc(decoder, &size), size > 0 else { return nil }
        return Data(bytes: pointer, count: size)
    }

    /// Naive CMYK → RGB on straight ink values: R = (1 − C)(1 − K), and so on. Adobe files
    /// store 1 − ink, so there R = C'·K' on the stored values.
    private static func cmykToRGB(_ cmyk: [UInt8], width: Int, height: Int, inverted: Bool,
                                  metadata: ImageMetadata) -> Image {
        let count = width * height
        var planes = [[Float]](repeating: [Float](repeating: 0, count: count), count: 3)
        // paper[v]: the fraction of light a stored sample v lets through, 1 − ink.
        let paper: [Float] = (0...255).map { inverted ? Float($0) / 255 : 1 - Float($0) / 255 }
        cmyk.withUnsafeBufferPointer { src in
            for c in 0..<3 {
                planes[c].withUnsafeMutableBufferPointer { out in
                    for i in 0..<count {
                        out[i] = paper[Int(src[4 * i + c])] * paper[Int(src[4 * i + 3])]
                    }
                }
            }
        }
        return Image(width: width, height: height, planes: planes, metadata: metadata)
    }
}
