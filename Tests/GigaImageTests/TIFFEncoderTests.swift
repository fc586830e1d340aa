import CCodecShims
import Foundation
import Testing
@testable import GigaImage

/// TIFF output: exact 8- and 16-bit round trips, the tags written, metadata carried, streaming.
@Suite struct TIFFEncoderTests {
    /// Opens encoded bytes with libtiff to look at the tags written.
    private func withTags<R>(_ data: Data, _ body: (TIFFHandle) throws -> R) throws -> R {
        try data.withUnsafeBytes { raw in
            let handle = TIFFHandle(gs_tiff_open_memory(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)!)
            defer { handle.close() }
            #expect(handle.tiff != nil, "libtiff cannot open the output: \(handle.errors)")
            return try body(handle)
        }
    }

    @Test(arguments: TIFFEncodeOptions.Compression.allCases)
    func eightBitRGBRoundTripsExactly(_ compression: TIFFEncodeOptions.Compression) throws {
        let source = try TIFFFixtures.read("rgb8.tif")
        let data = try ImageWriter.encode(source, settings: .tiff(TIFFEncodeOptions(compression: compression)))
        let back = try ImageReader.read(data: data)
        #expect(back.planes == source.planes && back.alpha == nil)
        #expect(back.metadata.bitDepth == 8)
        try withTags(data) { h in
            let expected: UInt16 = switch compression {
            case .none: 1
            case .lzw: 5
            case .deflate: 8
            }
            #expect(h.u16(TIFFTag.compression) == expected)
            #expect((h.u16(TIFFTag.predictor) ?? 1) == (compression == .none ? 1 : 2))
            #expect(h.u16(TIFFTag.orientation) == 1)
            #expect(h.u16(TIFFTag.photometric) == 2)
        }
    }

    @Test(arguments: [("rgb16.tif", "rgb16.raw"), ("gray16.tif", "gray16.raw")])
    func sixteenBitRoundTripsExactly(_ name: String, _ expectation: String) throws {
        let source = try TIFFFixtures.read(name)
        for compression in TIFFEncodeOptions.Compression.allCases {
            let data = try ImageWriter.encode(source, settings: .tiff(TIFFEncodeOptions(compression: compression)))
            let back = try ImageReader.read(data: data)
            #expect(back.metadata.bitDepth == 16)
            #expect(TIFFFixtures.quantized(back, maxValue: 65535) == (try TIFFFixtures.expected16(expectation)))
            #expect(back.planes == source.planes)
        }
    }

    @Test func grayAndAlphaRoundTripExactly() throws {
        for name in ["gray8.tif", "rgba-unassociated.tif"] {
            let source = try TIFFFixtures.read(name)
            let data = try ImageWriter.encode(source, settings: .tiff(TIFFEncodeOptions(compression: .lzw)))
            let back = try ImageReader.read(data: data)
            #expect(back.planes == source.planes && back.alpha == source.alpha, "\(name)")
            if source.hasAlpha {
                try withTags(data) { h in #expect(h.u16(TIFFTag.samplesPerPixel) == 4) }
                var count: UInt16 = 0
                var kinds: UnsafePointer<UInt16>? = nil
                try withTags(data) { h in
                    _ = gs_tiff_get_extra_samples(h.tiff, &count, &kinds)
                    #expect(count == 1 && kinds?[0] == 2, "unassociated alpha")
                }
            }
        }
    }

    @Test func bitDepthOptionAndDefaults() throws {
        let rgb16 = try TIFFFixtures.read("rgb16.tif")
        let as8 = try ImageReader.read(data: try ImageWriter.encode(rgb16, settings: .tiff(TIFFEncodeOptions(bitDepth: 8))))
        #expect(as8.metadata.bitDepth == 8)
        #expect(TIFFFixtures.quantized(as8, maxValue: 255) == TIFFFixtures.quantized(rgb16, maxValue: 255))

        let float = try TIFFFixtures.read("rgb-float32.tif")
        let fromFloat = try ImageReader.read(data: try ImageWriter.encode(float, settings: .tiff(TIFFEncodeOptions())))
        #expect(fromFloat.metadata.bitDepth == 16, "float sources keep 16 bits by default")

        let rgb8 = try TIFFFixtures.read("rgb8.tif")
        let up = try ImageReader.read(data: try ImageWriter.encode(rgb8, settings: .tiff(TIFFEncodeOptions(bitDepth: 16))))
        #expect(up.metadata.bitDepth == 16)
        #expect(TIFFFixtures.quantized(up, maxValue: 65535) == TIFFFixtures.quantized(rgb8, maxValue: 255).map { $0 * 257 })

        let error = TIFFFixtures.error { try ImageWriter.encode(rgb8, settings: .tiff(TIFFEncodeOptions(bitDepth: 12))) }
        #expect(error?.reason == .invalidArgument)
        #expect(error?.detail.contains("8 or 16 bits per sample, not 12") == true)
    }

    @Test func iccProfileIsCarried() throws {
        let source = try TIFFFixtures.read("icc-rgb.tif")
        let back = try ImageReader.read(data: try ImageWriter.encode(source, settings: .tiff(TIFFEncodeOptions())))
        let profile = try Data(contentsOf: URL(fileURLWithPath: TIFFFixtures.path("expected/test-rgb.icc")))
        #expect(back.metadata.colorSpace.iccProfile == profile)
    }

    @Test func exifBaselineTextIsCarried() throws {
        // A little-endian EXIF block whose IFD0 holds Make "GigaCam" and Orientation 6.
        var exif: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0, 2, 0]
        exif += [0x0F, 0x01, 2, 0, 8, 0, 0, 0, 38, 0, 0, 0]     // Make, ASCII, 8 bytes at 38
        exif += [0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]      // Orientation = 6
        exif += [0, 0, 0, 0] + Array("GigaCam\0".utf8)
        var source = try TIFFFixtures.read("rgb8.tif")
        source.metadata.exif = Data(exif)
        let data = try ImageWriter.encode(source, settings: .tiff(TIFFEncodeOptions()))
        #expect(data.range(of: Data("GigaCam\0".utf8)) != nil)
        try withTags(data) { h in #expect(h.u16(TIFFTag.orientation) == 1) }
        #expect(TIFFEXIFText.baselineText(in: Data(exif)).map(\.1) == ["GigaCam"])
        #expect(TIFFEXIFText.baselineText(in: Data([1, 2, 3])).isEmpty)
    }

    @Test func stripsAreAboutSixtyFourKilobytes() throws {
        let image = Image(width: 1000, height: 200, colorChannels: 3, fill: 0.5,
                          metadata: ImageMetadata(bitDepth: 16))
        let data = try ImageWriter.encode(image, settings: .tiff(TIFFEncodeOptions(compression: .none)))
        try withTags(data) { h in #expect(h.u32(TIFFTag.rowsPerStrip) == 10) }  // 65536 / 6000 bytes per row
        let back = try ImageReader.read(data: data)
        #expect(TIFFFixtures.quantized(back, maxValue: 65535) == TIFFFixtures.quantized(image, maxValue: 65535))
    }

    @Test func streamsBandsToAFile() throws {
        let source = try TIFFFixtures.read("rgba-unassociated.tif")
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.tif").path
        let writer = try ImageWriter(path: path, settings: .tiff(TIFFEncodeOptions(compression: .deflate)),
                                     header: EncodeHeader(describing: source))
        for start in stride(from: 0, to: source.height, by: 5) {
            try writer.write(source.rows(start..<min(start + 5, source.height)))
        }
        try writer.finish()
        let back = try ImageReader.read(path: path)
        #expect(back.planes == source.planes && back.alpha == source.alpha)
    }

    @Test func misuseIsRefused() throws {
        let source = try TIFFFixtures.read("rgb8.tif")
        let header = EncodeHeader(describing: source)
        guard let file = tmpfile() else { Issue.record("no tmpfile"); return }
        defer { fclose(file) }

        let encoder = try TIFFEncoder(file: file, header: header, options: TIFFEncodeOptions())
        try encoder.write(source.rows(0..<5))
        let early = TIFFFixtures.error { try encoder.finish() }
        #expect(early?.reason == .invalidArgument)
        #expect(early?.detail.contains("finished after 5 of 16 rows") == true)
        let gray = TIFFFixtures.error { try encoder.write(Image(width: 24, height: 1, colorChannels: 1)) }
        #expect(gray?.detail.contains("band has 1 colour channels") == true)
        try encoder.write(source.rows(5..<16))
        try encoder.finish()
        let twice = TIFFFixtures.error { try encoder.finish() }
        #expect(twice?.reason == .invalidArgument)

        // An abandoned encoder closes quietly.
        var abandoned: TIFFEncoder? = try TIFFEncoder(file: file, header: header, options: TIFFEncodeOptions())
        try abandoned?.write(source.rows(0..<3))
        abandoned = nil
        #expect(abandoned == nil)
    }
}
