import Foundation
import Testing

/// `--model NAME` finds installed weights; the default is $GIGASCALE_MODEL, else the best
/// installed model, else Lanczos.
@Suite struct ModelCatalogTests {
    @Test func aNameFindsTheFileInTheModelFolder() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let models = dir.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CommandRunner.fixture("models/gigagan-tiny.safetensors"),
                                         toPath: models.appendingPathComponent("my-model.safetensors").path)
        let environment = ["GIGASCALE_MODELS": models.path, "GIGASCALE_MODEL": ""]
        let listed = try CommandRunner.run(["models"], environment: environment)
        #expect(String(decoding: listed.stdout, as: UTF8.self).contains("my-model"))

        let byName = dir.appendingPathComponent("by-name.png").path
        let named = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", "my-model", "--text-encoder",
                                           CommandRunner.repositoryRoot.appendingPathComponent("Models/text-encoder").path,
                                           "--fit", "256x256", "-o", byName, "--json"], environment: environment)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stderr.contains("\"model\":\"my-model\""), "\(named.stderr)")
    }

    @Test func anUnknownNameIsAUsageErrorListingWhatIsInstalled() throws {
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", "no-such-model", "-o", "/tmp/never-catalog.png"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown model 'no-such-model'") && result.stderr.contains("lanczos, bicubic"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-catalog.png"))
    }

    @Test func theEnvironmentChoosesTheDefault() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.png").path
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", output, "--json"],
                                           environment: ["GIGASCALE_MODEL": "bicubic"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\"model\":\"bicubic\""), "\(result.stderr)")
    }
}
