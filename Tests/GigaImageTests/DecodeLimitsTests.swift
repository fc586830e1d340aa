import Testing
@testable import GigaImage

@Suite struct DecodeLimitsTests {
    @Test func refusesHeadersOverTheInputLimits() throws {
        let limits = DecodeLimits(maxInputPixels: 1_000_000, maxOutputPixels: 4_000_000, maxDimension: 5000)
        try limits.checkInput(width: 1000, height: 1000, format: .png)
        #expect(throws: ImageError.self) { try limits.checkInput(width: 1001, height: 1000, format: .png) }
        #expect(throws: ImageError.self) { try limits.checkInput(width: 5001, height: 1, format: .tiff) }
        #expect(throws: ImageError.self) { try limits.checkInput(width: 0, height: 10, format: .jpeg) }
        do {
            try DecodeLimits.standard.checkInput(width: 100_000, height: 100_000, format: .png)
            Issue.record("a 10-gigapixel header was accepted")
        } catch let error as ImageError {
            #expect(error.reason == .tooLarge)
            #expect(error.detail.contains("100000x100000"))
        }
    }

    @Test func overflowingDimensionsAreRefusedNotWrapped() {
        #expect(throws: ImageError.self) {
            try DecodeLimits(maxDimension: .max).checkInput(width: .max, height: .max, format: .tiff)
        }
        #expect(throws: ImageError.self) { try DecodeLimits.standard.checkOutput(width: .max / 2, height: 3) }
    }

    /// What may be written may be read back: the default output limit is the input limit.
    @Test func theOutputLimitIsTheInputLimit() throws {
        #expect(DecodeLimits.standard.maxOutputPixels == DecodeLimits.standard.maxInputPixels)
        try DecodeLimits.standard.checkOutput(width: 16384, height: 16384)
        #expect(throws: ImageError.self) { try DecodeLimits.standard.checkOutput(width: 16385, height: 16384) }
    }

    /// PNG and TIFF sides stop at the tool's 65535, JPEG's at libjpeg's 65500, both ways.
    @Test func eachFormatHasItsLongestSide() throws {
        let limits = DecodeLimits.standard
        #expect(ImageFormat.allCases.map(limits.maxSide(for:)) == [65_535, 65_500, 65_535])
        for format in ImageFormat.allCases {
            let side = limits.maxSide(for: format)
            try limits.checkInput(width: side, height: 1, format: format)
            try limits.checkOutput(width: 1, height: side, format: format)
            #expect(throws: ImageError.self) { try limits.checkInput(width: side + 1, height: 1, format: format) }
            #expect(throws: ImageError.self) { try limits.checkOutput(width: 1, height: side + 1, format: format) }
        }
        #expect(throws: ImageError.self) { try limits.checkOutput(width: 72_000, height: 16) }
    }

    /// An output larger than the input limit could not be read back, whatever the output limit.
    @Test func anOutputTheReaderWouldRefuseIsRefused() {
        let limits = DecodeLimits(maxInputPixels: 1_000_000, maxOutputPixels: 4_000_000)
        do {
            try limits.checkOutput(width: 2000, height: 1000, format: .png)
            Issue.record("a 2 MP output was allowed under a 1 MP input limit")
        } catch let error as ImageError {
            #expect(error.detail.contains("could not be read back"), "\(error)")
        } catch { Issue.record("unexpected \(error)") }
    }
}
