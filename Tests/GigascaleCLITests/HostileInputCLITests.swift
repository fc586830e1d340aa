import Foundation
import Testing

/// Hostile inputs end to end through the built `gigascale`, each under a 60-second watchdog:
/// bombs and malformed files, prompts that are not UTF-8 or are huge, awkward file names, symlink
/// loops, FIFOs and folders named like images. Refusals are one error line naming the file,
/// exit status 1, and no output; the fixtures are in Tests/Fixtures/hostile.
@Suite struct HostileInputCLITests {
    static let weights = CommandRunner.fixture("models/gigagan-tiny.safetensors")
    static let textEncoder = CommandRunner.repositoryRoot.appendingPathComponent("Models/text-encoder").path
    static let tiny = CommandRunner.fixture("hostile/tiny-8x8.png")

    @Test(arguments: [
        ("hostile/png-max-side-both.png", "PNG header declares 65535x65535"),
        ("hostile/jpeg-sof-65500.jpg", "JPEG header declares 65500x65500"),
        ("hostile/tiff-ifd-cycle-to-first.tif", "loops back"),
        ("hostile/tiff-rowsperstrip-zero.tif", "RowsPerStrip"),
        // A legitimate 4096x4096, but its 8x enlargement is over the output limit: refused from
        // the header, before it is decoded.
        ("hostile/png-inflates-1000x.png", "exceeds the output limit"),
        ("broken/png-zlib-bomb.png", "20000x20000"),
        ("broken/tiff-absurd-strip-count.tif", "past the end"),
    ])
    func aHostileImageIsRefusedInOneLineNamingIt(_ fixture: String, _ phrase: String) throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let input = CommandRunner.fixture(fixture)
        let result = try Watchdog.run([input, "-o", tree.path("out.png")])
        #expect(result.status == 1 && !result.terminatedBySignal, "\(result.stderr)")
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errorLines.first?.hasPrefix("gigascale: error: \(input): ") == true, "\(result.stderr)")
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
        #expect(tree.files(under: "").isEmpty)
    }

    @Test(arguments: ["hostile/png-idat-overflows-ihdr.png", "hostile/tiff-bytecount-4gb.tif"])
    func aHostileButDecodableImageEnlarges(_ fixture: String) throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let result = try Watchdog.run([CommandRunner.fixture(fixture), "-o", tree.path("out.png")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(tree.files(under: "") == ["out.png"])
    }

    /// Prompts that are not UTF-8 (as an argument and as a sidecar), 100 KB long (near the
    /// kernel's limit for one argument) and a 20 MB sidecar: the GigaGAN run completes.
    @Test func hostilePromptsStillEnlarge() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/photo.png", sample: "hostile/tiny-8x8.png", fixture: true)
        let model = ["--model", Self.weights, "--text-encoder", Self.textEncoder]
        let input = tree.path("in/photo.png")

        // Not UTF-8 as an argument: only a shell can pass those bytes.
        let quoted = ([input] + model).map { "'\($0)'" }.joined(separator: " ")
        let invalid = try CommandRunner.shell("gigascale \(quoted) --prompt \"$(printf 'a \\377\\376 photo \\303')\" -o '\(tree.path("invalid-arg.png"))'")
        #expect(invalid.status == 0, "\(invalid.stderr)")

        let long = String(repeating: "a very long prompt ", count: 5_000)  // 95 KB
        let longResult = try Watchdog.run([input] + model + ["--prompt", long, "-o", tree.path("long-arg.png")])
        #expect(longResult.status == 0, "\(longResult.stderr)")

        try Data([0x61, 0x20, 0xFF, 0xFE, 0xC3, 0x28, 0x20, 0x62]).write(to: URL(fileURLWithPath: tree.path("in/photo.txt")))
        let sidecar = try Watchdog.run([input] + model + ["-o", tree.path("invalid-sidecar.png")])
        #expect(sidecar.status == 0, "\(sidecar.stderr)")

        // 20 MB in one word: only the first 64 KiB are read.
        try Data(repeating: UInt8(ascii: "x"), count: 20 << 20).write(to: URL(fileURLWithPath: tree.path("in/photo.txt")))
        let huge = try Watchdog.run([input] + model + ["-o", tree.path("huge-sidecar.png"), "--json"])
        #expect(huge.status == 0, "\(huge.stderr)")
        let prompt = JSONRecords.parse(huge.stderr).compactMap { $0["prompt"] as? String }.first ?? ""
        #expect(prompt.utf8.count == 64 << 10, "the record's prompt is \(prompt.utf8.count) bytes")
        #expect(Set(tree.files(under: "")).isSuperset(of: ["invalid-arg.png", "long-arg.png", "invalid-sidecar.png", "huge-sidecar.png"]))
    }

    /// Spaces, a newline and non-ASCII letters in names: each good file is enlarged under its own
    /// name, and a broken one is reported by its name.
    @Test func awkwardFileNamesAreKeptAndReported() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let names = ["two  spaces.png", "new\nline.png", "ünïcødé 写真.png", " leading.png"]
        for name in names { try tree.add("in/" + name, sample: "hostile/tiny-8x8.png", fixture: true) }
        try tree.add("in/brøken file ✓.png", sample: "broken/png-truncated-idat.png", fixture: true)
        let result = try Watchdog.run([tree.path("in"), "-o", tree.path("out")])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(tree.files(under: "out") == names.map { OutputName.x8($0) }.sorted())
        #expect(result.errorLines.count == 1 && result.errorLines[0].contains(tree.path("in/brøken file ✓.png") + ": "), "\(result.stderr)")
    }

    /// A file name that is not UTF-8 cannot be opened through Swift's strings: in a folder it is
    /// one failure saying so (the rest of the folder is enlarged); on the command line, a usage
    /// error saying so, instead of "no such file".
    @Test func fileNamesThatAreNotUTF8AreRefusedSayingWhy() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/good.png", sample: "hostile/tiny-8x8.png", fixture: true)
        let copied = try CommandRunner.shell("cp '\(CommandRunner.fixture("hostile/tiny-8x8.png"))' \"$(printf '\(tree.path("in"))/bad\\377name.png')\"")
        try #require(copied.status == 0, "\(copied.stderr)")
        let folder = try Watchdog.run([tree.path("in"), "-o", tree.path("out")])
        #expect(folder.status == 1, "\(folder.stderr)")
        #expect(tree.files(under: "out") == ["good-x8.png"])
        #expect(folder.errorLines.count == 1 && folder.errorLines[0].contains("name.png: the file name is not valid UTF-8"), "\(folder.stderr)")

        let direct = try CommandRunner.shell("gigascale \"$(printf '\(tree.path("in"))/bad\\377name.png')\" -o '\(tree.path("direct.png"))'",
                                             environment: ["GIGASCALE_MODEL": "lanczos"])
        #expect(direct.status == 2, "\(direct.stderr)")
        #expect(direct.stderr.contains("the file name is not valid UTF-8"), "\(direct.stderr)")
    }

    /// A folder that links back to itself and two links that point at each other: the folder is
    /// walked once, each dead link is one error naming it.
    @Test func symlinkLoopsAreWalkedOnceAndReported() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/sub/photo.png", sample: "hostile/tiny-8x8.png", fixture: true)
        try FileManager.default.createSymbolicLink(atPath: tree.path("in/sub/back-up"), withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: tree.path("in/self"), withDestinationPath: "self")
        try FileManager.default.createSymbolicLink(atPath: tree.path("in/a.png"), withDestinationPath: "b.png")
        try FileManager.default.createSymbolicLink(atPath: tree.path("in/b.png"), withDestinationPath: "a.png")
        let result = try Watchdog.run([tree.path("in"), "-r", "-o", tree.path("out")])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(tree.files(under: "out") == ["sub/photo-x8.png"])
        for name in ["a.png", "b.png"] {
            #expect(result.errorLines.contains { $0.contains(tree.path("in/" + name) + ": cannot open: Too many levels of symbolic links") }, "\(result.stderr)")
        }
    }

    /// A FIFO named like an image (in a folder and on the command line), a FIFO named like a
    /// sidecar, and a folder named like an image: nothing blocks, and each is what it is.
    @Test func fifosAndFoldersNamedLikeImagesNeverBlock() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/photo.png", sample: "hostile/tiny-8x8.png", fixture: true)
        try tree.add("in/x.png/inner.png", sample: "hostile/tiny-8x8.png", fixture: true)
        #expect(mkfifo(tree.path("in/fifo.png"), 0o644) == 0)
        #expect(mkfifo(tree.path("in/photo.txt"), 0o644) == 0)  // a sidecar nobody will write

        let folder = try Watchdog.run([tree.path("in"), "-r", "-o", tree.path("out")])
        #expect(folder.status == 1, "\(folder.stderr)")
        #expect(tree.files(under: "out") == ["photo-x8.png", "x.png/inner-x8.png"])
        #expect(folder.errorLines == ["gigascale: error: \(tree.path("in/fifo.png")): is a FIFO, not a regular file (pipe it to stdin with '-' instead)"])

        let direct = try Watchdog.run([tree.path("in/fifo.png"), "-o", tree.path("direct.png")])
        #expect(direct.status == 1 && direct.errorLines.count == 1 && direct.stderr.contains("fifo.png: is a FIFO"), "\(direct.stderr)")

        let folderAlone = try Watchdog.run([tree.path("in/x.png")])
        #expect(folderAlone.status == 2, "\(folderAlone.stderr)")
        #expect(folderAlone.stderr.contains("x.png: a folder needs -o DIR"), "\(folderAlone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.path("direct.png")))
    }
}

/// The default output name of an 8x run.
enum OutputName {
    static func x8(_ name: String) -> String { URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent + "-x8.png" }
}
