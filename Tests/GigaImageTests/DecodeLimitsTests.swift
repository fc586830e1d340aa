import Testing
@testable import GigaImage

@Suite struct DecodeLimitsTests {
    @Test func refusesHeadersOverTheInputLimits() throws {
        let limits = DecodeLimits(maxInputPixels: 1_000_000, maxOutputPixels: 4_000_000, maxInputDimension: 5000)
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
            try DecodeLimits(maxInputDimension: .max).checkInput(width: .max, height: .max, format: .tiff)
        }
        #expect(throws: ImageError.self) { try DecodeLimits.standard.checkOutput(width: .max / 2, height: 3) }
    }

    @Test func outputLimitIsOneGigapixelByDefault() throws {
        try DecodeLimits.standard.checkOutput(width: 32768, height: 30000)
        #expect(throws: ImageError.self) { try DecodeLimits.standard.checkOutput(width: 32768, height: 32768) }
    }
}
