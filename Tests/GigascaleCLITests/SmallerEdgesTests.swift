import Foundation
import Testing

/// The small edges a new user meets: shrinking sizes, a terminal on standard output, logs that
/// resume, long prompts, abandoned temporary files, a format that contradicts the name.
@Suite struct SmallerEdgesTests {
    private static let script = ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }
    private static let flock = ["/usr/bin/flock", "/bin/flock"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A size no larger than the input skips the model: the output is Lanczos-3 of the input,
    /// byte for byte what `-m lanczos` makes, and a warning says so.
    @Test(arguments: [["--scale", "0.5"], ["--fit", "100x100"]])
    func aSizeNoLargerThanTheInputIsResampledDirectly(size: [String]) throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let model = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("model.png"), "-m", "gigagan-8x-s-psnr"] + size)
        #expect(model.status == 0, "\(model.stderr)")
        #expect(model.stderr.contains("resampled with Lanczos-3, without the model"), "\(model.stderr)")
        let lanczos = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("lanczos.png"), "-m", "lanczos"] + size)
        #expect(lanczos.status == 0)
        #expect(try Data(contentsOf: tree.root.appendingPathComponent("model.png")) == Data(contentsOf: tree.root.appendingPathComponent("lanczos.png")))
    }

    /// `-o -` on a terminal would print binary: refused as gzip does.
    @Test(.enabled(if: script != nil, "script(1) is not installed"))
    func standardOutputOnATerminalIsRefused() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let command = "\(CommandRunner.executable.path) \(CommandRunner.sample("face-128.png")) -o - -m bicubic; echo status=\\$?"
        let result = try CommandRunner.shell("'\(Self.script!)' -qec \"\(command)\" /dev/null", in: tree.root)
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(text.contains("standard output is a terminal"), "\(text)")
        #expect(text.contains("status=2"), "\(text)")
        #expect(!text.contains("PNG"), "image bytes reached the terminal")
    }

    /// --json=FILE appends: a resumed run keeps the first run's records.
    @Test func theJSONLogIsAppendedTo() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/a.png", sample: "face-128.png")
        let log = tree.path("out/log.jsonl")
        let first = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "-m", "bicubic", "--json=\(log)"])
        #expect(first.status == 0, "\(first.stderr)")
        try tree.add("in/b.png", sample: "face-128.png")
        let second = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "-m", "bicubic", "--json=\(log)"])
        #expect(second.status == 0, "\(second.stderr)")
        let records = JSONRecords.parse(try String(contentsOfFile: log, encoding: .utf8))
        #expect(records.filter { $0["summary"] as? Bool == true }.count == 2)
        #expect(JSONRecords.files(records, status: "done").map { URL(fileURLWithPath: $0).lastPathComponent } == ["a.png", "b.png"])
    }

    /// A huge prompt is shortened in -v (JSON carries what the model got, at most 64 KiB); a list
    /// line naming no input is reported.
    @Test func longPromptsAreShortenedAndStrayListLinesReported() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("a.png", sample: "face-128.png")
        let long = String(repeating: "a tabby cat ", count: 10_000)
        try tree.write("a.txt", long)
        let result = try CommandRunner.run([tree.path("a.png"), "-o", tree.path("a-out.png"), "-m", "bicubic", "-v", "--json=\(tree.path("log"))"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.utf8.count < 2_000, "the prompt was echoed whole: \(result.stderr.utf8.count) bytes")
        #expect(result.stderr.contains("prompt \"a tabby cat a tabby cat"), "\(result.stderr)")
        let record = try #require(JSONRecords.parse(try String(contentsOfFile: tree.path("log"), encoding: .utf8)).first)
        let prompt = try #require(record["prompt"] as? String)
        #expect(prompt.utf8.count == 64 << 10, "the record carries the prompt the model got: \(prompt.utf8.count) bytes")

        try tree.write("list.tsv", "a.png\tgrey cat\nmissing.png\tnothing\n")
        let listed = try CommandRunner.run([tree.path("a.png"), "-o", tree.path("b-out.png"), "-m", "bicubic", "--prompt-file", tree.path("list.tsv")])
        #expect(listed.status == 0)
        #expect(listed.stderr.contains("list.tsv:2: missing.png is not among the inputs"), "\(listed.stderr)")
        #expect(!listed.stderr.contains("list.tsv:1"), "\(listed.stderr)")
    }

    /// The temporary file of a run killed outright is removed by the next run writing that
    /// output (with a warning); one that another process still holds is left alone.
    @Test(.enabled(if: flock != nil, "flock(1) is not installed"))
    func abandonedTemporaryFilesAreRemovedAndLiveOnesKept() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.write("out/.x.png.partial-AbC123", "half an image")
        try tree.write("out/.x.png.partial-Live42", "being written")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: Self.flock!)
        holder.arguments = [tree.path("out/.x.png.partial-Live42"), "sleep", "60"]
        try holder.run()
        defer { holder.terminate() }
        Thread.sleep(forTimeInterval: 0.3)  // flock(1) takes its lock before it starts sleep
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("out/x.png"), "-m", "bicubic"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("removed \(tree.path("out/.x.png.partial-AbC123")), left by a run that was killed"), "\(result.stderr)")
        #expect(tree.files(under: "out") == [".x.png.partial-Live42", "x.png"])
    }

    /// `-f jpeg -o x.png` writes JPEG as asked, and says the name disagrees.
    @Test func aFormatThatContradictsTheNameIsWarnedAbout() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("x.png"), "-f", "jpeg", "-m", "bicubic"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("writing JPEG as --format asks, under a .png name"), "\(result.stderr)")
        #expect(try Data(contentsOf: tree.root.appendingPathComponent("x.png")).starts(with: [0xFF, 0xD8, 0xFF]))
    }

    /// `--seed -1` is a value refused as one, and every error has the same prefix.
    @Test func aNegativeSeedIsRefusedAsAValue() throws {
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "--seed", "-1", "-o", "/nonexistent/x.png"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("gigascale: error: The value '-1' is invalid for '--seed"), "\(result.stderr)")
        #expect(!result.stderr.contains("Missing value"))
    }

    /// One tile is "1 tile".
    @Test func oneTileIsSingular() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("x.png"), "-m", "bicubic", "--tile", "128", "-v"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains(", 1 tile, "), "\(result.stderr)")
    }
}
