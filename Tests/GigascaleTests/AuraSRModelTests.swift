import Foundation
import GigaEngine
import GigaImage
import GigaModels
import Testing
@testable import Gigascale

/// The tiler with fal's AuraSR format (the reduced random-weight fixture: 16 px tiles, 4x).
@Suite struct AuraSRModelTests {
    static let weights = GigaGANModelTests.root.appendingPathComponent("Tests/Fixtures/models/aurasr/model.safetensors").path

    @Test func weightsFilesOpenAsTheModelTheirContentsCallFor() throws {
        let aura = try WeightsFileModel.load(path: Self.weights) { Issue.record("AuraSR needs no text encoder"); return "" }
        #expect(aura is AuraSRModel)
        #expect(aura.scale == 4 && aura.sizeMultiple == 8 && aura.requiredTileSize == 16)
        let gan = try WeightsFileModel.load(path: GigaGANModelTests.weights) { GigaGANModelTests.textEncoder }
        #expect(gan is GigaGANModel)
        #expect(throws: ModelError.self) { try WeightsFileModel.load(path: GigaGANModelTests.root.appendingPathComponent("Tests/Fixtures/engine/basic-ops.safetensors").path) { "" } }
    }

    /// AuraSR runs only its own tile size: any other is refused, and none asked gets it.
    @Test func anotherTileSizeIsRefusedWithTheReason() throws {
        let model = try AuraSRModel(weightsPath: Self.weights)
        let error = #expect(throws: GigascaleError.self) { try Upscaler(model: model, options: UpscaleOptions(tileSize: 32)) }
        #expect(error?.message == "tile size 32: this model runs 16-pixel tiles only")
        #expect(try Upscaler(model: model, options: UpscaleOptions()).tileSize == 16)
    }

    @Test func aSingleTileIsExactlyTheNetworksOwnOutput() async throws {
        let photo = try ImageReader.read(path: GigaGANModelTests.root.appendingPathComponent("Samples/face-128.png").path)
        let small = Image(width: 16, height: 16, planes: photo.planes.map { plane in
            (40..<56).flatMap { y in plane[(y * 128 + 50)..<(y * 128 + 66)] } })
        let model = try AuraSRModel(weightsPath: Self.weights)
        let tiled = try await Upscaler(model: model, options: UpscaleOptions(overlap: 4, seed: 9)).upscale(small)
        #expect(tiled.width == 64 && tiled.height == 64)
        // By hand: z from the seed, one forward pass with 0.001 × the positional noise.
        let network = try AuraSR(weightsPath: Self.weights)
        let style = try network.condition(z: GigaGANModel.latent(seed: 9, count: 32))
        let noise = PositionalNoise(seed: 9)
        var noiseValues = [Float]()
        for c in 0..<3 { for y in 0..<16 { for x in 0..<16 { noiseValues.append(noise.value(channel: c, y: y, x: x)) } } }
        let direct = try network.forwardTile(Tensor(nchw: small.planes.flatMap { $0 }, shape: [1, 3, 16, 16]), conditioning: style,
                                             noise: Tensor(nchw: noiseValues, shape: [1, 3, 16, 16]), context: ComputeContext())
        #expect(tiled.planes.flatMap { $0 } == direct.nchwValues().map { min(max($0, 0), 1) })
    }
}
