import Foundation
import GigaEngine
import GigaImage
import GigaModels
import Testing
@testable import Gigascale

/// ncnn graphs through the tiler, with the committed realesr-animevideov3 models.
@Suite struct NCNNModelTests {
    static let folder = GigaGANModelTests.root.appendingPathComponent("Tests/Fixtures/models/ncnn").path
    static let bin = folder + "/realesr-animevideov3-x4.bin"

    static func model(scale: Int) throws -> NCNNModel {
        try NCNNModel(paramPath: folder + "/realesr-animevideov3-x\(scale).param", binPath: bin)
    }

    static func photoCrop(side: Int) throws -> Image {
        let photo = try ImageReader.read(path: GigaGANModelTests.root.appendingPathComponent("Samples/face-128.png").path)
        return Image(width: side, height: side, planes: photo.planes.map { plane in
            (30..<(30 + side)).flatMap { y in plane[(y * 128 + 40)..<(y * 128 + 40 + side)] } })
    }

    @Test(arguments: [2, 3, 4])
    func theScaleIsProbedFromTheGraph(scale: Int) throws {
        let model = try Self.model(scale: scale)
        #expect(model.scale == scale)
        #expect(model.layerCount == (scale == 4 ? 40 : 41))
    }

    @Test func aSingleTileIsExactlyTheGraphsOwnOutput() async throws {
        let image = try Self.photoCrop(side: 20)
        let model = try Self.model(scale: 4)
        let tiled = try await Upscaler(model: model, options: UpscaleOptions(tileSize: 32, overlap: 4)).upscale(image)
        #expect(tiled.width == 80 && tiled.height == 80)
        let direct = try model.net.run(Tensor(nchw: image.planes.flatMap { $0 }, shape: [1, 3, 20, 20]), context: ComputeContext())
        #expect(tiled.planes.flatMap { $0 } == direct.nchwValues().map { min(max($0, 0), 1) })
    }

    @Test func overlappingTilesBlendCloseToTheWholeImage() async throws {
        let image = try Self.photoCrop(side: 48)
        let model = try Self.model(scale: 2)
        let whole = try await Upscaler(model: model, options: UpscaleOptions(tileSize: 48, overlap: 8)).upscale(image)
        let tiled = try await Upscaler(model: model, options: UpscaleOptions(tileSize: 24, overlap: 8)).upscale(image)
        let pairs = zip(whole.planes.flatMap { $0 }, tiled.planes.flatMap { $0 })
        let mse = pairs.reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(whole.planes.count * whole.planes[0].count)
        let psnr = 10 * log10(1 / max(mse, 1e-20))
        #expect(psnr >= 35, "tiled against whole: \(psnr) dB")
    }

    @Test func concurrentInstancesGiveIdenticalTiles() throws {
        let model = try Self.model(scale: 4)
        let copy = try #require(try model.makeConcurrentInstance())
        let tile = Tensor(nchw: try Self.photoCrop(side: 12).planes.flatMap { $0 }, shape: [1, 3, 12, 12])
        let noise = Tensor(zeros: [1, 3, 12, 12])
        let context = try ComputeContext(precision: .fp32, threads: 1)
        #expect(try model.upscaleTile(tile, noise: noise, context: context) == copy.upscaleTile(tile, noise: noise, context: context))
    }

    /// 8x from a 4x model: bicubic ×2, then the model on the enlarged tile.
    @Test func aPreEnlargedModelRunsTheGraphOnTheBicubicEnlargement() throws {
        let model = try Self.model(scale: 4)
        let eightX = PreEnlargedModel(base: model, factor: 2)
        #expect(eightX.scale == 8)
        let tile = Tensor(nchw: try Self.photoCrop(side: 10).planes.flatMap { $0 }, shape: [1, 3, 10, 10])
        let noise = Tensor(zeros: [1, 3, 10, 10])
        let context = try ComputeContext(precision: .fp32, threads: 1)
        let output = try eightX.upscaleTile(tile, noise: noise, context: context)
        let enlarged = try ResamplingModel(filter: .bicubic, scale: 2).upscaleTile(tile, noise: noise, context: context)
        #expect(output.shape == [1, 3, 80, 80])
        #expect(output == (try model.net.run(enlarged, context: context)))
    }
}
