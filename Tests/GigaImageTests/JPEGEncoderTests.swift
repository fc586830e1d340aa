import Foundation
import Testing
@testable import GigaImage

@Suite struct JPEGEncoderTests {
    typealias S = JPEGTestSupport

    private func photo() throws -> Image { try JPEGDecoder.decode(S.data("baseline-444.jpg"), limits: .standard) }

    private func encode(_ image: Image, _ options: JPEGEncodeOptions = JPEGEncodeOptions()) throws -> Data {
        try ImageWriter.encode(image, settings: .jpeg(options))
    }

    @Test func roundTripStaysCloseAtHighQuality() throws {
        let source = try photo()
        let data = try encode(source, JPEGEncodeOptions(quality: 98, chromaSubsampling: .yuv444))
        let back = try JPEGDecoder.decode(data, limits: .standard)
        #expect(back.width == 32 && back.height == 24 && back.colorChannelCount == 3)
        #expect(S.maxDifference(source, back) <= 4)
        // Re-encoding JPEG-decoded pixels at the same settings is nearly idempotent.
        let again = try JPEGDecoder.decode(try encode(back, JPEGEncodeOptions(quality: 98, chromaSubsampling: .yuv444)), limits: .standard)
        #expect(S.maxDifference(back, again) <= 2)
    }

    @Test func subsamplingIsWrittenIntoTheFrameHeader() throws {
        let source = try photo()
        let full = try encode(source, JPEGEncodeOptions(chromaSubsampling: .yuv444))
        let half = try encode(source, JPEGEncodeOptions(chromaSubsampling: .yuv420))
        #expect(S.samplingFactors(full) == [0x11, 0x11, 0x11])
        #expect(S.samplingFactors(half) == [0x22, 0x11, 0x11])
        #expect(half.count < full.count)
        // Halved chroma loses more colour detail.
        let fullBack = try JPEGDecoder.decode(full, limits: .standard)
        let halfBack = try JPEGDecoder.decode(half, limits: .standard)
        #expect(S.maxDifference(source, halfBack) > S.maxDifference(source, fullBack))
    }

    @Test func progressiveWritesSOF2AndSeveralScans() throws {
        let source = try photo()
        let baseline = S.segments(try encode(source, JPEGEncodeOptions(progressive: false))).markers
        let progressive = try encode(source, JPEGEncodeOptions(progressive: true))
        let markers = S.segments(progressive).markers
        #expect(baseline.contains(0xC0) && !baseline.contains(0xC2))
        #expect(baseline.filter { $0 == 0xDA }.count == 1)
        #expect(markers.contains(0xC2) && !markers.contains(0xC0))
        #expect(markers.filter { $0 == 0xDA }.count > 1)
        // Same quantization and sampling, so the same pixels as the baseline encoding.
        let a = try JPEGDecoder.decode(progressive, limits: .standard)
        let b = try JPEGDecoder.decode(try encode(source, JPEGEncodeOptions(progressive: false)), limits: .standard)
        #expect(S.maxDifference(a, b) <= 1)
    }

    @Test func qualityControlsQuantizationAndSize() throws {
        let source = try photo()
        let low = try encode(source, JPEGEncodeOptions(quality: 20))
        let high = try encode(source, JPEGEncodeOptions(quality: 95))
        #expect(low.count < high.count)
        // The first entry of the luminance quantization table (DC step) grows as quality falls:
        // libjpeg scales its standard table (16) by 5000/q % for q < 50 and (200 - 2q) % above.
        func dcStep(_ data: Data) -> UInt8? { S.segments(data).headers.first { $0.marker == 0xDB }?.payload[1] }
        #expect(dcStep(high) == 2)   // 16 * 10% = 1.6, rounded
        #expect(dcStep(low) == 40)   // 16 * 250%
        let lowBack = try JPEGDecoder.decode(low, limits: .standard)
        let highBack = try JPEGDecoder.decode(high, limits: .standard)
        #expect(S.maxDifference(source, lowBack) > S.maxDifference(source, highBack))
    }

    @Test(arguments: [0, 101, -5])
    func qualityOutsideTheRangeIsRefused(quality: Int) throws {
        #expect(throws: ImageError(.invalidArgument, "JPEG quality must be 1–100, not \(quality)", source: "<memory>")) {
            try encode(try photo(), JPEGEncodeOptions(quality: quality))
        }
    }

    @Test func grayImagesBecomeGrayscaleJPEGs() throws {
        let gray = try JPEGDecoder.decode(S.data("gray.jpg"), limits: .standard)
        let data = try encode(gray, JPEGEncodeOptions(quality: 98))
        #expect(S.samplingFactors(data) == [0x11])
        let back = try JPEGDecoder.decode(data, limits: .standard)
        #expect(back.isGray)
        #expect(S.maxDifference(gray, back) <= 3)
    }

    @Test func alphaIsDroppedWithoutError() throws {
        var source = try photo()
        source.alpha = [Float](repeating: 0.25, count: source.pixelCount)
        let back = try JPEGDecoder.decode(try encode(source, JPEGEncodeOptions(quality: 98)), limits: .standard)
        #expect(!back.hasAlpha && back.colorChannelCount == 3)
        source.alpha = nil
        #expect(S.maxDifference(source, back) <= 4) // colour kept as is, not premultiplied
    }

    @Test func sixteenBitSourcesAreWrittenAsEightBit() throws {
        var source = try photo()
        source.metadata.bitDepth = 16
        let back = try JPEGDecoder.decode(try encode(source, JPEGEncodeOptions(quality: 98)), limits: .standard)
        #expect(back.metadata.bitDepth == 8)
        #expect(S.maxDifference(source, back) <= 4)
    }

    @Test func bandsStreamToTheSameBytesAsOneWrite() throws {
        let source = try photo()
        let whole = try encode(source)
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bands.jpg").path
        let writer = try ImageWriter(path: path, settings: .jpeg(JPEGEncodeOptions()), header: EncodeHeader(describing: source))
        for start in stride(from: 0, to: source.height, by: 5) {
            try writer.write(source.rows(start..<min(start + 5, source.height)))
        }
        try writer.finish()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == whole)
    }

    @Test func bandsAreCheckedAgainstTheHeader() throws {
        let source = try photo()
        guard let file = tmpfile() else { Issue.record("no tmpfile"); return }
        defer { fclose(file) }
        let encoder = try JPEGEncoder(file: file, header: EncodeHeader(describing: source), options: JPEGEncodeOptions())
        try encoder.write(source.rows(0..<10))
        #expect(throws: ImageError(.invalidArgument, "JPEG finished after 10 of 24 rows")) { try encoder.finish() }
        let narrow = Image(width: 31, height: 2, colorChannels: 3)
        #expect(throws: ImageError.self) { try encoder.write(narrow) }
    }

    @Test func abandonedEncoderIsDestroyedQuietly() throws {
        let source = try photo()
        guard let file = tmpfile() else { Issue.record("no tmpfile"); return }
        defer { fclose(file) }
        do {
            let encoder = try JPEGEncoder(file: file, header: EncodeHeader(describing: source),
                                          options: JPEGEncodeOptions(progressive: true))
            try encoder.write(source.rows(0..<8))
        } // deinit runs jpeg_destroy_compress on the unfinished compression
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cancelled.jpg").path
        let writer = try ImageWriter(path: path, settings: .jpeg(JPEGEncodeOptions()), header: EncodeHeader(describing: source))
        try writer.write(source.rows(0..<8))
        writer.cancel()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func fullDiskIsAnIOError() throws {
        let source = try photo()
        guard let file = fopen("/dev/full", "wb") else { Issue.record("cannot open /dev/full"); return }
        defer { fclose(file) }
        let encoder = try JPEGEncoder(file: file, header: EncodeHeader(describing: source), options: JPEGEncodeOptions())
        do {
            try encoder.write(source)
            try encoder.finish()
            Issue.record("wrote a JPEG to /dev/full")
        } catch let error as ImageError {
            #expect(error.reason == .io)
            #expect(error.detail.contains("Output file write error"), "\(error)")
        }
    }

    @Test func iccProfileIsCarriedThroughAnEncode() throws {
        let source = try JPEGDecoder.decode(S.data("icc-multichunk.jpg"), limits: .standard)
        let data = try encode(source)
        #expect(S.segments(data).headers.filter { $0.marker == 0xE2 }.count == 2)
        let back = try JPEGDecoder.decode(data, limits: .standard)
        #expect(back.metadata.colorSpace.iccProfile == S.bigICCProfile())
    }

    @Test func exifIsRewrittenForTheOutputSize() throws {
        // ImageWriter sets the orientation to 1 and PixelX/YDimension to the written size.
        let source = try ImageReader.read(path: S.path("exif.jpg"))
        let top = source.rows(0..<12)
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("top.jpg").path
        try ImageWriter.write(top, to: path, settings: .jpeg(JPEGEncodeOptions(quality: 98)))
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let app1 = try #require(S.segments(data).headers.first { $0.marker == 0xE1 })
        #expect(Array(app1.payload.prefix(6)) == Array("Exif\0\0".utf8))
        let back = try ImageReader.read(path: path)
        let block = try #require(back.metadata.exif.flatMap(EXIFBlock.init))
        #expect(block.orientation == 1)
        #expect(block.pixelDimensions?.width == 32 && block.pixelDimensions?.height == 12)
        #expect(String(decoding: block.bytes, as: UTF8.self).contains("Gigascale"))
        #expect(back.width == 32 && back.height == 12)
        #expect(S.maxDifference(top, back) <= 4)
    }

    @Test func orientedInputIsWrittenUprightWithOrientationOne() throws {
        let upright = try ImageReader.read(path: S.path("orient-6.jpg"))
        #expect(upright.width == 24 && upright.height == 16)
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("upright.jpg").path
        try ImageWriter.write(upright, to: path, settings: .jpeg(JPEGEncodeOptions(quality: 100)))
        let back = try ImageReader.read(path: path)
        #expect(back.metadata.sourceOrientation == 1)
        let block = try #require(back.metadata.exif.flatMap(EXIFBlock.init))
        #expect(block.orientation == 1)
        #expect(block.pixelDimensions?.width == 24 && block.pixelDimensions?.height == 16)
        #expect(back.width == 24 && back.height == 16)
        #expect(S.maxDifference(upright, back) <= 2)
    }

    @Test func exifTooLargeForOneSegmentIsRefused() throws {
        var source = try photo()
        var exif = Data("MM\0*\0\0\0\u{8}".utf8)
        exif.append(Data(count: 70_000))
        source.metadata.exif = exif
        #expect(throws: ImageError(.invalidArgument, "EXIF block of 70008 bytes does not fit in a JPEG APP1 segment (at most 65527 bytes)", source: "<memory>")) {
            try encode(source)
        }
    }
}
