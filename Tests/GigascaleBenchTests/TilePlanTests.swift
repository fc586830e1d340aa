import Foundation
import GigaImage
import Gigascale
import Testing
@testable import GigascaleBench

/// The PyTorch comparison sends the tile plan it recomputes; it must be the library's own.
@Suite struct TilePlanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static let sizes = [(64, 64), (72, 72), (100, 37), (130, 260), (256, 256), (513, 300)]

    private static func blank(_ width: Int, _ height: Int) -> Image {
        Image(width: width, height: height, colorChannels: 3, fill: 0.5)
    }

    @Test func matchesTheUpscalerForTheFixedTileGenerator() throws {
        let model = try GigaGANModel(weightsPath: Self.root.appendingPathComponent("Tests/Fixtures/models/gigagan-tiny.safetensors").path,
                                     textEncoderDirectory: Self.root.appendingPathComponent("Models/text-encoder").path)
        let upscaler = try Upscaler(model: model, options: UpscaleOptions(tileWorkers: 1))
        for (width, height) in Self.sizes {
            let plan = try TilePlan.verified(for: upscaler, image: Self.blank(width, height))
            #expect(plan.columns.extent == 64 && plan.rows.extent == 64)
            #expect(plan.columns.paddedLength >= width && plan.rows.paddedLength >= height)
            #expect(plan.columns.origins.last! + plan.columns.extent == plan.columns.paddedLength)
        }
    }

    @Test func matchesTheUpscalerForAnyTileModel() throws {
        let upscaler = try Upscaler(model: ResamplingModel(scale: 4), options: UpscaleOptions(tileSize: 40, overlap: 12))
        for (width, height) in Self.sizes {
            let plan = try TilePlan.verified(for: upscaler, image: Self.blank(width, height))
            #expect(plan.tileCount == upscaler.tileCount(for: Self.blank(width, height)))
        }
    }

    @Test func aDifferentPlanIsCaught() throws {
        // The check compares borders, so it must tell another overlap or tile size apart.
        let upscaler = try Upscaler(model: ResamplingModel(scale: 4), options: UpscaleOptions(tileSize: 40, overlap: 12))
        let image = Self.blank(130, 260)
        let borders = upscaler.tileBorders(for: image)
        for other in [TilePlan(width: 130, height: 260, tileSize: 40, overlap: 4, multiple: 1, scale: 4, fixedTile: false),
                      TilePlan(width: 130, height: 260, tileSize: 48, overlap: 12, multiple: 1, scale: 4, fixedTile: false)] {
            #expect(other.borders(other.columns) != borders.columns || other.borders(other.rows) != borders.rows)
        }
    }

    @Test func serialisesWhatThePyTorchServerReads() throws {
        let plan = TilePlan(width: 72, height: 100, tileSize: 64, overlap: 16, multiple: 8, scale: 8, fixedTile: true)
        let data = try JSONSerialization.data(withJSONObject: plan.json)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let columns = try #require(object["columns"] as? [String: Any]), rows = try #require(object["rows"] as? [String: Any])
        #expect(object["tile"] as? Int == 64 && object["overlap"] as? Int == 16 && object["scale"] as? Int == 8)
        #expect(columns["origins"] as? [Int] == [0, 8] && columns["padded"] as? Int == 72 && columns["extent"] as? Int == 64)
        #expect(rows["origins"] as? [Int] == plan.rows.origins && rows["length"] as? Int == 100 && rows["padded"] as? Int == 104)
    }
}
