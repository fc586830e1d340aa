import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct BatchCommandTests {
    /// A folder with nested subfolders, a broken file, a non-image and a hidden folder: the tree
    /// is mirrored, the broken file fails with its name, the rest are done, exit 1; a second
    /// run skips every finished output without touching it.
    @Test func mirrorsANestedFolderAndKeepsGoingPastABrokenFile() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/face.png", sample: "face-128.png")
        try tree.add("in/sub/coffee.jpg", sample: "coffee.jpg")
        try tree.add("in/sub/deeper/text.png", sample: "text.png")
        try tree.add("in/sub/broken.png", sample: "broken/png-truncated-idat.png", fixture: true)
        try tree.add("in/.hidden/brick.png", sample: "brick.png")
        try tree.write("in/notes.md", "not a photo")
        #expect(mkfifo(tree.path("in/queue"), 0o644) == 0)  // would block a reader forever

        let first = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "-r", "--scale", "2"])
        #expect(first.status == 1, "\(first.stderr)")
        #expect(tree.files(under: "out") == ["face-x2.png", "sub/coffee-x2.png", "sub/deeper/text-x2.png"])
        #expect(first.stderr.contains("gigascale: error: \(tree.path("in/sub/broken.png")): truncated PNG data"))
        #expect(first.stderr.contains("skipped \(tree.path("in/notes.md")): not an image"))
        #expect(first.stderr.contains("skipped \(tree.path("in/queue")): not an image"))
        #expect(first.stderr.contains("3 done, 2 skipped, 1 failed (\(tree.path("in/sub/broken.png")))"))
        #expect(first.stdout.isEmpty)

        let finished = try FileManager.default.attributesOfItem(atPath: tree.path("out/face-x2.png"))
        let second = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "-r", "--scale", "2"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("0 done, 5 skipped, 1 failed"), "\(second.stderr)")
        let again = try FileManager.default.attributesOfItem(atPath: tree.path("out/face-x2.png"))
        #expect(again[.modificationDate] as? Date == finished[.modificationDate] as? Date)
        #expect(again[.systemFileNumber] as? Int == finished[.systemFileNumber] as? Int)

        let redo = try CommandRunner.run([tree.path("in/sub/coffee.jpg"), tree.path("in/face.png"), "-o", tree.path("out"),
                                          "--scale", "2", "--overwrite"])
        #expect(redo.status == 0, "\(redo.stderr)")
        #expect(redo.stderr.contains("2 done, 0 skipped, 0 failed"))
        #expect(try FileManager.default.attributesOfItem(atPath: tree.path("out/face-x2.png"))[.systemFileNumber] as? Int
                != finished[.systemFileNumber] as? Int)
    }

    /// A single-file run replaces its output unless --skip-existing says otherwise.
    @Test func aSingleFileReplacesItsOutputUnlessAskedToSkip() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.write("out.png", "placeholder")
        let skipped = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("out.png"), "--scale", "1", "--skip-existing", "-v"])
        #expect(skipped.status == 0)
        #expect(skipped.stderr.contains("skipped \(CommandRunner.sample("face-128.png")): \(tree.path("out.png")) exists"), "\(skipped.stderr)")
        #expect(try String(contentsOfFile: tree.path("out.png"), encoding: .utf8) == "placeholder")
        let replaced = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("out.png"), "--scale", "1"])
        #expect(replaced.status == 0)
        #expect(replaced.stderr.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path("out.png"))).starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func withoutRecursionSubfoldersAreNotedAndLeftAlone() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/face.png", sample: "face-128.png")
        try tree.add("in/sub/text.png", sample: "text.png")
        let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--scale", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(tree.files(under: "out") == ["face-x2.png"])
        #expect(result.stderr.contains("skipped folder \(tree.path("in/sub")) (-r enters subfolders)"))
    }

    /// An output folder inside the input folder is never walked, so a rerun does not enlarge
    /// its own outputs.
    @Test func neverWalksItsOwnOutputFolder() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("photos/face.png", sample: "face-128.png")
        for _ in 0..<2 {
            let result = try CommandRunner.run([tree.path("photos"), "-r", "-o", tree.path("photos/x2"), "--scale", "2"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(tree.files(under: "photos") == ["face.png", "x2/face-x2.png"])
    }

    /// Outputs named like an input are refused, with or without --overwrite, and the input is
    /// left byte for byte as it was.
    @Test func neverWritesOntoAnInput() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/a.png", sample: "face-128.png")
        try tree.add("in/a-x2.png", sample: "brick.png")
        let before = try Data(contentsOf: URL(fileURLWithPath: tree.path("in/a-x2.png")))
        for extra in [[], ["--overwrite"]] {
            let result = try CommandRunner.run([tree.path("in/a.png"), tree.path("in/a-x2.png"), "--scale", "2"] + extra)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("refusing to write the output onto an input (\(tree.path("in/a-x2.png")))"))
        }
        let same = try CommandRunner.run([tree.path("in/a.png"), "-o", tree.path("in"), "--name", "{stem}.{ext}", "--overwrite"])
        #expect(same.status == 1)
        #expect(same.stderr.contains("refusing to write the output onto an input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path("in/a-x2.png"))) == before)
    }

    /// Two inputs whose names give the same output: the first is done, the second fails with
    /// both names rather than overwriting it.
    @Test func twoInputsNeverShareAnOutput() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/photo.png", sample: "face-128.png")
        try tree.add("in/photo.jpg", sample: "rocket.jpg")
        let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--scale", "1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is also the output of \(tree.path("in/photo.jpg"))"), "\(result.stderr)")
        #expect(tree.files(under: "out") == ["photo-x1.png"])
    }

    /// `find … -print0 | xargs -0 gigascale -o DIR`: many file arguments, names with spaces.
    @Test func worksWithFindAndXargs() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/a b.png", sample: "face-128.png")
        try tree.add("in/sub/c.jpg", sample: "rocket.jpg")
        try tree.add("in/sub/d.png", sample: "grass.png")
        let result = try CommandRunner.shell("find in -type f -print0 | xargs -0 gigascale --scale 1 -o out", in: tree.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(tree.files(under: "out") == ["a b-x1.png", "c-x1.png", "d-x1.png"])
    }

    @Test(arguments: [
        ("{stem}-x{scale}.{ext}", "jpeg", "face-x2.jpg"),
        ("{stem}_{width}x{height}_{model}.{ext}", "png", "face_256x256_lanczos.png"),
        ("{model}-{stem}.{ext}", "tiff", "lanczos-face.tif"),
    ])
    func namesOutputsFromTheTemplate(template: String, format: String, expected: String) throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/face.png", sample: "face-128.png")
        let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--scale", "2", "--name", template, "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(tree.files(under: "out") == [expected])
        let info = try CommandRunner.run(["info", "--json", tree.path("out/" + expected)])
        let object = try #require(try JSONSerialization.jsonObject(with: info.stdout) as? [String: Any])
        #expect(object["format"] as? String == format)
        #expect(object["width"] as? Int == 256)
    }

    @Test(arguments: [["--name", "{stem}-{colour}.{ext}"], ["--name", "sub/{stem}.{ext}"], ["--name", "{stem"]])
    func refusesABadTemplate(arguments: [String]) throws {
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", "/tmp"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--name"), "\(result.stderr)")
    }

    /// ImageMagick-style format prefixes, to standard output and to a file without extension.
    @Test func formatPrefixesChooseTheOutputFormat() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let piped = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", "tiff:-", "--scale", "1"])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.starts(with: [0x49, 0x49, 0x2A, 0x00]) || piped.stdout.starts(with: [0x4D, 0x4D, 0x00, 0x2A]))
        let file = tree.path("result.bin")
        #expect(try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", "jpeg:" + file, "--scale", "1"]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)).starts(with: [0xFF, 0xD8, 0xFF]))
    }

    /// stdin → stdout through a real shell pipe, then back into the tool.
    @Test func roundTripsThroughAShellPipe() throws {
        let result = try CommandRunner.shell("cat '\(CommandRunner.sample("rocket.jpg"))' | gigascale - -o - --scale 2 | gigascale info --json -")
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(object["format"] as? String == "jpeg")
        #expect(object["width"] as? Int == 1280 && object["height"] as? Int == 854)
        #expect(result.stderr.isEmpty)
    }

    /// --json=FILE keeps the human lines on stderr and writes one object per file plus a summary.
    @Test func jsonRecordsDescribeEveryFile() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/face.png", sample: "face-128.png")
        try tree.add("in/broken.jpg", sample: "broken/jpeg-truncated-sos.jpg", fixture: true)
        let log = tree.path("log.jsonl")
        let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--scale", "2", "--json=\(log)"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("1 done, 0 skipped, 1 failed"))
        let records = JSONRecords.parse(try String(contentsOfFile: log, encoding: .utf8))
        #expect(records.count == 3)
        let done = try #require(records.first { $0["status"] as? String == "done" })
        #expect(done["input"] as? String == tree.path("in/face.png"))
        #expect(done["output"] as? String == tree.path("out/face-x2.png"))
        #expect(done["inputWidth"] as? Int == 128 && done["outputWidth"] as? Int == 256)
        #expect(done["model"] as? String == "lanczos")
        #expect(done["seconds"] is Double)
        let failed = try #require(records.first { $0["status"] as? String == "failed" })
        #expect((failed["error"] as? String)?.hasPrefix(tree.path("in/broken.jpg") + ": ") == true)
        #expect(records.last?["summary"] as? Bool == true)

        let quiet = try CommandRunner.run([tree.path("in"), "-o", tree.path("out2"), "--scale", "2", "--json"])
        let lines = JSONRecords.parse(quiet.stderr)
        #expect(lines.count == 3 && quiet.stderr.split(separator: "\n").count == 3, "\(quiet.stderr)")
    }
}
