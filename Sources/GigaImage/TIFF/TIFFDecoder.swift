import CCodecShims
import CLibTIFF
import Foundation

/// Decodes the first page of a TIFF held in memory through libtiff.
///
/// Handled natively (exact samples): 8- and 16-bit unsigned integer and 32-bit float samples;
/// 1-, 2- and 4-bit gray; gray (MinIsBlack, MinIsWhite inverted), RGB and palette (1–8 bit
/// indices) colour; an alpha channel from ExtraSamples, associated (divided out) or not; strips
/// or tiles, contiguous or separate planes; every compression libtiff was built with (none,
/// LZW, Deflate, PackBits, JPEG — Y'CbCr JPEG is converted to RGB by libtiff — and more), with
/// predictors undone by libtiff. Other colour models libtiff's RGBA reader understands
/// (uncompressed Y'CbCr, CMYK, CIE L*a*b*) come through that reader as 8-bit RGB(A).
///
/// Metadata: bit depth and sample format, the ICC profile (tag 34675), the Orientation tag as
/// `sourceOrientation` (applied by `ImageReader`, not here), and a note when the file holds
/// more pages than the one decoded. An EXIF sub-IFD is not extracted: `metadata.exif` stays nil
/// for TIFF input, since the file's own tags already carry what the pipeline needs.
enum TIFFDecoder {
    /// The most directories counted when reporting pages.
    static let pageCountLimit = 4096
    /// The largest single strip or tile buffer accepted (a strip is at most the image itself).
    static let maxChunkBytes: UInt64 = 1 << 30

    /// Decodes a whole TIFF file held in memory. The result's metadata names the format, bit
    /// depth, colour space and orientation; orientation is not applied here (ImageReader does it).
    static func decode(_ data: Data, limits: DecodeLimits, checkHeader: HeaderCheck? = nil) throws -> Image {
        guard data.count >= 8 else {
            throw ImageError(.truncated, "truncated TIFF: the data ends after \(data.count) bytes, inside the 8-byte header")
        }
        let chain = TIFFDirectoryChain(data, limit: pageCountLimit)
        return try data.withUnsafeBytes { buffer in
            let bytes = buffer.bindMemory(to: UInt8.self)
            guard let raw = gs_tiff_open_memory(bytes.baseAddress, bytes.count) else {
                throw ImageError(.io, "out of memory opening the TIFF")
            }
            let handle = TIFFHandle(raw)
            defer { handle.close() }
            guard handle.tiff != nil else {
                throw failure(handle, dataSize: bytes.count, while: "reading the first directory (at byte \(chain.firstDirectoryOffset))", inDirectory: true)
            }
            // libtiff skips optional fields whose values lie past the end of the data; the
            // pixels may still be whole, so that is a note, not a failure. Any read past the
            // end from here on (pixel data) is an error.
            var openNotes: [String] = []
            var lostFields: String? = nil
            if let past = handle.readPastEnd {
                lostFields = "a field needed bytes up to \(past.end); libtiff skipped what it could not read (\(handle.messages(or: "no details")))"
                openNotes.append("TIFF data ends early (after \(bytes.count) bytes; \(lostFields!))")
            }
            gs_tiff_clear_messages(raw)
            var reader = try TIFFPageReader(handle: handle, dataSize: bytes.count, limits: limits, checkHeader: checkHeader)
            reader.lostFields = lostFields
            var image = try reader.read()
            if let past = handle.readPastEnd {
                throw ImageError(.truncated, "truncated TIFF: the pixel data needs bytes \(past.start)..<\(past.end), but the data ends after \(bytes.count) bytes (libtiff: \(handle.messages(or: "no details")))")
            }
            if chain.loops {
                // A cyclic chain is never written by a sane encoder; refuse rather than guess.
                throw ImageError(.corrupt, "corrupt TIFF: the directory chain loops back to an earlier directory after \(chain.count) page\(chain.count == 1 ? "" : "s")")
            }
            image.metadata.notes.append(contentsOf: openNotes + pageNotes(chain))
            return image
        }
    }

    private static func pageNotes(_ chain: TIFFDirectoryChain) -> [String] {
        var notes: [String] = []
        if chain.hitLimit {
            notes.append("multi-page TIFF: decoded page 1 of more than \(chain.count)")
        } else if chain.count > 1 {
            notes.append("multi-page TIFF: decoded page 1 of \(chain.count)")
        }
        return notes
    }

    /// An error from libtiff's messages, classified: a read that ran off the end of the data
    /// means a truncated file, unless it started far past the end (more than four times the
    /// data's size plus 1 MiB), which reads as a corrupt offset. Reads of the first directory
    /// always count as truncation: writers commonly put the directory after the pixels.
    static func failure(_ handle: TIFFHandle, dataSize: Int, while doing: String, inDirectory: Bool) -> ImageError {
        let words = handle.messages(or: "libtiff gave no reason")
        let size = UInt64(dataSize)
        if let past = handle.readPastEnd {
            if inDirectory || past.start <= size * 4 + (1 << 20) {
                return ImageError(.truncated, "truncated TIFF: \(doing) needs bytes \(past.start)..<\(past.end), but the data ends after \(size) bytes (libtiff: \(words))")
            }
            return ImageError(.corrupt, "corrupt TIFF: \(doing) points to byte \(past.start), past the end of the \(size)-byte data (libtiff: \(words))")
        }
        return ImageError(.corrupt, "corrupt TIFF: \(doing) failed (libtiff: \(words))")
    }
}

/// Reads the current directory of an open TIFF into an `Image`.
private struct TIFFPageReader {
    let handle: TIFFHandle
    let tif: OpaquePointer
    let dataSize: Int
    let width: Int
    let height: Int
    var notes: [String] = []
    /// Set when the directory referred to bytes past the end of the data.
    var lostFields: String? = nil

    init(handle: TIFFHandle, dataSize: Int, limits: DecodeLimits, checkHeader: HeaderCheck?) throws {
        self.handle = handle
        self.tif = handle.tiff!
        self.dataSize = dataSize
        guard let w = handle.u32(TIFFTag.imageWidth, defaulted: false),
              let h = handle.u32(TIFFTag.imageLength, defaulted: false) else {
            throw ImageError(.corrupt, "corrupt TIFF: the first directory has no ImageWidth/ImageLength")
        }
        width = Int(w)
        height = Int(h)
        try limits.checkHeader(DeclaredSize(format: .tiff, width: width, height: height), then: checkHeader)
    }

    func fail(_ doing: String) -> ImageError {
        if handle.readPastEnd == nil, let lostFields {
            // Fields lost to the early end (JPEG tables, say) are the likely cause.
            return ImageError(.truncated, "truncated TIFF: \(doing) failed (libtiff: \(handle.messages(or: "no reason given"))) after the data ended early: it ends after \(dataSize) bytes, and \(lostFields)")
        }
        return TIFFDecoder.failure(handle, dataSize: dataSize, while: doing, inDirectory: false)
    }

    mutating func read() throws -> Image {
        let compression = handle.u16(TIFFTag.compression) ?? TIFFValue.compressionNone
        var photometric = handle.u16(TIFFTag.photometric) ?? TIFFValue.photometricMinIsBlack
        let samplesPerPixel = Int(handle.u16(TIFFTag.samplesPerPixel) ?? 1)
        let bitsPerSample = Int(handle.u16(TIFFTag.bitsPerSample) ?? 1)
        let sampleFormat = handle.u16(TIFFTag.sampleFormat) ?? TIFFValue.sampleFormatUInt
        let planar = handle.u16(TIFFTag.planarConfig) ?? TIFFValue.planarContig
        let orientation = Int(handle.u16(TIFFTag.orientation) ?? 1)

        var metadata = ImageMetadata(sourceFormat: .tiff, bitDepth: bitsPerSample)
        if (1...8).contains(orientation) {
            metadata.sourceOrientation = orientation
        } else {
            notes.append("ignored the invalid TIFF Orientation \(orientation)")
        }
        var iccLength: UInt32 = 0
        var iccBytes: UnsafePointer<UInt8>? = nil
        if gs_tiff_get_icc(tif, &iccLength, &iccBytes) != 0, let iccBytes {
            metadata.colorSpace.iccProfile = Data(bytes: iccBytes, count: Int(iccLength))
        }

        // Y'CbCr JPEG: libtiff's JPEG codec converts to RGB when asked (before any size query).
        if compression == TIFFValue.compressionJPEG && photometric == TIFFValue.photometricYCbCr {
            guard gs_tiff_set_u16(tif, TIFFTag.jpegColorMode, TIFFValue.jpegColorModeRGB) != 0 else {
                throw fail("switching the JPEG codec to RGB output")
            }
            photometric = TIFFValue.photometricRGB
        }

        let colorSamples: Int
        switch photometric {
        case TIFFValue.photometricMinIsBlack, TIFFValue.photometricMinIsWhite, TIFFValue.photometricPalette: colorSamples = 1
        case TIFFValue.photometricRGB: colorSamples = 3
        default:
            return try readThroughRGBA(photometric: photometric, metadata: metadata)
        }
        guard samplesPerPixel >= colorSamples else {
            throw ImageError(.corrupt, "corrupt TIFF: photometric \(photometric) needs \(colorSamples) samples per pixel, the file declares \(samplesPerPixel)")
        }

        // The first extra sample is alpha when ExtraSamples says so; others are dropped.
        var extraCount: UInt16 = 0
        var extraKinds: UnsafePointer<UInt16>? = nil
        _ = gs_tiff_get_extra_samples(tif, &extraCount, &extraKinds)
        var alphaSample: Int? = nil
        var premultiplied = false
        if samplesPerPixel > colorSamples {
            let kind = extraCount > 0 ? extraKinds?[0] ?? TIFFValue.extraSampleUnspecified : TIFFValue.extraSampleUnspecified
            if kind == TIFFValue.extraSampleAssociatedAlpha || kind == TIFFValue.extraSampleUnassociatedAlpha {
                alphaSample = colorSamples
                premultiplied = kind == TIFFValue.extraSampleAssociatedAlpha
            }
            let dropped = samplesPerPixel - colorSamples - (alphaSample == nil ? 0 : 1)
            if dropped > 0 {
                notes.append("ignored \(dropped) extra TIFF sample\(dropped == 1 ? "" : "s") per pixel that \(dropped == 1 ? "is" : "are") not alpha")
            }
        }
        let sourceIndices = Array(0..<colorSamples) + (alphaSample.map { [$0] } ?? [])

        let isPalette = photometric == TIFFValue.photometricPalette
        let invert = photometric == TIFFValue.photometricMinIsWhite
        let layout = try TIFFChunkLayout(handle: handle, width: width, height: height, bitsPerSample: bitsPerSample,
                                         samplesPerPixel: samplesPerPixel, separate: planar == TIFFValue.planarSeparate && samplesPerPixel > 1)

        var raster: InterleavedRaster
        switch (sampleFormat, bitsPerSample) {
        case (TIFFValue.sampleFormatUInt, 8):
            var s: [UInt8] = try readSamples(layout, sourceIndices: sourceIndices)
            if invert { invertColor(&s, channels: sourceIndices.count, max: UInt8.max) }
            raster = InterleavedRaster(width: width, height: height, channels: sourceIndices.count, samples: .uint8(s))
        case (TIFFValue.sampleFormatUInt, 16):
            guard !isPalette else { throw unsupported("16-bit palette indices") }
            var s: [UInt16] = try readSamples(layout, sourceIndices: sourceIndices)
            if invert { invertColor(&s, channels: sourceIndices.count, max: UInt16.max) }
            raster = InterleavedRaster(width: width, height: height, channels: sourceIndices.count, samples: .uint16(s))
        case (TIFFValue.sampleFormatFloat, 32):
            guard !isPalette else { throw unsupported("floating-point palette indices") }
            var s: [Float] = try readSamples(layout, sourceIndices: sourceIndices)
            if invert {
                let channels = sourceIndices.count
                for i in stride(from: 0, to: s.count, by: channels) { s[i] = 1 - s[i] }
            }
            raster = InterleavedRaster(width: width, height: height, channels: sourceIndices.count, samples: .float32(s))
            metadata.sampleFormat = .floatingPoint
        case (TIFFValue.sampleFormatUInt, 1), (TIFFValue.sampleFormatUInt, 2), (TIFFValue.sampleFormatUInt, 4):
            guard samplesPerPixel == 1 else {
                throw unsupported("\(bitsPerSample)-bit samples with \(samplesPerPixel) samples per pixel")
            }
            var s = try readSubByteSamples(layout, bits: bitsPerSample, scaleToByte: !isPalette)
            if invert { invertColor(&s, channels: 1, max: UInt8.max) }
            raster = InterleavedRaster(width: width, height: height, channels: 1, samples: .uint8(s))
        default:
            let kind = switch sampleFormat {
            case TIFFValue.sampleFormatUInt: "unsigned integer"
            case TIFFValue.sampleFormatInt: "signed integer"
            case TIFFValue.sampleFormatFloat: "floating-point"
            default: "sample format \(sampleFormat)"
            }
            throw unsupported("\(bitsPerSample)-bit \(kind) samples")
        }

        if isPalette {
            raster = try expandPalette(raster, bits: bitsPerSample, metadata: &metadata)
        }
        raster.alphaIsPremultiplied = premultiplied
        metadata.notes = notes
        return raster.makeImage(metadata: metadata)
    }

    func unsupported(_ what: String) -> ImageError {
        ImageError(.unsupported, "TIFF with \(what) is not supported (supported: 8/16-bit unsigned integer, 32-bit float, 1/2/4-bit gray or palette)")
    }

    private func invertColor<T: FixedWidthInteger>(_ s: inout [T], channels: Int, max: T) {
        // Only the gray sample of each pixel; alpha (if any) stays.
        for i in stride(from: 0, to: s.count, by: channels) { s[i] = max - s[i] }
    }

    /// Reads every chunk and places the chosen samples (`sourceIndices`, in output order) into
    /// an interleaved array. `T` must match the bits per sample.
    private func readSamples<T: Numeric>(_ layout: TIFFChunkLayout, sourceIndices: [Int]) throws -> [T] {
        let channels = sourceIndices.count, spp = layout.samplesPerPixel, width = self.width
        let (count, overflow) = width.multipliedReportingOverflow(by: height * channels)
        guard !overflow else { throw ImageError(.tooLarge, "TIFF of \(width)x\(height) pixels is too large to hold") }
        var out = [T](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { outBuffer in
            let outBase = outBuffer.baseAddress!
            try layout.forEachChunk(reader: self) { chunk in
                let elementStride = MemoryLayout<T>.stride
                for r in 0..<chunk.rows {
                    let row = (chunk.bytes + r * chunk.rowBytes).assumingMemoryBound(to: T.self)
                    let target = outBase + ((chunk.y + r) * width + chunk.x) * channels
                    if let plane = chunk.plane {
                        for c in 0..<channels where sourceIndices[c] == plane {
                            for x in 0..<chunk.columns { target[x * channels + c] = row[x] }
                        }
                    } else {
                        precondition(chunk.rowBytes >= chunk.columns * spp * elementStride)
                        for x in 0..<chunk.columns {
                            for c in 0..<channels { target[x * channels + c] = row[x * spp + sourceIndices[c]] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Reads 1-, 2- or 4-bit single-sample data as bytes: gray scaled onto 0...255, or raw
    /// palette indices.
    private func readSubByteSamples(_ layout: TIFFChunkLayout, bits: Int, scaleToByte: Bool) throws -> [UInt8] {
        let width = self.width
        var out = [UInt8](repeating: 0, count: width * height)
        let mask = (1 << bits) - 1
        let scale = scaleToByte ? 255 / mask : 1
        try out.withUnsafeMutableBufferPointer { outBuffer in
            let outBase = outBuffer.baseAddress!
            try layout.forEachChunk(reader: self) { chunk in
                precondition(chunk.rowBytes * 8 >= chunk.columns * bits)
                for r in 0..<chunk.rows {
                    let row = (chunk.bytes + r * chunk.rowBytes).assumingMemoryBound(to: UInt8.self)
                    let target = outBase + (chunk.y + r) * width + chunk.x
                    for x in 0..<chunk.columns {
                        let bit = x * bits
                        let value = Int(row[bit >> 3]) >> (8 - bits - (bit & 7)) & mask
                        target[x] = UInt8(value * scale)
                    }
                }
            }
        }
        return out
    }

    /// Looks palette indices (and alpha, if any) up in the colour map: 8-bit RGB when every
    /// entry is an 8-bit value scaled by 257, 16-bit RGB otherwise.
    private func expandPalette(_ indexed: InterleavedRaster, bits: Int, metadata: inout ImageMetadata) throws -> InterleavedRaster {
        var red: UnsafePointer<UInt16>? = nil, green: UnsafePointer<UInt16>? = nil, blue: UnsafePointer<UInt16>? = nil
        guard gs_tiff_get_colormap(tif, &red, &green, &blue) != 0, let red, let green, let blue else {
            throw ImageError(.corrupt, "corrupt TIFF: palette image without a ColorMap")
        }
        guard case .uint8(let indices) = indexed.samples else { throw unsupported("\(bits)-bit palette indices") }
        let entries = 1 << bits
        let maps = [red, green, blue]
        let eightBit = maps.allSatisfy { map in (0..<entries).allSatisfy { map[$0] % 257 == 0 } }
        let inChannels = indexed.channels, outChannels = inChannels + 2
        let pixels = width * height
        metadata.bitDepth = eightBit ? 8 : 16
        var result = indexed
        result.channels = outChannels
        if eightBit {
            var out = [UInt8](repeating: 0, count: pixels * outChannels)
            for i in 0..<pixels {
                let index = min(Int(indices[i * inChannels]), entries - 1)
                for c in 0..<3 { out[i * outChannels + c] = UInt8(maps[c][index] / 257) }
                if inChannels == 2 { out[i * outChannels + 3] = indices[i * inChannels + 1] }
            }
            result.samples = .uint8(out)
        } else {
            var out = [UInt16](repeating: 0, count: pixels * outChannels)
            for i in 0..<pixels {
                let index = min(Int(indices[i * inChannels]), entries - 1)
                for c in 0..<3 { out[i * outChannels + c] = maps[c][index] }
                if inChannels == 2 { out[i * outChannels + 3] = UInt16(indices[i * inChannels + 1]) * 257 }
            }
            result.samples = .uint16(out)
        }
        return result
    }

    /// Colour models decoded by libtiff's RGBA reader, which yields 8-bit, premultiplied RGBA.
    /// The requested orientation is the file's own, so the rows come in stored order.
    private mutating func readThroughRGBA(photometric: UInt16, metadata: ImageMetadata) throws -> Image {
        var reason = [CChar](repeating: 0, count: 1024)
        guard TIFFRGBAImageOK(tif, &reason) == 1 else {
            let words = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageError(.unsupported, "TIFF with photometric interpretation \(photometric) is not supported (libtiff: \(words))")
        }
        var extraCount: UInt16 = 0
        var extraKinds: UnsafePointer<UInt16>? = nil
        _ = gs_tiff_get_extra_samples(tif, &extraCount, &extraKinds)
        let hasAlpha = extraCount > 0 && (extraKinds?[0] == TIFFValue.extraSampleAssociatedAlpha
                                          || extraKinds?[0] == TIFFValue.extraSampleUnassociatedAlpha)
        let pixels = width * height
        var packed = [UInt32](repeating: 0, count: pixels)
        let ok = packed.withUnsafeMutableBufferPointer {
            TIFFReadRGBAImageOriented(tif, UInt32(width), UInt32(height), $0.baseAddress, Int32(metadata.sourceOrientation), 1)
        }
        guard ok == 1 else { throw fail("reading the pixels through libtiff's RGBA reader") }
        let channels = hasAlpha ? 4 : 3
        var samples = [UInt8](repeating: 0, count: pixels * channels)
        for i in 0..<pixels {
            let p = packed[i]
            for c in 0..<channels { samples[i * channels + c] = UInt8(truncatingIfNeeded: p >> (8 * UInt32(c))) }
        }
        var raster = InterleavedRaster(width: width, height: height, channels: channels, samples: .uint8(samples))
        raster.alphaIsPremultiplied = hasAlpha
        var metadata = metadata
        metadata.bitDepth = 8
        notes.append("TIFF photometric interpretation \(photometric) converted to 8-bit RGB by libtiff's RGBA reader")
        metadata.notes = notes
        return raster.makeImage(metadata: metadata)
    }
}

/// One decoded strip or tile: `rows` x `columns` pixels at (`x`, `y`), all samples of each
/// pixel (`plane` nil) or only sample `plane` (separate planes).
private struct TIFFChunk {
    var plane: Int?
    var x: Int
    var y: Int
    var columns: Int
    var rows: Int
    var bytes: UnsafeRawPointer
    var rowBytes: Int
}

/// How the pixels are cut into strips or tiles, checked for consistency and size before any
/// of them is read.
private struct TIFFChunkLayout {
    let tif: OpaquePointer
    let width: Int
    let height: Int
    let samplesPerPixel: Int
    let separate: Bool
    let tiled: Bool
    /// Strips: rows per strip and 1. Tiles: tile length and width.
    let chunkRows: Int
    let chunkColumns: Int
    let chunksDown: Int
    let chunksAcross: Int
    let bufferBytes: Int
    let rowBytes: Int

    init(handle: TIFFHandle, width: Int, height: Int, bitsPerSample: Int, samplesPerPixel: Int, separate: Bool) throws {
        let tif = handle.tiff!
        self.tif = tif
        self.width = width
        self.height = height
        self.samplesPerPixel = samplesPerPixel
        self.separate = separate
        tiled = TIFFIsTiled(tif) != 0
        let planes = separate ? samplesPerPixel : 1
        let declared: UInt64
        if tiled {
            guard let tw = handle.u32(TIFFTag.tileWidth, defaulted: false), let th = handle.u32(TIFFTag.tileLength, defaulted: false),
                  tw > 0, th > 0 else {
                throw ImageError(.corrupt, "corrupt TIFF: tiled image without a usable TileWidth/TileLength")
            }
            chunkColumns = Int(tw)
            chunkRows = Int(th)
            chunksAcross = (width + chunkColumns - 1) / chunkColumns
            chunksDown = (height + chunkRows - 1) / chunkRows
            declared = UInt64(TIFFNumberOfTiles(tif))
            let size = TIFFTileSize64(tif)
            guard size > 0, size <= TIFFDecoder.maxChunkBytes else {
                throw ImageError(.corrupt, "corrupt TIFF: tiles of \(tw)x\(th) pixels would need \(size) bytes each; refusing tiles over \(TIFFDecoder.maxChunkBytes >> 20) MiB")
            }
            bufferBytes = Int(size)
            rowBytes = Int(TIFFTileRowSize64(tif))
        } else {
            let rowsPerStrip = handle.u32(TIFFTag.rowsPerStrip) ?? UInt32.max
            guard rowsPerStrip > 0 else { throw ImageError(.corrupt, "corrupt TIFF: RowsPerStrip is 0") }
            chunkRows = min(Int(rowsPerStrip), height)
            chunkColumns = width
            chunksAcross = 1
            chunksDown = (height + chunkRows - 1) / chunkRows
            declared = UInt64(TIFFNumberOfStrips(tif))
            let size = TIFFVStripSize64(tif, UInt32(chunkRows))
            guard size > 0, size <= TIFFDecoder.maxChunkBytes else {
                throw ImageError(.corrupt, "corrupt TIFF: strips of \(chunkRows) rows would need \(size) bytes each; refusing strips over \(TIFFDecoder.maxChunkBytes >> 20) MiB")
            }
            bufferBytes = Int(size)
            rowBytes = Int(TIFFScanlineSize64(tif))
        }
        // chunksDown * chunksAcross <= height * width <= maxInputPixels, and planes <= 65535: no overflow.
        let needed = UInt64(chunksDown) * UInt64(chunksAcross) * UInt64(planes)
        let kind = tiled ? "tiles" : "strips"
        guard declared >= needed else {
            throw ImageError(.corrupt, "corrupt TIFF: \(width)x\(height) pixels need \(needed) \(kind), the file declares \(declared)")
        }
        guard declared <= needed * 2 + 16 else {
            throw ImageError(.corrupt, "corrupt TIFF: \(width)x\(height) pixels need \(needed) \(kind), the file declares an absurd \(declared)")
        }
        let rowBits = UInt64(chunkColumns) * UInt64(separate ? 1 : samplesPerPixel) * UInt64(bitsPerSample)
        guard rowBytes > 0, UInt64(rowBytes) * 8 >= rowBits, rowBytes * min(chunkRows, height) <= bufferBytes else {
            throw ImageError(.corrupt, "corrupt TIFF: inconsistent \(kind) geometry (\(rowBytes) bytes per row, \(bufferBytes) per chunk)")
        }
    }

    /// Decodes each strip or tile in file order and hands it to `body`.
    func forEachChunk(reader: TIFFPageReader, _ body: (TIFFChunk) throws -> Void) throws {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferBytes, alignment: 16)
        defer { buffer.deallocate() }
        let planes = separate ? samplesPerPixel : 1
        var index: UInt32 = 0
        for plane in 0..<planes {
            for down in 0..<chunksDown {
                for across in 0..<chunksAcross {
                    let x = across * chunkColumns, y = down * chunkRows
                    let rows = min(chunkRows, height - y), columns = min(chunkColumns, width - x)
                    let expected: Int
                    let got: Int
                    if tiled {
                        expected = bufferBytes
                        got = Int(TIFFReadEncodedTile(tif, index, buffer, tmsize_t(bufferBytes)))
                    } else {
                        expected = Int(TIFFVStripSize64(tif, UInt32(rows)))
                        got = Int(TIFFReadEncodedStrip(tif, index, buffer, tmsize_t(expected)))
                    }
                    let what = "\(tiled ? "tile" : "strip") \(index) of \(chunksDown * chunksAcross * planes)"
                    if got < 0 { throw reader.fail("decoding \(what)") }
                    if got < min(expected, rowBytes * rows) {
                        throw ImageError(.truncated, "truncated TIFF: \(what) decoded to \(got) of \(expected) bytes (libtiff: \(reader.handle.messages(or: "no reason given")))")
                    }
                    // libjpeg fills a cut-short stream with grey and only warns.
                    let warnings = reader.handle.warnings
                    if warnings.contains("Premature end of JPEG") {
                        throw ImageError(.truncated, "truncated TIFF: the JPEG data of \(what) ends early (libtiff: \(warnings))")
                    }
                    if warnings.contains("Corrupt JPEG") {
                        throw ImageError(.corrupt, "corrupt TIFF: the JPEG data of \(what) is damaged (libtiff: \(warnings))")
                    }
                    try body(TIFFChunk(plane: separate ? plane : nil, x: x, y: y, columns: columns, rows: rows,
                                       bytes: UnsafeRawPointer(buffer), rowBytes: rowBytes))
                    index += 1
                }
            }
        }
    }
}
