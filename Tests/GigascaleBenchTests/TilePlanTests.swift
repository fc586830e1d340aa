import Foundation
import GigaImage
import Gigascale
import Testing
@testable import GigascaleBench

/// The PyTorch comparison sends the upscaler's own tile plan; these check the plan's shape and
/// its JSON form.
@Suite struct TilePlanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static let sizes = [(64, 64), (72, 72), (100, 37), (130, 260), (256, 256), (513, 300)]

    private static func blank(_ width: Int, _ height: Int) -> Image {
        Image(width: width, height: height, colorChannels: 3, fill: 0.5)
    }

    @Test func theFixedTileGeneratorCoversThePaddedImageWithWholeTiles() throws {
        let model = try GigaGANModel(weightsPath: Self.root.appendingPathComponent("Tests/Fixtures/models/gigagan-tiny.safetensors").path,
                                     textEncoderDirectory: Self.root.appendingPathComponent("Models/text-encoder").path)
        let upscaler = try Upscaler(model: model, options: UpscaleOptions(tileWorkers: 1))
        for (width, height) in Self.sizes {
            let image = Self.blank(width, height)
            let plan = TilePlan(upscaler: upscaler, image: image)
            #expect(plan.columns.extent == 64 && plan.rows.extent == 64)
            #expect(plan.columns.paddedLength >= width && plan.rows.paddedLength >= height)
            #expect(plan.columns.origins.last! + plan.columns.extent == plan.columns.paddedLength)
            #expect(plan.tileCount == upscaler.tileCount(for: image))
        }
    }

    @Test func tileBordersFollowFromThePlan() throws {
        let upscaler = try Upscaler(model: ResamplingModel(scale: 4), options: UpscaleOptions(tileSize: 40, overlap: 12))
        for (width, height) in Self.sizes {
            let image = Self.blank(width, height)
            let plan = TilePlan(upscaler: upscaler, image: image)
            func borders(_ axis: TileAxisLayout) -> [Int] {
                axis.origins.flatMap { [$0 * 4, ($0 + axis.extent) * 4] }.filter { $0 > 0 && $0 < axis.length * 4 }
            }
            let expected = upscaler.tileBorders(for: image)
            #expect(borders(plan.columns) == expected.columns && borders(plan.rows) == expected.rows)
            // Neighbours overlap by at least the requested 12 px.
            for axis in [plan.columns, plan.rows] {
                for (a, b) in zip(axis.origins, axis.origins.dropFirst()) { #expect(a + axis.extent - b >= 12) }
            }
        }
    }

    @Test func serialisesWhatThePyTorchServerReads() throws {
        let model = try GigaGANModel(weightsPath: Self.root.appendingPathComponent("Tests/Fixtures/models/gigagan-tiny.safetensors").path,
                                     textEncoderDirectory: Self.root.appendingPathComponent("Models/text-encoder").path)
        let upscaler = try Upscaler(model: model, options: UpscaleOptions(overlap: 16, tileWorkers: 1))
        let plan = TilePlan(upscaler: upscaler, image: Self.blank(72, 100))
        let data = try JSONSerialization.data(withJSONObject: plan.json)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let columns = try #require(object["columns"] as? [String: Any]), rows = try #require(object["rows"] as? [String: Any])
        #expect(object["tile"] as? Int == 64 && object["overlap"] as? Int == 16 && object["scale"] as? Int == plan.scale)
        #expect(columns["origins"] as? [Int] == [0, 8] && columns["padded"] as? Int == 72 && columns["extent"] as? Int == 64)
        #expect(rows["origins"] as? [Int] == plan.rows.origins && rows["length"] as? Int == 100 && rows["padded"] as? Int == 104)
    }
}
