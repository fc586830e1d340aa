import Foundation
import Testing

/// The `gigascale` executable with an ncnn model: by name from $GIGASCALE_MODELS and by path,
/// listed by `gigascale models`, and 8x from a 4x model with `--scale 8`.
@Suite struct NCNNCommandTests {
    static let model = CommandRunner.fixture("models/ncnn/realesr-animevideov3-x4.param")

    @Test func runsByPathAndByName() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = CommandRunner.fixture("hostile/tiny-8x8.png")
        let byPath = try CommandRunner.run(["--model", Self.model, input, "-o", directory.appendingPathComponent("a.png").path])
        #expect(byPath.status == 0, "\(byPath.stderr)")
        let models = ["GIGASCALE_MODELS": CommandRunner.fixture("models/ncnn")]
        let byName = try CommandRunner.run(["--model", "realesr-animevideov3-x4", input, "-o", directory.appendingPathComponent("b.png").path],
                                           environment: models)
        #expect(byName.status == 0, "\(byName.stderr)")
        let a = try Data(contentsOf: directory.appendingPathComponent("a.png")), b = try Data(contentsOf: directory.appendingPathComponent("b.png"))
        #expect(a == b)
        let info = try CommandRunner.run(["info", directory.appendingPathComponent("a.png").path])
        #expect(String(decoding: info.stdout, as: UTF8.self).contains("32 x 32"), "\(String(decoding: info.stdout, as: UTF8.self))")
    }

    @Test func scaleEightWithAFourXModelSaysWhatItDoes() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("eight.png").path
        let result = try CommandRunner.run(["--model", Self.model, "--scale", "8", "-v", CommandRunner.fixture("hostile/tiny-8x8.png"), "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("realesr-animevideov3-x4 is a 4x model: each image is enlarged ×2 with bicubic, then the model runs (8x in all)"), "\(result.stderr)")
        #expect(String(decoding: try CommandRunner.run(["info", output]).stdout, as: UTF8.self).contains("64 x 64"))
    }

    @Test func theListingShowsScaleAndLayers() throws {
        let result = try CommandRunner.run(["models", "--json"], environment: ["GIGASCALE_MODELS": CommandRunner.fixture("models/ncnn")])
        #expect(result.status == 0, "\(result.stderr)")
        let models = JSONRecords.parse(String(decoding: result.stdout, as: UTF8.self))
        let x4 = try #require(models.first { $0["name"] as? String == "realesr-animevideov3-x4" })
        #expect(x4["scale"] as? String == "4" && x4["layers"] as? Int == 40)
        #expect(models.contains { $0["name"] as? String == "rrdb-random" })
        // The x2 and x3 graphs have no .bin of their own here: skipped, and said why.
        #expect(!models.contains { $0["name"] as? String == "realesr-animevideov3-x3" })
        #expect(result.stderr.contains("realesr-animevideov3-x2.bin are missing"), "\(result.stderr)")
    }

    @Test func aMissingBinIsOneClearError() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let param = directory.appendingPathComponent("lonely.param").path
        try FileManager.default.copyItem(atPath: Self.model, toPath: param)
        let result = try CommandRunner.run(["--model", param, CommandRunner.fixture("hostile/tiny-8x8.png"), "-o", directory.appendingPathComponent("x.png").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(param): its weights \(directory.appendingPathComponent("lonely.bin").path) cannot be read"), "\(result.stderr)")
    }
}
