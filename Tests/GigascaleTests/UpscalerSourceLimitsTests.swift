import GigaImage
import Testing
@testable import Gigascale

/// The header check refuses an input whose output could not be written or read back, however
/// the file's orientation turns it, and lets through what may still fit once it is upright.
@Suite struct UpscalerSourceLimitsTests {
    private static func source(_ size: OutputSize = .native) throws -> UpscalerSource {
        try UpscalerSource(model: .classical(.lanczos), options: UpscaleOptions(outputSize: size), textEncoderDirectory: "")
    }

    private static func refuses(_ source: UpscalerSource, _ width: Int, _ height: Int, as format: ImageFormat) -> Bool {
        (try? source.checkOutputFits(DeclaredSize(format: .png, width: width, height: height), as: format,
                                     limits: .standard)) == nil
    }

    @Test func theNativeOutputMustFitTheFormat() throws {
        let native = try Self.source()
        #expect(Self.refuses(native, 9000, 2, as: .png))
        #expect(Self.refuses(native, 2, 9000, as: .tiff))
        #expect(!Self.refuses(native, 8188, 2, as: .png))
        #expect(Self.refuses(native, 8188, 2, as: .jpeg))
        #expect(Self.refuses(native, 2049, 2048, as: .png))  // 16392 x 16384: over 16384² pixels
        #expect(!Self.refuses(native, 2048, 2048, as: .png))
    }

    /// A width request fits or not depending on which side ends up horizontal: refused only when
    /// neither way fits.
    @Test func aSizeRequestIsRefusedOnlyWhenNoOrientationFits() throws {
        #expect(!Self.refuses(try Self.source(.width(3840)), 9000, 2, as: .png))
        // A height of 16 makes 9000x2 into 72000x16, but the same file turned upright (2x9000)
        // into 1x16: only the decoded image can tell.
        #expect(!Self.refuses(try Self.source(.height(16)), 9000, 2, as: .png))
        // A box larger than the native output leaves it native, too wide or too tall either way.
        #expect(Self.refuses(try Self.source(.fit(width: 100_000, height: 100_000)), 9000, 2, as: .png))
    }

    @Test func theOutputSizeIsTheUpscalersOwn() throws {
        for size in [OutputSize.native, .scale(2.5), .width(1000), .fit4K] {
            let source = try Self.source(size)
            let image = Image(width: 300, height: 200, colorChannels: 3)
            let upscaler = try source.upscaler(for: image)
            let expected = try upscaler.outputSize(for: image)
            let size = try source.outputSize(width: 300, height: 200)
            #expect(size.width == expected.width && size.height == expected.height, "\(size)")
        }
    }
}
