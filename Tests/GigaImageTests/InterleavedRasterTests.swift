import Testing
@testable import GigaImage

@Suite struct InterleavedRasterTests {
    @Test func sixteenBitSamplesSurviveFloatExactly() {
        let values = (0...65535).map { UInt16($0) }
        let raster = InterleavedRaster(width: 65536, height: 1, channels: 1, samples: .uint16(values))
        let image = raster.makeImage(metadata: ImageMetadata(bitDepth: 16))
        #expect(InterleavedRaster.interleaved16(image, includeAlpha: false) == values)
    }

    @Test func eightBitSamplesSurviveFloatExactly() {
        let values = (0..<256 * 3).map { UInt8($0 % 256) }
        let raster = InterleavedRaster(width: 256, height: 1, channels: 3, samples: .uint8(values))
        let image = raster.makeImage(metadata: ImageMetadata())
        #expect(image.planes.count == 3 && image.alpha == nil)
        #expect(InterleavedRaster.interleaved8(image, includeAlpha: false) == values)
    }

    @Test func alphaIsSplitOffAndPremultipliedColourIsDividedOut() {
        // gray+alpha: a half-transparent pixel whose associated gray 0.25 means straight 0.5.
        let raster = InterleavedRaster(width: 2, height: 1, channels: 2, alphaIsPremultiplied: true,
                                       samples: .float32([0.25, 0.5, 0.0, 0.0]))
        let image = raster.makeImage(metadata: ImageMetadata(bitDepth: 32, sampleFormat: .floatingPoint))
        #expect(image.planes == [[0.5, 0]])
        #expect(image.alpha == [0.5, 0])
        #expect(InterleavedRaster.interleaved8(image, includeAlpha: true) == [128, 128, 0, 0])
        #expect(InterleavedRaster.interleaved8(image, includeAlpha: false) == [128, 0])
    }

    @Test func floatSamplesAreClampedAndNaNBecomesZero() {
        let raster = InterleavedRaster(width: 4, height: 1, channels: 1,
                                       samples: .float32([-1, 2, .nan, 0.75]))
        #expect(raster.makeImage(metadata: ImageMetadata()).planes == [[0, 1, 0, 0.75]])
    }
}
