import Foundation
import GigaEngine
import GigaImage
import Testing
@testable import Gigascale

/// Output sizes below the native scale, the alpha modes, and concurrent tile workers.
@Suite struct UpscalerSizeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private let photo: Image

    init() throws { photo = try ImageReader.read(path: Self.root.appendingPathComponent("Samples/face-128.png").path) }

    private func gan() throws -> GigaGANModel {
        try GigaGANModel(weightsPath: Self.root.appendingPathComponent("Tests/Fixtures/models/gigagan-tiny.safetensors").path,
                         textEncoderDirectory: Self.root.appendingPathComponent("Models/text-encoder").path)
    }

    /// A corner of the photo with a soft alpha ramp.
    private var translucent: Image {
        var image = photo.rows(0..<40).resized(width: 50, height: 30, filter: .lanczos3)
        image.alpha = (0..<(50 * 30)).map { Float(($0 % 50) * ($0 / 50)) / Float(49 * 29) }
        return image
    }

    /// Records bands, and how many tiles were done when each arrived.
    final class BandRecorder: ImageRowSink {
        var heights: [Int] = []
        var tilesDoneAtEachBand: [Int] = []
        var tilesDone = 0
        func write(_ band: Image) throws { heights.append(band.height); tilesDoneAtEachBand.append(tilesDone) }
        func finish() throws {}
    }

    @Test(arguments: [OutputSize.scale(2), .scale(2.5), .width(180), .fit(width: 160, height: 90)])
    func aSmallerSizeIsExactlyTheNativeOutputResizedWithLanczos(request: OutputSize) async throws {
        let model = ResamplingModel(filter: .bicubic, scale: 4)
        let options = UpscaleOptions(tileSize: 24, overlap: 6)
        for image in [translucent, Image(width: 50, height: 30, planes: [translucent.planes[1]])] {
            let native = try await Upscaler(model: model, options: options).upscale(image)
            var sized = options
            sized.outputSize = request
            let upscaler = try Upscaler(model: model, options: sized)
            let result = try await upscaler.upscale(image)
            let expected = try request.resolved(width: 50, height: 30, nativeScale: 4)
            #expect(result.width == expected.width && result.height == expected.height)
            // Bit-identical, not merely close: the streamed resize runs the very same Float
            // operations as the whole-image one (see ResamplingRowSink).
            #expect(result == native.resized(width: expected.width, height: expected.height, filter: .lanczos3))
            #expect(try upscaler.outputHeader(for: image) == EncodeHeader(describing: result))
        }
    }

    /// Bands reach the sink as the tiles make them final (with background encoding off, so that
    /// the sink sees them on the renderer's own schedule).
    @Test func theDownscaledOutputStreamsOutBeforeTheLastTile() async throws {
        let recorder = BandRecorder()
        let upscaler = try Upscaler(model: ResamplingModel(scale: 4),
                                    options: UpscaleOptions(tileSize: 32, overlap: 8, outputSize: .scale(1.5),
                                                            encodesInBackground: false))
        let total = upscaler.tileCount(for: photo)
        try await upscaler.upscale(photo, into: recorder) { recorder.tilesDone = $0.tilesDone }
        #expect(recorder.heights.reduce(0, +) == 192)
        #expect(recorder.heights.count >= 4)
        #expect(recorder.tilesDoneAtEachBand.first! < total / 2)
    }

    @Test func backgroundEncodingGivesTheSameBands() async throws {
        var options = UpscaleOptions(tileSize: 32, overlap: 8, outputSize: .scale(1.5))
        options.encodesInBackground = false
        let inline = try await Upscaler(model: ResamplingModel(scale: 4), options: options).upscale(photo)
        options.encodesInBackground = true
        let background = try await Upscaler(model: ResamplingModel(scale: 4), options: options).upscale(photo)
        #expect(background == inline)
    }

    @Test func aRequestAboveTheNativeScaleFailsBeforeAnyTile() async throws {
        let upscaler = try Upscaler(model: ResamplingModel(scale: 8), options: UpscaleOptions(outputSize: .scale(16)))
        #expect(throws: GigascaleError.self) { try upscaler.outputHeader(for: photo) }
        let recorder = BandRecorder()
        await #expect(throws: GigascaleError.self) { try await upscaler.upscale(photo, into: recorder) { _ in recorder.tilesDone += 1 } }
        #expect(recorder.tilesDone == 0 && recorder.heights.isEmpty)
    }

    @Test func alphaThroughTheModelIsTheAlphaPlaneUpscaledAsGray() async throws {
        let image = translucent
        let gan = try gan()
        let options = UpscaleOptions(overlap: 16, seed: 4, alphaMode: .model)
        let result = try await Upscaler(model: gan, options: options).upscale(image, prompt: "a face")
        let alphaAsGray = try await Upscaler(model: gan, options: options)
            .upscale(Image(width: 50, height: 30, planes: [image.alpha!]), prompt: "a face")
        #expect(result.alpha == alphaAsGray.planes[0])
        let resampled = try await Upscaler(model: gan, options: UpscaleOptions(overlap: 16, seed: 4)).upscale(image, prompt: "a face")
        #expect(result.planes == resampled.planes)
        #expect(result.alpha != resampled.alpha)
        #expect(resampled.alpha == Image(width: 50, height: 30, planes: [image.alpha!])
            .resized(width: 400, height: 240, filter: .lanczos3).planes[0])
    }

    @Test func twoTileWorkersGiveTheSameBytesAsOne() async throws {
        let face = photo.resized(width: 150, height: 110, filter: .lanczos3)
        let one = try Upscaler(model: try gan(), options: UpscaleOptions(overlap: 16, seed: 9, threads: 1, tileWorkers: 1))
        let two = try Upscaler(model: try gan(), options: UpscaleOptions(overlap: 16, seed: 9, threads: 2, tileWorkers: 2))
        #expect(one.tileWorkers == 1 && two.tileWorkers == 2)
        var a = face, b = face
        a.alpha = [Float](repeating: 0.5, count: 150 * 110)
        b.alpha = a.alpha
        var optionsWithAlpha = two.options
        optionsWithAlpha.alphaMode = .model
        let outputA = try await one.upscale(face, prompt: "a face")
        let outputB = try await two.upscale(face, prompt: "a face")
        #expect(outputA == outputB)
        // One tile at a time on two threads: oneDNN's results do not depend on its thread count
        // here either, so the automatic choice of workers cannot change the bytes.
        let oneOnTwoThreads = try Upscaler(model: try gan(), options: UpscaleOptions(overlap: 16, seed: 9, threads: 2, tileWorkers: 1))
        #expect(try await oneOnTwoThreads.upscale(face, prompt: "a face") == outputA)
        #expect(UpscaleOptions.automaticTileWorkers(threads: 2) == 2 && UpscaleOptions.automaticTileWorkers(threads: 64) == 4)
        // Also with the alpha plane as a second input per tile position.
        var oneOptions = one.options
        oneOptions.alphaMode = .model
        let alphaA = try await Upscaler(model: try gan(), options: oneOptions).upscale(a)
        let alphaB = try await Upscaler(model: try gan(), options: optionsWithAlpha).upscale(b)
        #expect(alphaA == alphaB)
    }
}
