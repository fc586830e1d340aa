import Foundation
import Testing
@testable import GigaImage

@Suite struct JPEGDecoderTests {
    typealias S = JPEGTestSupport

    /// libjpeg-turbo's own djpeg output is the reference; the same library with the same
    /// defaults (islow IDCT, fancy upsampling) must give identical samples.
    @Test(arguments: [("baseline-420.jpg", "baseline-420.ppm"), ("baseline-444.jpg", "baseline-444.ppm"),
                      ("progressive.jpg", "progressive.ppm"), ("arithmetic.jpg", "arithmetic.ppm"),
                      ("gray.jpg", "gray.pgm")])
    func decodesExactlyLikeDjpeg(jpeg: String, expected: String) throws {
        let image = try JPEGDecoder.decode(S.data(jpeg), limits: .standard)
        let reference = try S.readPNM(expected)
        #expect(image.width == reference.width && image.height == reference.height)
        #expect(image.colorChannelCount == reference.channels)
        #expect(!image.hasAlpha)
        #expect(S.bytes8(image) == reference.samples)
        #expect(image.metadata.sourceFormat == .jpeg)
        #expect(image.metadata.bitDepth == 8)
        #expect(image.metadata.sampleFormat == .unsignedInteger)
        #expect(image.metadata.exif == nil)
        #expect(image.metadata.colorSpace.iccProfile == nil)
        #expect(image.metadata.notes.isEmpty)
    }

    /// Stored CMYK samples of a fixture (as libjpeg delivers them, dumped by make-fixtures.sh).
    private func storedCMYK(_ name: String) throws -> [UInt8] { [UInt8](try S.data(name)) }

    private func expectCMYK(_ image: Image, stored: [UInt8], inverted: Bool) {
        #expect(image.colorChannelCount == 3 && image.width == 32 && image.height == 24)
        var mismatches = 0
        for i in 0..<(image.width * image.height) {
            let k = Float(stored[4 * i + 3]) / 255
            for c in 0..<3 {
                let v = Float(stored[4 * i + c]) / 255
                let expected = inverted ? v * k : (1 - v) * (1 - k)
                if abs(image.planes[c][i] - expected) > 1e-6 { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func adobeCMYKIsReadInvertedWithTheNaiveFormula() throws {
        let image = try JPEGDecoder.decode(S.data("cmyk-adobe.jpg"), limits: .standard)
        expectCMYK(image, stored: try storedCMYK("cmyk-adobe.cmyk"), inverted: true)
        // djpeg converts Adobe CMYK with R = C*K/255 on the stored samples: the same formula.
        let djpeg = try S.readPNM("cmyk-adobe.ppm")
        #expect(zip(S.bytes8(image), djpeg.samples).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
        #expect(image.metadata.notes.contains { $0.contains("CMYK JPEG converted to RGB") && $0.contains("Adobe inverted") })
    }

    @Test func adobeYCCKIsConvertedThroughCMYK() throws {
        let image = try JPEGDecoder.decode(S.data("ycck-adobe.jpg"), limits: .standard)
        expectCMYK(image, stored: try storedCMYK("ycck-adobe.cmyk"), inverted: true)
        let djpeg = try S.readPNM("ycck-adobe.ppm")
        #expect(zip(S.bytes8(image), djpeg.samples).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
        #expect(image.metadata.notes.contains { $0.hasPrefix("YCCK JPEG converted") })
    }

    @Test func cmykWithoutAdobeMarkerIsStraightInk() throws {
        // Same stored samples as cmyk-adobe.jpg, minus the APP14 marker.
        let image = try JPEGDecoder.decode(S.data("cmyk-plain.jpg"), limits: .standard)
        expectCMYK(image, stored: try storedCMYK("cmyk-adobe.cmyk"), inverted: false)
        #expect(!image.metadata.notes.contains { $0.contains("Adobe") })
        // The conversion must follow the marker: the two readings differ a lot.
        let adobe = try JPEGDecoder.decode(S.data("cmyk-adobe.jpg"), limits: .standard)
        #expect(S.maxDifference(image, adobe) > 100)
    }

    @Test func cmykColoursAreCloseToTheSourcePhoto() throws {
        // The CMYK fixtures were made from the same crop as baseline-444.jpg, converted by
        // Pillow / ImageMagick with the same naive formula, so the RGB must come back close.
        let rgb = try JPEGDecoder.decode(S.data("baseline-444.jpg"), limits: .standard)
        for name in ["cmyk-adobe.jpg", "ycck-adobe.jpg"] {
            let image = try JPEGDecoder.decode(S.data(name), limits: .standard)
            let diffs = zip(S.bytes8(image), S.bytes8(rgb)).map { abs(Int($0) - Int($1)) }
            #expect(Double(diffs.reduce(0, +)) / Double(diffs.count) < 6, "\(name)")
        }
    }

    @Test func cmykICCProfileIsDroppedWithANote() throws {
        let image = try JPEGDecoder.decode(S.data("cmyk-icc.jpg"), limits: .standard)
        #expect(image.metadata.colorSpace.iccProfile == nil)
        #expect(image.metadata.notes.contains { $0.contains("dropped the embedded CMYK ICC profile") })
        // The pixels are those of the same CMYK data without a profile.
        let plain = try JPEGDecoder.decode(S.data("cmyk-adobe.jpg"), limits: .standard)
        #expect(image.planes == plain.planes)
    }

    @Test func multiChunkICCProfileIsReassembled() throws {
        let image = try JPEGDecoder.decode(S.data("icc-multichunk.jpg"), limits: .standard)
        let icc = try #require(image.metadata.colorSpace.iccProfile)
        #expect(icc.count == 70000)
        #expect(icc == S.bigICCProfile())
    }

    @Test func inconsistentICCChunksAreIgnoredWithANote() throws {
        let image = try JPEGDecoder.decode(S.data("icc-bad-chunk.jpg"), limits: .standard)
        #expect(image.metadata.colorSpace.iccProfile == nil)
        #expect(image.metadata.notes == ["ignored an ICC profile whose APP2 chunks are inconsistent (missing, duplicated or misnumbered)"])
        #expect(image.width == 32 && image.height == 24)
    }

    @Test func exifPayloadIsTheTIFFBlockWithoutItsPrefix() throws {
        let image = try JPEGDecoder.decode(S.data("exif.jpg"), limits: .standard)
        let exif = try #require(image.metadata.exif)
        #expect(Array(exif.prefix(4)) == [0x4D, 0x4D, 0x00, 0x2A])
        let block = try #require(EXIFBlock(exif))
        #expect(block.orientation == 1)
        #expect(block.pixelDimensions?.width == 32 && block.pixelDimensions?.height == 24)
        #expect(String(decoding: exif, as: UTF8.self).contains("Gigascale"))
        // The pixels are those of the file exiftool started from.
        #expect(S.bytes8(image) == (try S.readPNM("baseline-444.ppm")).samples)
    }

    @Test func missingEOIAfterCompleteDataDecodesWithANote() throws {
        let image = try JPEGDecoder.decode(S.data("no-eoi.jpg"), limits: .standard)
        #expect(S.bytes8(image) == (try S.readPNM("baseline-420.ppm")).samples)
        #expect(image.metadata.notes.contains { $0.contains("without an EOI marker") })
    }

    @Test func paddingBeforeEOIIsIgnoredWithANote() throws {
        let image = try JPEGDecoder.decode(S.data("pad-before-eoi.jpg"), limits: .standard)
        #expect(S.bytes8(image) == (try S.readPNM("baseline-420.ppm")).samples)
        // djpeg: "Corrupt JPEG data: 35 extraneous bytes before marker 0xd9" (5 went into the bit buffer).
        #expect(image.metadata.notes == ["ignored 35 stray bytes before the EOI marker"])
    }

    @Test func twelveBitPrecisionIsUnsupported() throws {
        do {
            _ = try JPEGDecoder.decode(S.data("precision12.jpg"), limits: .standard)
            Issue.record("decoded a 12-bit JPEG")
        } catch let error as ImageError {
            #expect(error.reason == .unsupported)
            #expect(error.detail.contains("precision 12"))
        }
    }

    @Test func declaredSizeIsCheckedAgainstTheLimits() throws {
        let limits = DecodeLimits(maxInputPixels: 700)
        #expect(throws: ImageError(.tooLarge, "JPEG header declares 32x24 pixels (0.0 MP); the input limit is 0 MP")) {
            try JPEGDecoder.decode(S.data("baseline-420.jpg"), limits: limits)
        }
        _ = try JPEGDecoder.decode(S.data("baseline-420.jpg"), limits: DecodeLimits(maxInputPixels: 768))
    }
}
