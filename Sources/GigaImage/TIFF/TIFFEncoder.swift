import CCodecShims
import CLibTIFF
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams rows into a TIFF file through libtiff: 8- or 16-bit unsigned samples, gray or RGB,
/// with unassociated alpha (ExtraSamples = 2) when the header has alpha; uncompressed, LZW or
/// Deflate strips (the compressed ones with the horizontal predictor) of about 64 KiB each;
/// Orientation 1 (top-left); the ICC profile when the metadata has one.
///
/// EXIF: TIFF has no place for a verbatim EXIF block, and rebuilding an EXIF sub-IFD field by
/// field is not done. What is carried are the baseline text tags that EXIF's IFD0 shares with
/// TIFF (ImageDescription, Make, Model, Software, DateTime, Artist, Copyright); exposure data
/// and the rest of the EXIF sub-IFD are not written to TIFF output.
///
/// Each `write(_:)` hands its rows to `TIFFWriteScanline` at once; `finish()` writes the
/// directory. Output above 3.5 GB of raw samples is written as BigTIFF.
final class TIFFEncoder: ImageRowSink {
    private var handle: TIFFHandle?
    private var progress: RowProgress
    private let bitDepth: Int
    private let includeAlpha: Bool
    private let samplesPerRow: Int

    /// Samples above this many bytes (uncompressed) go into a BigTIFF, since classic TIFF
    /// offsets stop at 4 GiB.
    static let bigTIFFThreshold = 3_500_000_000
    /// The strip size aimed at.
    static let stripBytes = 64 * 1024

    init(file: UnsafeMutablePointer<FILE>, header: EncodeHeader, options: TIFFEncodeOptions) throws {
        progress = try RowProgress(header: header, format: .tiff)
        bitDepth = try options.bitDepth.resolvedBitDepth(for: header, format: .tiff)
        includeAlpha = header.hasAlpha
        let samplesPerPixel = header.colorChannels + (header.hasAlpha ? 1 : 0)
        samplesPerRow = header.width * samplesPerPixel
        let rowBytes = samplesPerRow * bitDepth / 8
        let (totalBytes, overflow) = rowBytes.multipliedReportingOverflow(by: header.height)

        guard fflush(file) == 0 else {
            throw ImageError(.io, "cannot write the TIFF: \(POSIX.lastError)")
        }
        guard let raw = gs_tiff_open_file_for_writing(file, overflow || totalBytes > Self.bigTIFFThreshold ? 1 : 0) else {
            throw ImageError(.io, "out of memory opening the TIFF output")
        }
        let handle = TIFFHandle(raw)
        self.handle = handle
        guard let tif = handle.tiff else {
            throw ImageError(.io, "libtiff cannot start the TIFF output: \(handle.messages(or: "no reason given"))")
        }

        func set16(_ tag: UInt32, _ value: UInt16, _ name: String) throws {
            guard gs_tiff_set_u16(tif, tag, value) != 0 else { throw Self.tagError(handle, name) }
        }
        func set32(_ tag: UInt32, _ value: UInt32, _ name: String) throws {
            guard gs_tiff_set_u32(tif, tag, value) != 0 else { throw Self.tagError(handle, name) }
        }
        guard let width = UInt32(exactly: header.width), let height = UInt32(exactly: header.height) else {
            throw ImageError(.invalidArgument, "TIFF cannot hold \(header.width)x\(header.height) pixels")
        }
        try set32(TIFFTag.imageWidth, width, "ImageWidth")
        try set32(TIFFTag.imageLength, height, "ImageLength")
        try set16(TIFFTag.bitsPerSample, UInt16(bitDepth), "BitsPerSample")
        try set16(TIFFTag.samplesPerPixel, UInt16(samplesPerPixel), "SamplesPerPixel")
        try set16(TIFFTag.sampleFormat, TIFFValue.sampleFormatUInt, "SampleFormat")
        try set16(TIFFTag.photometric, header.colorChannels == 3 ? TIFFValue.photometricRGB : TIFFValue.photometricMinIsBlack, "PhotometricInterpretation")
        try set16(TIFFTag.planarConfig, TIFFValue.planarContig, "PlanarConfiguration")
        let orientation = (1...8).contains(header.orientation) ? UInt16(header.orientation) : TIFFValue.orientationTopLeft
        try set16(TIFFTag.orientation, orientation, "Orientation")
        if header.hasAlpha {
            var kinds: [UInt16] = [TIFFValue.extraSampleUnassociatedAlpha]
            guard gs_tiff_set_extra_samples(tif, 1, &kinds) != 0 else { throw Self.tagError(handle, "ExtraSamples") }
        }
        switch options.compression {
        case .none:
            try set16(TIFFTag.compression, TIFFValue.compressionNone, "Compression")
        case .lzw:
            try set16(TIFFTag.compression, TIFFValue.compressionLZW, "Compression")
            try set16(TIFFTag.predictor, TIFFValue.predictorHorizontal, "Predictor")
        case .deflate:
            try set16(TIFFTag.compression, TIFFValue.compressionAdobeDeflate, "Compression")
            try set16(TIFFTag.predictor, TIFFValue.predictorHorizontal, "Predictor")
        }
        try set32(TIFFTag.rowsPerStrip, UInt32(max(1, min(header.height, Self.stripBytes / max(rowBytes, 1)))), "RowsPerStrip")

        if let icc = header.metadata.colorSpace.iccProfile, !icc.isEmpty {
            guard let count = UInt32(exactly: icc.count) else {
                throw ImageError(.invalidArgument, "ICC profile of \(icc.count) bytes is too large for a TIFF tag")
            }
            let ok = icc.withUnsafeBytes { gs_tiff_set_counted_bytes(tif, UInt32(TIFFTAG_ICCPROFILE), count, $0.baseAddress) }
            guard ok != 0 else { throw Self.tagError(handle, "ICCProfile") }
        }
        if let exif = header.metadata.exif {
            for (tag, text) in TIFFEXIFText.baselineText(in: exif) {
                guard gs_tiff_set_string(tif, tag, text) != 0 else { throw Self.tagError(handle, "tag \(tag) from EXIF") }
            }
        }
    }

    deinit {
        // Abandoned before finish(): close without writing anything more.
        if let handle {
            handle.discardWrites()
            handle.close()
        }
    }

    private static func tagError(_ handle: TIFFHandle, _ name: String) -> ImageError {
        ImageError(.invalidArgument, "libtiff refused the TIFF \(name) field: \(handle.messages(or: "no reason given"))")
    }

    private func writeError(_ handle: TIFFHandle, _ doing: String) -> ImageError {
        ImageError(.io, "cannot write the TIFF (\(doing)): \(handle.messages(or: POSIX.lastError))")
    }

    /// Appends the next band of rows, passing each to libtiff at once.
    func write(_ band: Image) throws {
        guard let handle, let tif = handle.tiff else {
            throw ImageError(.invalidArgument, "TIFF write after the image was finished")
        }
        let firstRow = progress.rowsWritten
        try progress.accept(band)
        func writeRows(_ base: UnsafeMutableRawPointer, rowBytes: Int) throws {
            for r in 0..<band.height {
                if TIFFWriteScanline(tif, base + r * rowBytes, UInt32(firstRow + r), 0) != 1 {
                    throw writeError(handle, "row \(firstRow + r)")
                }
            }
        }
        if bitDepth == 8 {
            var samples = InterleavedRaster.interleaved8(band, includeAlpha: includeAlpha)
            try samples.withUnsafeMutableBytes { try writeRows($0.baseAddress!, rowBytes: samplesPerRow) }
        } else {
            var samples = InterleavedRaster.interleaved16(band, includeAlpha: includeAlpha)
            try samples.withUnsafeMutableBytes { try writeRows($0.baseAddress!, rowBytes: samplesPerRow * 2) }
        }
    }

    /// Writes the directory and closes libtiff's handle; throws if rows are missing.
    func finish() throws {
        guard let handle, let tif = handle.tiff else {
            throw ImageError(.invalidArgument, "TIFF finished twice")
        }
        try progress.checkComplete()
        guard TIFFWriteDirectory(tif) == 1 else { throw writeError(handle, "directory") }
        handle.close()
        self.handle = nil
        let errors = handle.errors
        guard errors.isEmpty else { throw ImageError(.io, "cannot write the TIFF: \(errors)") }
    }
}

/// The text tags that EXIF's IFD0 shares with baseline TIFF, read from a TIFF-structured EXIF
/// block with every offset checked.
enum TIFFEXIFText {
    static let tags: [UInt32] = [TIFFTag.imageDescription, TIFFTag.make, TIFFTag.model, TIFFTag.software,
                                 TIFFTag.dateTime, TIFFTag.artist, TIFFTag.copyright]

    /// (tag, text) for each shared ASCII tag present in IFD0, in tag order.
    static func baselineText(in exif: Data) -> [(UInt32, String)] {
        guard let block = EXIFBlock(exif) else { return [] }
        let b = [UInt8](block.bytes)
        let bigEndian = b[0] == 0x4D
        func u16(_ o: Int) -> Int? {
            guard o >= 0, o + 2 <= b.count else { return nil }
            return bigEndian ? Int(b[o]) << 8 | Int(b[o + 1]) : Int(b[o + 1]) << 8 | Int(b[o])
        }
        func u32(_ o: Int) -> Int? {
            guard let a = u16(o), let c = u16(o + 2) else { return nil }
            return bigEndian ? a << 16 | c : c << 16 | a
        }
        guard let ifd = u32(4), let count = u16(ifd) else { return [] }
        var result: [(UInt32, String)] = []
        for i in 0..<count {
            let entry = ifd + 2 + 12 * i
            guard let tag = u16(entry), let type = u16(entry + 2), let n = u32(entry + 4) else { break }
            guard type == 2, n > 0, n <= 65_536, tags.contains(UInt32(tag)) else { continue }
            let start = n <= 4 ? entry + 8 : (u32(entry + 8) ?? -1)
            guard start >= 0, start + n <= b.count else { continue }
            let text = String(decoding: b[start..<(start + n)].prefix { $0 != 0 }, as: UTF8.self)
            if !text.isEmpty { result.append((UInt32(tag), text)) }
        }
        return result
    }
}
