import Foundation
import Testing

@Suite struct InfoCommandTests {
    @Test(arguments: [
        ("astronaut.png", "PNG", "512 x 512", "RGB"),
        ("rocket.jpg", "JPEG", "640 x 427", "RGB"),
        ("grass.png", "PNG", "256 x 256", "gray"),
        ("text.png", "PNG", "448 x 172", "gray"),
    ])
    func describesSamples(name: String, format: String, size: String, channels: String) throws {
        let result = try CommandRunner.run(["info", CommandRunner.sample(name)])
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(text.contains("format:      \(format)"))
        #expect(text.contains("size:        \(size)"))
        #expect(text.contains("channels:    \(channels)"))
        #expect(result.stderr.isEmpty)
    }

    @Test func jsonIsOneParsableObjectPerFile() throws {
        let result = try CommandRunner.run(["info", "--json", CommandRunner.sample("chelsea.png"), CommandRunner.sample("coffee.jpg")])
        #expect(result.status == 0)
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["width"] as? Int == 451 && first["height"] as? Int == 300)
        #expect(first["format"] as? String == "png")
    }

    @Test func readsStandardInput() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: CommandRunner.sample("face-128.png")))
        let result = try CommandRunner.run(["info", "-"], stdin: bytes)
        #expect(result.status == 0)
        #expect(String(decoding: result.stdout, as: UTF8.self).contains("128 x 128"))
    }

    @Test func keepsGoingPastBadFilesAndFailsAtTheEnd() throws {
        let result = try CommandRunner.run(["info", "/nonexistent/x.png", CommandRunner.sample("brick.png")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/x.png: cannot open: No such file or directory"))
        #expect(String(decoding: result.stdout, as: UTF8.self).contains("256 x 256"))
    }

    /// Every file in the broken corpus gives its own error naming the file, a non-zero status,
    /// no crash, and nothing on standard output.
    @Test func everyBrokenFileFailsCleanly() throws {
        let folder = CommandRunner.fixture("broken")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") && !$0.hasSuffix(".sh") && !$0.hasSuffix(".md") }.sorted()
        #expect(names.count >= 10, "the broken corpus is missing")
        for name in names {
            let path = folder + "/" + name
            let result = try CommandRunner.run(["info", path])
            #expect(!result.terminatedBySignal, "\(name) crashed the tool")
            #expect(result.status == 1, "\(name): status \(result.status)")
            #expect(result.stderr.hasPrefix("gigascale: error: \(path): "), "\(name): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(name): C library noise on stderr: \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }
}
