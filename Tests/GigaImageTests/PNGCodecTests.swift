import Foundation
import Testing
@testable import GigaImage

@Suite struct PNGDecoderTests {
    /// What ImageMagick decodes from a fixture: R, G, B, A per pixel, 16-bit big-endian.
    private func imageMagickRGBA16(_ name: String) throws -> [UInt16] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("png/expected/\(name).rgba16")))
        return stride(from: 0, to: data.count, by: 2).map { UInt16(data[$0]) << 8 | UInt16(data[$0 + 1]) }
    }

    /// Our decode as 16-bit R, G, B, A (gray repeated, opaque alpha when there is none).
    private func ourRGBA16(_ image: Image) -> [UInt16] {
        let rgb = image.expandedToRGB()
        var out: [UInt16] = []
        for i in 0..<image.pixelCount {
            for c in 0..<3 { out.append(UInt16(InterleavedRaster.quantize(rgb.planes[c][i], maxValue: 65535))) }
            out.append(UInt16(InterleavedRaster.quantize(image.alpha?[i] ?? 1, maxValue: 65535)))
        }
        return out
    }

    @Test(arguments: [
        ("gray1", 1, false, 1), ("gray2", 1, false, 2), ("gray4", 1, false, 4), ("gray8", 1, false, 8),
        ("gray16", 1, false, 16), ("gray16-interlaced", 1, false, 16),
        ("gray8-trns", 1, true, 8), ("graya8", 1, true, 8), ("graya16", 1, true, 16),
        ("palette1", 3, false, 8), ("palette2", 3, false, 8), ("palette4", 3, false, 8), ("palette8", 3, false, 8),
        ("palette4-trns", 3, true, 8),
        ("rgb8", 3, false, 8), ("rgb16", 3, false, 16), ("rgb8-interlaced", 3, false, 8),
        ("rgba8", 3, true, 8), ("rgba16", 3, true, 16),
    ])
    func decodesEveryColourTypeAndDepthExactlyAsImageMagick(name: String, planes: Int, alpha: Bool, depth: Int) throws {
        let image = try ImageReader.read(path: Fixtures.path("png/\(name).png"))
        #expect(image.width == 24 && image.height == 16)
        #expect(image.colorChannelCount == planes)
        #expect(image.hasAlpha == alpha)
        #expect(image.metadata.bitDepth == depth)
        #expect(image.metadata.sourceFormat == .png)
        #expect(ourRGBA16(image) == (try imageMagickRGBA16(name)))
    }

    @Test func readsGammaSRGBAndICCP() throws {
        let gamma = try ImageReader.read(path: Fixtures.path("png/gamma.png"))
        #expect(abs((gamma.metadata.colorSpace.gamma ?? 0) - 0.45455) < 1e-6)
        #expect(try ImageReader.read(path: Fixtures.path("png/srgb.png")).metadata.colorSpace.declaresSRGB)
        let icc = try ImageReader.read(path: Fixtures.path("png/iccp.png")).metadata.colorSpace.iccProfile
        #expect(icc == (try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("png/test-rgb.icc")))))
        #expect(try ImageReader.read(path: Fixtures.path("png/rgb8.png")).metadata.colorSpace == ColorSpace())
    }

    @Test func eXIfOrientationIsApplied() throws {
        let stored = try ImageReader.read(path: Fixtures.path("png/exif.png"), applyOrientation: false)
        let upright = try ImageReader.read(path: Fixtures.path("png/exif.png"))
        #expect(upright.metadata.sourceOrientation == 6)
        #expect(upright.width == 16 && upright.height == 24)
        #expect(upright == stored.applyingOrientation(6).withOrientation(6))
        #expect(EXIFBlock(try #require(upright.metadata.exif))?.orientation == 6)
    }

    @Test func aFileWithoutIENDDecodesWithANote() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("png/rgb8.png")))
        let image = try ImageReader.read(data: data.dropLast(12), source: "cut.png")
        #expect(image.metadata.notes == ["the PNG ends after its image data without an IEND chunk"])
        #expect(image.planes == (try ImageReader.read(data: data)).planes)
    }

    /// libpng keeps an ancillary chunk whose CRC is wrong but warns; the warning reaches the user.
    @Test func aBadAncillaryCRCIsReportedInTheNotes() throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("png/iccp.png")))
        let iccp = try #require(data.range(of: Data("iCCP".utf8)))
        let length = data[iccp.lowerBound - 4..<iccp.lowerBound].reduce(0) { $0 << 8 | Int($1) }
        data[iccp.upperBound + length] ^= 0xFF   // first byte of its CRC
        let image = try ImageReader.read(data: data, source: "damaged-icc.png")
        #expect(image.metadata.notes.contains { $0.contains("iCCP: CRC error") }, "\(image.metadata.notes)")
    }

    @Test func everySingleByteFlipDecodesOrFailsCleanly() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("png/palette4-trns.png")))
        for offset in 0..<data.count {
            var flipped = data
            flipped[offset] ^= 0x5A
            do { _ = try ImageReader.read(data: flipped, source: "flipped.png") } catch is ImageError {}
        }
    }

    @Test func everyTruncationFailsCleanly() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("png/rgba16.png")))
        for length in stride(from: 1, to: data.count - 12, by: 5) {
            do {
                _ = try ImageReader.read(data: data.prefix(length), source: "cut.png")
                Issue.record("a PNG cut to \(length) of \(data.count) bytes decoded")
            } catch let error as ImageError {
                #expect(error.reason == .truncated, "cut at \(length): \(error)")
            }
        }
    }
}

@Suite struct PNGEncoderTests {
    @Test(arguments: ["gray8", "gray16", "graya8", "graya16", "rgb8", "rgb16", "rgba8", "rgba16", "palette4-trns"])
    func roundTripsExactly(name: String) throws {
        let original = try ImageReader.read(path: Fixtures.path("png/\(name).png"))
        let encoded = try ImageWriter.encode(original, settings: .png(PNGEncodeOptions()))
        let decoded = try ImageReader.read(data: encoded)
        #expect(decoded.planes == original.planes)
        #expect(decoded.alpha == original.alpha)
        #expect(decoded.metadata.bitDepth == original.metadata.preferredOutputBitDepth)
    }

    @Test func sixteenBitSurvivesEightBitDoesNot() throws {
        let deep = try ImageReader.read(path: Fixtures.path("png/rgb16.png"))
        let as8 = try ImageReader.read(data: ImageWriter.encode(deep, settings: .png(PNGEncodeOptions(bitDepth: 8))))
        let as16 = try ImageReader.read(data: ImageWriter.encode(deep, settings: .png(PNGEncodeOptions(bitDepth: 16))))
        #expect(as16.planes == deep.planes)
        #expect(as8.planes != deep.planes)
        #expect(as8.metadata.bitDepth == 8)
    }

    @Test func compressionLevelChangesTheSizeNotThePixels() throws {
        let photo = try ImageReader.read(path: Fixtures.sample("face-128.png"))
        let stored = try ImageWriter.encode(photo, settings: .png(PNGEncodeOptions(compressionLevel: 0)))
        let small = try ImageWriter.encode(photo, settings: .png(PNGEncodeOptions(compressionLevel: 9)))
        #expect(stored.count > small.count + 10_000)
        #expect(try ImageReader.read(data: stored).planes == ImageReader.read(data: small).planes)
        #expect(throws: ImageError.self) { try ImageWriter.encode(photo, settings: .png(PNGEncodeOptions(compressionLevel: 10))) }
    }

    @Test func carriesICCAndEXIFWithOrientationResetAndSizeUpdated() throws {
        var image = try ImageReader.read(path: Fixtures.path("png/exif.png"))
        image.metadata.colorSpace.iccProfile = try ImageReader.read(path: Fixtures.path("png/iccp.png")).metadata.colorSpace.iccProfile
        let encoded = try ImageWriter.encode(image, settings: .png(PNGEncodeOptions()))
        let back = try ImageReader.read(data: encoded)
        #expect(back.metadata.colorSpace.iccProfile == image.metadata.colorSpace.iccProfile)
        let exif = try #require(back.metadata.exif.flatMap(EXIFBlock.init))
        #expect(exif.orientation == 1)
        #expect(exif.pixelDimensions?.width == 16 && exif.pixelDimensions?.height == 24)
        #expect(back.width == 16 && back.height == 24)
    }
}

@Suite struct PNGBrokenFileTests {
    @Test(arguments: [
        ("png-truncated-signature.png", ImageError.Reason.truncated, "inside the signature"),
        ("png-truncated-ihdr.png", .truncated, "the file ends after 20 bytes (in the header)"),
        ("png-truncated-idat.png", .truncated, "the file ends after 81 bytes (in the image data)"),
        ("png-bad-crc-ihdr.png", .corrupt, "IHDR: CRC error"),
        ("png-bad-crc-idat.png", .corrupt, "IDAT"),
        ("png-bitflip-depth.png", .corrupt, "Invalid color type/bit depth combination"),
        ("png-zero-width.png", .corrupt, "Image width is zero"),
        ("png-huge-ihdr.png", .tooLarge, "100000x100000"),
        ("png-zlib-bomb.png", .tooLarge, "20000x20000 pixels (400.0 MP)"),
        ("png-garbage-after-signature.png", .corrupt, "invalid chunk type"),
    ])
    func eachBrokenFileGivesItsError(name: String, reason: ImageError.Reason, phrase: String) throws {
        let path = Fixtures.path("broken/\(name)")
        do {
            _ = try ImageReader.read(path: path)
            Issue.record("\(name) decoded")
        } catch let error as ImageError {
            #expect(error.reason == reason, "\(error)")
            #expect(error.description.hasPrefix(path + ": "))
            #expect(error.detail.contains(phrase), "\(error.detail)")
        }
    }

    @Test func theBombIsRefusedBeforeAllocatingEvenUnderTighterLimits() throws {
        let limits = DecodeLimits(maxInputPixels: 1_000_000)
        #expect(throws: ImageError.self) { try ImageReader.read(path: Fixtures.path("broken/png-zlib-bomb.png"), limits: limits) }
    }
}

extension Image {
    /// The same image with `sourceOrientation` set (for comparing with a decode that recorded it).
    func withOrientation(_ orientation: Int) -> Image {
        var copy = self
        copy.metadata.sourceOrientation = orientation
        return copy
    }
}
