import Foundation
import Testing

@Suite struct FeedbackTests {
    private static let script = ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }

    private func makeTree() throws -> TestTree {
        let tree = try TestTree()
        try tree.add("in/a.png", sample: "face-128.png")
        try tree.add("in/b.png", sample: "grass.png")
        return tree
    }

    /// Not a terminal: one plain line per file and the summary, no carriage returns or escapes.
    @Test func logsPlainLinesWhenStandardErrorIsNotATerminal() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--scale", "2"])
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 3, "\(result.stderr)")
        #expect(lines[0].hasPrefix("gigascale: done \(tree.path("in/a.png")) -> \(tree.path("out/a-x2.png")) (256x256) in "))
        #expect(lines[2].hasPrefix("gigascale: 2 done, 0 skipped, 0 failed in "))
        #expect(!result.stderr.contains("\r") && !result.stderr.contains("\u{1B}"))
    }

    @Test func quietPrintsOnlyErrors() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        try tree.add("in/c.png", sample: "broken/png-bad-crc-ihdr.png", fixture: true)
        let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--scale", "2", "-q"])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.hasPrefix("gigascale: error: \(tree.path("in/c.png")): "))
    }

    /// On a terminal (a pseudo-terminal made by script(1)): a redrawn bar with files, tiles and
    /// an ETA, then the summary.
    @Test(.enabled(if: script != nil, "script(1) is not installed"))
    func drawsAProgressBarOnATerminal() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        let command = "'\(CommandRunner.executable.path)' in -o out --scale 2"
        let result = try CommandRunner.shell("'\(Self.script!)' -qec \"\(command)\" /dev/null", in: tree.root)
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "\(text)")
        #expect(text.contains("\r\u{1B}[K["))
        #expect(text.contains("file 2/2 tile"))
        #expect(text.contains("ETA"))
        #expect(text.contains("2 done, 0 skipped, 0 failed"))
        #expect(tree.files(under: "out") == ["a-x2.png", "b-x2.png"])
    }
}
