import Foundation
import Testing

/// `gigascale --model model.safetensors` with fal's AuraSR format: the reduced random-weight
/// fixture (16 px tiles, 4x) run end to end through the built executable on a 32 px photo crop
/// (9 overlapping tiles).
@Suite struct AuraSRCommandTests {
    static let weights = CommandRunner.fixture("models/aurasr/model.safetensors")

    private func size(_ path: String) throws -> (width: Int?, height: Int?) {
        let result = try CommandRunner.run(["info", "--json", path])
        let described = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        return (described["width"] as? Int, described["height"] as? Int)
    }

    @Test func runsFalsFileAtItsNativeScaleWithoutBeingTold() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("face.png").path
        try FileManager.default.copyItem(atPath: CommandRunner.fixture("models/aurasr/input-32.png"), toPath: input)
        // No --scale and no -o: the file's own 4x, and the default name says so.
        let result = try CommandRunner.run([input, "--model", Self.weights, "--overlap", "4", "--seed", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = dir.appendingPathComponent("face-x4.png").path
        let (width, height) = try size(output)
        #expect(width == 128 && height == 128)
        // The network, not a resampler, made it.
        let lanczos = dir.appendingPathComponent("lanczos.png").path
        #expect(try CommandRunner.run([input, "--scale", "4", "-o", lanczos]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) != (try Data(contentsOf: URL(fileURLWithPath: lanczos))))
    }

    @Test func aScaleAboveTheFilesIsRefused() throws {
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", Self.weights, "--scale", "8",
                                            "--overlap", "4", "-o", "/tmp/never-aurasr.png"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("more than the model's native 4x"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-aurasr.png"))
    }

    /// `--tile` is honoured or refused, never ignored: AuraSR runs only its own tile size, and
    /// says so before any input is read, as a usage error.
    @Test func aTileSizeTheModelCannotRunIsRefused() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.png").path
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", Self.weights, "--tile", "32", "-o", output])
        #expect(result.status == 2)
        #expect(result.stderr.contains("gigascale: error: tile size 32: this model runs 16-pixel tiles only"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func weightsWithoutTheirConfigJSONAreAClearError() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = dir.appendingPathComponent("model.safetensors").path
        try FileManager.default.copyItem(atPath: Self.weights, toPath: weights)
        let output = dir.appendingPathComponent("out.png").path
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", weights, "-o", output])
        #expect(result.status == 1)
        #expect(result.stderr.contains(weights) && result.stderr.contains("config.json"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aFileOfNeitherFormatNamesWhatIsMissing() throws {
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", CommandRunner.fixture("engine/basic-ops.safetensors"), "-o", "/tmp/never-aurasr.png"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("not a weights file Gigascale knows") && result.stderr.contains("'init_conv.weight'"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-aurasr.png"))
    }
}
