import Foundation
import Testing

@Suite struct UpscaleCommandTests {
    private func info(_ path: String) throws -> [String: Any] {
        let result = try CommandRunner.run(["info", "--json", path])
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    }

    @Test func writesNameXScaleBesideTheInputByDefault() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("face.png").path
        try FileManager.default.copyItem(atPath: CommandRunner.sample("face-128.png"), toPath: input)
        let result = try CommandRunner.run(["upscale", input, "--scale", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try info(dir.appendingPathComponent("face-x2.png").path)
        #expect(output["width"] as? Int == 256 && output["height"] as? Int == 256)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["face-x2.png", "face.png"])
    }

    @Test func upscalesEightTimesIntoTheFormatOfTheOutputName() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("text-x8.tif").path
        let result = try CommandRunner.run(["upscale", CommandRunner.sample("text.png"), "-o", output, "--tile", "48", "--overlap", "8"])
        #expect(result.status == 0, "\(result.stderr)")
        let described = try info(output)
        #expect(described["format"] as? String == "tiff")
        #expect(described["width"] as? Int == 448 * 8 && described["height"] as? Int == 172 * 8)
        #expect(described["colorChannels"] as? Int == 1)
    }

    @Test func pipesFromStandardInputToStandardOutput() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: CommandRunner.sample("face-128.png")))
        let result = try CommandRunner.run(["upscale", "-", "-o", "-", "--scale", "2", "--format", "jpeg"], stdin: bytes)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.starts(with: [0xFF, 0xD8, 0xFF]))
    }

    @Test func aBrokenInputFailsWithItsNameAndWritesNothing() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CommandRunner.run(["upscale", CommandRunner.fixture("broken/png-truncated-idat.png"),
                                            "-o", dir.appendingPathComponent("out.png").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("png-truncated-idat.png: truncated PNG data"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func upscaleIsTheDefaultCommandAndDashIWorks() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.png").path, b = dir.appendingPathComponent("b.png").path
        #expect(try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", a, "--scale", "2"]).status == 0)
        #expect(try CommandRunner.run(["-i", CommandRunner.sample("face-128.png"), "-o", b, "--scale", "2"]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        let twice = try CommandRunner.run(["upscale", CommandRunner.sample("face-128.png"), "-i", CommandRunner.sample("face-128.png")])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("give each input once"))
    }

    @Test func runsAGigaGANWeightsFileWithAPrompt() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("gan.png").path
        let weights = CommandRunner.fixture("models/gigagan-tiny.safetensors")
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", weights, "--prompt", "a smiling woman", "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let described = try info(output)
        #expect(described["width"] as? Int == 1024 && described["height"] as? Int == 1024)
        // Below the native 8x: the native output, downscaled. Above it: a usage error before
        // any input is read, nothing written.
        let half = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", weights, "--scale", "4", "-o", output + ".x4.png"])
        #expect(half.status == 0, "\(half.stderr)")
        #expect(try info(output + ".x4.png")["width"] as? Int == 512)
        let tooLarge = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", weights, "--scale", "16", "-o", output + ".x16.png"])
        #expect(tooLarge.status == 2)
        #expect(tooLarge.stderr.contains("gigascale: error: a 16x enlargement is more than the model's native 8x"), "\(tooLarge.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output + ".x16.png"))
    }

    /// `--tile` takes effect for a GigaGAN file: another tile size is another tiling, so other
    /// bytes; the default is the file's own 64.
    @Test func theTileSizeReachesAGigaGANModel() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = CommandRunner.fixture("models/gigagan-tiny.safetensors")
        var outputs: [Data] = []
        for tile in [nil, "64", "32"] {
            let output = dir.appendingPathComponent("gan-\(tile ?? "default").png").path
            let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", weights, "--scale", "2", "-o", output]
                                               + (tile.map { ["--tile", $0] } ?? []))
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: output)))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] != outputs[2])
    }

    @Test func aFileThatIsNoModelIsAClearError() throws {
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--model", CommandRunner.fixture("engine/basic-ops.safetensors"), "-o", "/tmp/never.png"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("basic-ops.safetensors"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.png"))
    }

    @Test func rejectsAnUnknownModelAsAUsageError() throws {
        let result = try CommandRunner.run(["upscale", CommandRunner.sample("face-128.png"), "--model", "esrgan"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown model 'esrgan'"))
    }
}
