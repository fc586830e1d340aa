import CCodecShims
import CLibTIFF

/// The TIFF tags and values the codec uses, as the unsigned types the shim takes.
enum TIFFTag {
    static let imageWidth: UInt32 = 256
    static let imageLength: UInt32 = 257
    static let bitsPerSample: UInt32 = 258
    static let compression: UInt32 = 259
    static let photometric: UInt32 = 262
    static let imageDescription: UInt32 = 270
    static let make: UInt32 = 271
    static let model: UInt32 = 272
    static let orientation: UInt32 = 274
    static let samplesPerPixel: UInt32 = 277
    static let rowsPerStrip: UInt32 = 278
    static let planarConfig: UInt32 = 284
    static let software: UInt32 = 305
    static let dateTime: UInt32 = 306
    static let artist: UInt32 = 315
    static let predictor: UInt32 = 317
    static let tileWidth: UInt32 = 322
    static let tileLength: UInt32 = 323
    static let sampleFormat: UInt32 = 339
    static let copyright: UInt32 = 33432
    /// libtiff's pseudo-tag asking the JPEG codec to hand out RGB instead of Y'CbCr.
    static let jpegColorMode: UInt32 = 65538
}

enum TIFFValue {
    static let compressionNone: UInt16 = 1
    static let compressionLZW: UInt16 = 5
    static let compressionJPEG: UInt16 = 7
    static let compressionAdobeDeflate: UInt16 = 8
    static let photometricMinIsWhite: UInt16 = 0
    static let photometricMinIsBlack: UInt16 = 1
    static let photometricRGB: UInt16 = 2
    static let photometricPalette: UInt16 = 3
    static let photometricYCbCr: UInt16 = 6
    static let planarContig: UInt16 = 1
    static let planarSeparate: UInt16 = 2
    static let predictorHorizontal: UInt16 = 2
    static let extraSampleUnspecified: UInt16 = 0
    static let extraSampleAssociatedAlpha: UInt16 = 1
    static let extraSampleUnassociatedAlpha: UInt16 = 2
    static let sampleFormatUInt: UInt16 = 1
    static let sampleFormatInt: UInt16 = 2
    static let sampleFormatFloat: UInt16 = 3
    static let orientationTopLeft: UInt16 = 1
    static let jpegColorModeRGB: UInt16 = 1
}

/// Owns one shim handle (a libtiff `TIFF*` with its silent, message-collecting handlers) and
/// closes it exactly once.
final class TIFFHandle {
    private(set) var raw: OpaquePointer?

    init(_ raw: OpaquePointer) { self.raw = raw }

    deinit { close() }

    /// The libtiff handle, or `nil` when libtiff refused to open.
    var tiff: OpaquePointer? { raw.flatMap { gs_tiff_tiff($0) } }

    /// libtiff's error messages so far, "" if none.
    var errors: String { raw.map { String(cString: gs_tiff_errors($0)) } ?? "" }
    /// libtiff's warnings so far, "" if none.
    var warnings: String { raw.map { String(cString: gs_tiff_warnings($0)) } ?? "" }

    /// The errors, else the warnings, else `fallback`: the best words libtiff gave.
    func messages(or fallback: String) -> String {
        let e = errors
        if !e.isEmpty { return e }
        let w = warnings
        return w.isEmpty ? fallback : w
    }

    /// Where the first read past the end of the data started and wanted to end, if any.
    var readPastEnd: (start: UInt64, end: UInt64)? {
        guard let raw else { return nil }
        var start: UInt64 = 0, end: UInt64 = 0
        return gs_tiff_read_past_end(raw, &start, &end) != 0 ? (start, end) : nil
    }

    /// Makes later writes fail silently (an abandoned output).
    func discardWrites() { if let raw { gs_tiff_discard_writes(raw) } }

    /// Closes libtiff's handle (flushing a writer) and frees the shim's.
    func close() {
        if let raw { gs_tiff_close(raw) }
        raw = nil
    }

    // Field access through the shim's fixed-signature wrappers of TIFFGetField.

    func u16(_ tag: UInt32, defaulted: Bool = true) -> UInt16? {
        guard let tif = tiff else { return nil }
        var value: UInt16 = 0
        let ok = defaulted ? gs_tiff_get_u16_defaulted(tif, tag, &value) : gs_tiff_get_u16(tif, tag, &value)
        return ok != 0 ? value : nil
    }

    func u32(_ tag: UInt32, defaulted: Bool = true) -> UInt32? {
        guard let tif = tiff else { return nil }
        var value: UInt32 = 0
        let ok = defaulted ? gs_tiff_get_u32_defaulted(tif, tag, &value) : gs_tiff_get_u32(tif, tag, &value)
        return ok != 0 ? value : nil
    }
}
