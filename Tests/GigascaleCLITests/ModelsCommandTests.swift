import Foundation
import Testing

@Suite struct ModelsCommandTests {
    @Test func listsTheBuiltInModelsAndTheWeightsFound() throws {
        let result = try CommandRunner.run(["models", "--json"], environment: ["GIGASCALE_MODELS": CommandRunner.fixture("models")])
        #expect(result.status == 0, "\(result.stderr)")
        let models = JSONRecords.parse(String(decoding: result.stdout, as: UTF8.self))
        let names = models.compactMap { $0["name"] as? String }
        #expect(names.prefix(2) == ["lanczos", "bicubic"])
        let tiny = try #require(models.first { $0["name"] as? String == "gigagan-tiny" })
        #expect(tiny["scale"] as? String == "8")
        #expect(tiny["file"] as? String == CommandRunner.fixture("models/gigagan-tiny.safetensors"))
        // The README's count, from the PyTorch twin (`python -m gigagan.count`).
        #expect(tiny["parameters"] as? Int == 27_555)
        // The text encoder is no upscaler: noted on stderr, not listed.
        #expect(!names.contains("text-encoder"))
        #expect(result.stderr.contains("text-encoder.safetensors: not a gigascale-gigagan weights file"))

        let table = try CommandRunner.run(["models"], environment: ["GIGASCALE_MODELS": CommandRunner.fixture("models")])
        let text = String(decoding: table.stdout, as: UTF8.self)
        #expect(text.contains("gigagan-tiny") && text.contains("27,555"))
    }
}
