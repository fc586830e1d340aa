import Foundation
import Testing
@testable import GigaImage

/// Decoding the fixtures of Tests/Fixtures/tiff (made by make-fixtures.sh) against the source
/// pixels that ImageMagick dumped from the PNGs they were made from.
@Suite struct TIFFDecoderTests {
    @Test(arguments: ["rgb8.tif", "rgb8-tiled.tif", "rgb8-separate.tif", "rgb8-lzw.tif", "rgb8-zip.tif",
                      "rgb8-packbits.tif", "icc-rgb.tif", "multipage.tif", "rgb8-bigtiff.tif", "multipage-bigtiff.tif"])
    func eightBitRGBIsExact(_ name: String) throws {
        let image = try TIFFFixtures.read(name)
        #expect(image.width == 24 && image.height == 16)
        #expect(image.colorChannelCount == 3 && !image.hasAlpha)
        #expect(image.metadata.sourceFormat == .tiff)
        #expect(image.metadata.bitDepth == 8)
        #expect(image.metadata.sampleFormat == .unsignedInteger)
        #expect(TIFFFixtures.quantized(image, maxValue: 255) == (try TIFFFixtures.expected8("rgb8.raw")))
    }

    @Test(arguments: ["rgb16.tif", "rgb16-bigendian.tif", "rgb16-lzw-predictor.tif", "rgb16-strips5.tif",
                      "rgb16-separate.tif", "rgb16-tiled-separate.tif"])
    func sixteenBitRGBIsExact(_ name: String) throws {
        let image = try TIFFFixtures.read(name)
        #expect(image.metadata.bitDepth == 16)
        let expected = try TIFFFixtures.expected16("rgb16.raw")
        #expect(expected.contains { $0 % 257 != 0 }, "the fixture must use the full 16-bit range")
        #expect(TIFFFixtures.quantized(image, maxValue: 65535) == expected)
    }

    @Test(arguments: ["gray16.tif", "gray16-zip-predictor.tif"])
    func sixteenBitGrayIsExact(_ name: String) throws {
        let image = try TIFFFixtures.read(name)
        #expect(image.isGray && image.metadata.bitDepth == 16)
        #expect(TIFFFixtures.quantized(image, maxValue: 65535) == (try TIFFFixtures.expected16("gray16.raw")))
    }

    @Test(arguments: [("gray8.tif", "gray8.raw", 8), ("gray-miniswhite.tif", "gray8.raw", 8),
                      ("gray4.tif", "gray4.raw", 4), ("gray1.tif", "gray1.raw", 1)])
    func grayIsExact(_ name: String, _ expectation: String, _ depth: Int) throws {
        let image = try TIFFFixtures.read(name)
        #expect(image.isGray && !image.hasAlpha)
        #expect(image.metadata.bitDepth == depth)
        let expected = try TIFFFixtures.expected8(expectation)
        #expect(Set(expected).count > 1)
        #expect(TIFFFixtures.quantized(image, maxValue: 255) == expected)
    }

    @Test(arguments: ["rgb-float32.tif", "rgb-float32-bigendian.tif", "rgb-float32-zip-fpredictor.tif"])
    func floatSamplesMatchTheSource(_ name: String) throws {
        let image = try TIFFFixtures.read(name)
        #expect(image.metadata.bitDepth == 32)
        #expect(image.metadata.sampleFormat == .floatingPoint)
        #expect(image.metadata.preferredOutputBitDepth == 16)
        let expected = try TIFFFixtures.expected8("rgb8.raw").map { Float($0) / 255 }
        let got = TIFFFixtures.interleaved(image)
        #expect(got.count == expected.count)
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-5)
    }

    @Test(arguments: ["rgba-unassociated.tif", "rgba-unassociated-lzw-tiled.tif"])
    func unassociatedAlphaIsExact(_ name: String) throws {
        let image = try TIFFFixtures.read(name)
        #expect(image.colorChannelCount == 3 && image.hasAlpha)
        let expected = try TIFFFixtures.expected8("rgba8.raw")
        #expect(Set(stride(from: 3, to: expected.count, by: 4).map { expected[$0] }).count > 10, "alpha must vary")
        #expect(TIFFFixtures.quantized(image, maxValue: 255) == expected)
    }

    @Test func associatedAlphaIsDividedOut() throws {
        let image = try TIFFFixtures.read("rgba-associated.tif")
        #expect(image.colorChannelCount == 3 && image.hasAlpha)
        let expected = try TIFFFixtures.expected8("rgba8.raw").map { Float($0) / 255 }
        let got = TIFFFixtures.interleaved(image)
        var worstStraight: Float = 0
        for i in stride(from: 0, to: got.count, by: 4) {
            let a = expected[i + 3]
            #expect(abs(got[i + 3] - a) < 1e-6)
            for c in 0..<3 {
                // The file stores round(colour * alpha * 255); dividing it out again is exact
                // up to that rounding, scaled by 1 / alpha.
                #expect(abs(got[i + c] - expected[i + c]) <= 0.5 / 255 / a + 1e-5)
                worstStraight = max(worstStraight, abs(got[i + c] - expected[i + c]))
            }
        }
        #expect(worstStraight > 0, "premultiplied storage must lose a little precision")
    }

    @Test func paletteMatchesPillow() throws {
        let image = try TIFFFixtures.read("palette8.tif")
        #expect(image.colorChannelCount == 3 && !image.hasAlpha)
        let expected = try TIFFFixtures.expected8("palette8.raw").map { Float($0) / 255 }
        let got = TIFFFixtures.interleaved(image)
        #expect(got.count == expected.count)
        // Pillow keeps the high byte of the 16-bit colour map; we keep all 16 bits.
        #expect((zip(got, expected).map { abs($0 - $1) }.max() ?? 1) <= 1.0 / 255 + 1e-6)
    }

    @Test(arguments: ["rgb8-jpeg-ycbcr.tif", "rgb8-jpeg-rgb.tif"])
    func jpegCompressedIsCloseToTheSource(_ name: String) throws {
        let image = try TIFFFixtures.read(name)
        #expect(image.colorChannelCount == 3 && image.metadata.bitDepth == 8)
        let expected = try TIFFFixtures.expected8("rgb8.raw").map { Float($0) / 255 }
        let diffs = zip(TIFFFixtures.interleaved(image), expected).map { abs($0 - $1) }
        let mean = diffs.reduce(0, +) / Float(diffs.count)
        #expect(mean < 0.03, "mean difference \(mean)")
        #expect(diffs.max()! < 0.35)
    }

    @Test func iccProfileIsKeptByteForByte() throws {
        let image = try TIFFFixtures.read("icc-rgb.tif")
        let profile = try Data(contentsOf: URL(fileURLWithPath: TIFFFixtures.path("expected/test-rgb.icc")))
        #expect(image.metadata.colorSpace.iccProfile == profile)
        #expect(try TIFFFixtures.read("rgb8.tif").metadata.colorSpace.iccProfile == nil)
    }

    @Test func multiPageDecodesPageOneAndSaysSo() throws {
        let image = try TIFFFixtures.read("multipage.tif")
        #expect(image.metadata.notes.contains("multi-page TIFF: decoded page 1 of 3"))
        #expect(try TIFFFixtures.read("rgb8.tif").metadata.notes.isEmpty)
    }

    @Test func bigTIFFPagesAreCounted() throws {
        #expect(try TIFFFixtures.read("multipage-bigtiff.tif").metadata.notes.contains("multi-page TIFF: decoded page 1 of 3"))
    }

    @Test func cmykGoesThroughLibtiffsRGBAReader() throws {
        let image = try TIFFFixtures.read("cmyk8.tif")
        #expect(image.colorChannelCount == 3 && !image.hasAlpha && image.metadata.bitDepth == 8)
        #expect(image.metadata.notes.contains { $0.contains("photometric interpretation 5 converted to 8-bit RGB") })
        let expected = try TIFFFixtures.expected8("rgb8.raw").map { Float($0) / 255 }
        let diffs = zip(TIFFFixtures.interleaved(image), expected).map { abs($0 - $1) }
        #expect(diffs.count == expected.count)
        #expect(diffs.max()! <= 2.0 / 255, "ImageMagick's CMYK is 1 - RGB with black taken out; libtiff undoes it")
    }

    @Test func orientationTagIsReportedAndAppliedByTheReader() throws {
        let stored = try TIFFFixtures.read("rgb8-orientation6.tif", applyOrientation: false)
        #expect(stored.metadata.sourceOrientation == 6)
        #expect(stored.width == 24 && stored.height == 16)
        #expect(TIFFFixtures.quantized(stored, maxValue: 255) == (try TIFFFixtures.expected8("rgb8.raw")))

        let upright = try TIFFFixtures.read("rgb8-orientation6.tif")
        #expect(upright.width == 16 && upright.height == 24)
        // Rotated 90° clockwise: the top-left pixel shown is the stored bottom-left one.
        for c in 0..<3 {
            #expect(upright.sample(plane: c, x: 0, y: 0) == stored.sample(plane: c, x: 0, y: 15))
            #expect(upright.sample(plane: c, x: 15, y: 0) == stored.sample(plane: c, x: 0, y: 0))
        }
    }

    @Test func limitsAreCheckedAgainstTheHeader() throws {
        let error = TIFFFixtures.error {
            try ImageReader.read(path: TIFFFixtures.path("rgb8.tif"), limits: DecodeLimits(maxInputPixels: 100))
        }
        #expect(error?.reason == .tooLarge)
        #expect(error?.detail.contains("TIFF header declares 24x16 pixels") == true)
    }

    @Test func directoryChainIsCountedWithABound() throws {
        // Three directories of 0 entries at 8, 14 and 20, each pointing to the next; the last
        // points back to the first.
        var bytes: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]
        for next in [14, 20, 8] { bytes += [0, 0, UInt8(next), 0, 0, 0] }
        let chain = TIFFDirectoryChain(bytes)
        #expect(chain.count == 3 && chain.loops && !chain.hitLimit)
        let bounded = TIFFDirectoryChain(bytes, limit: 2)
        #expect(bounded.count == 2 && bounded.hitLimit)
        bytes[20 + 2] = 0  // end the chain at the third directory
        let ended = TIFFDirectoryChain(bytes)
        #expect(ended.count == 3 && !ended.loops)
    }
}
