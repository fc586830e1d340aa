import Foundation
import Testing

/// `--scale`, `--width`, `--height` and `--fit`, with the fast Lanczos model.
@Suite struct SizeOptionsTests {
    private func size(_ path: String) throws -> [Int] {
        let result = try CommandRunner.run(["info", "--json", path])
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        return [json["width"] as? Int ?? -1, json["height"] as? Int ?? -1]
    }

    /// Upscales `sample` with `arguments` into a fresh folder; returns the output's size.
    private func upscale(_ sample: String, _ arguments: [String]) throws -> [Int] {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.png").path
        let result = try CommandRunner.run(["upscale", CommandRunner.sample(sample), "-o", output, "--model", "lanczos"] + arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try size(output)
    }

    @Test func fitFourKKeepsTheAspectRatioInsideTheBox() throws {
        // 448x172: the width meets the box first; 172 * 3840 / 448 = 1474.3.
        #expect(try upscale("text.png", ["--fit", "4k"]) == [3840, 1474])
        #expect(try upscale("face-128.png", ["--fit", "300x200"]) == [200, 200])
    }

    @Test func aWidthOrAFactorSetsTheSize() throws {
        #expect(try upscale("chelsea.png", ["--width", "1000"]) == [1000, 665])   // 300 * 1000 / 451 = 665.2
        #expect(try upscale("face-128.png", ["--height", "300"]) == [300, 300])
        #expect(try upscale("face-128.png", ["--scale", "2"]) == [256, 256])
        #expect(try upscale("face-128.png", ["-s", "2.5"]) == [320, 320])
    }

    @Test func theDefaultNameSaysWhatWasAsked() throws {
        let dir = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("face.png").path
        try FileManager.default.copyItem(atPath: CommandRunner.sample("face-128.png"), toPath: input)
        #expect(try CommandRunner.run([input, "--width", "200"]).status == 0)
        #expect(try CommandRunner.run([input, "--fit", "4k"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
                == ["face-fit3840x2160.png", "face-w200.png", "face.png"])
    }

    @Test func conflictingOrMalformedSizesAreUsageErrors() throws {
        for (arguments, message) in [(["--scale", "2", "--width", "100"], "--scale and --width both set the output size"),
                                     (["--width", "100", "--height", "100"], "--width and --height both set the output size"),
                                     (["--fit", "4k", "--height", "100"], "--height and --fit both set the output size"),
                                     (["--fit", "wide"], "--fit takes WxH"),
                                     (["--scale", "0"], "--scale must be above 0"),
                                     (["--scale", "17"], "at most 16"),
                                     (["--width", "0"], "--width must be at least 1")] {
            let result = try CommandRunner.run(["upscale", CommandRunner.sample("face-128.png"), "-o", "/tmp/never-written.png"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.png"))
    }
}
