import Foundation
import Testing

@Suite struct ExitStatusTests {
    /// Usage errors exit 2 and name the problem; nothing is written.
    @Test(arguments: [
        (["--quality", "0"], "--quality"),
        (["--model", "esrgan"], "unknown model 'esrgan'"),
        (["--model", "/nonexistent/weights.safetensors"], "/nonexistent/weights.safetensors: no such model file"),
        (["-g", "1"], "CPU only"),
        (["-j", "1:2,2:2"], "-j '1:2,2:2'"),
        (["--keep", "xmp"], "does not read XMP"),
        (["--max-pixels", "lots"], "--max-pixels 'lots'"),
        (["--max-pixels", "1G"], "at most 268435456 (16384x16384), the largest image gigascale reads back"),
        (["--skip-existing", "--overwrite"], "exclusive"),
        (["--bogus"], "--bogus"),
    ])
    func usageErrorsExitTwo(arguments: [String], message: String) throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("out.png")] + arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(tree.files(under: ".").isEmpty)
    }

    /// Refused up front, before any input is read: the messages name the path.
    @Test func missingInputsAndUnwritableFoldersAreRefusedBeforeAnyWork() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/a.png", sample: "face-128.png")
        let missing = try CommandRunner.run([tree.path("in/a.png"), tree.path("in/nope.png"), "-o", tree.path("out")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("\(tree.path("in/nope.png")): no such file or folder"))
        #expect(!FileManager.default.fileExists(atPath: tree.path("out")))

        // A file where the folder should be, and a folder that cannot be created (/proc).
        try tree.write("plain", "x")
        let notFolder = try CommandRunner.run([tree.path("in"), "-o", tree.path("plain")])
        #expect(notFolder.status == 2)
        #expect(notFolder.stderr.contains("\(tree.path("plain")): is a file, not a folder"), "\(notFolder.stderr)")
        let unwritable = try CommandRunner.run([tree.path("in"), "-o", "/proc/gigascale-test"])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("/proc/gigascale-test: cannot create the output folder"), "\(unwritable.stderr)")

        let badTemplate = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--name", "{nope}"])
        #expect(badTemplate.status == 2)
        #expect(!FileManager.default.fileExists(atPath: tree.path("out")))

        let folderWithoutOutput = try CommandRunner.run([tree.path("in")])
        #expect(folderWithoutOutput.status == 2)
        #expect(folderWithoutOutput.stderr.contains("a folder needs -o DIR"))
        let unknownExtension = try CommandRunner.run([tree.path("in/a.png"), "-o", tree.path("a.webp")])
        #expect(unknownExtension.status == 2)
        #expect(unknownExtension.stderr.contains("cannot tell the output format from '.webp'"))
        #expect(tree.files(under: ".") == ["in/a.png", "plain"])
    }

    /// An output over --max-pixels fails that input (exit 1) before its first tile.
    @Test func anOutputOverThePixelLimitIsRefused() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("big.png"), "--max-pixels", "1M"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("output of 1024x1024 pixels (1.0 MP) exceeds the output limit of 1 MP"), "\(result.stderr)")
        #expect(tree.files(under: ".").isEmpty)
        #expect(try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("ok.png"), "--max-pixels", "1.1M"]).status == 0)
    }

    /// -s -t -m -f -j and -g -1 are the ncnn spellings of --scale --tile --model --format
    /// --threads and "CPU": the output is the same as with the long options.
    @Test func ncnnShortFlagsMeanTheLongOptions() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let short = try CommandRunner.run(["-i", CommandRunner.sample("face-128.png"), "-o", tree.path("short"), "-s", "2", "-t", "48",
                                           "-m", "bicubic", "-f", "tiff", "-j", "1:1:1", "-g", "-1"])
        #expect(short.status == 0, "\(short.stderr)")
        #expect(short.stderr.contains("CPU only"))
        let long = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("long"), "--scale", "2", "--tile", "48",
                                          "--model", "bicubic", "--format", "tiff", "--threads", "1"])
        #expect(long.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path("short"))) == Data(contentsOf: URL(fileURLWithPath: tree.path("long"))))
    }

    /// --strip drops the ICC profile and EXIF; --keep chooses; the default keeps both.
    @Test func stripAndKeepChooseTheMetadata() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        var count = 0
        func info(_ fixture: String, _ extra: [String]) throws -> [String: Any] {
            count += 1
            let output = tree.path("out-\(count).jpg")
            let result = try CommandRunner.run([CommandRunner.fixture(fixture), "-o", output, "--scale", "1"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            let described = try CommandRunner.run(["info", "--json", output])
            return try #require(try JSONSerialization.jsonObject(with: described.stdout) as? [String: Any])
        }
        #expect(try info("jpeg/exif.jpg", [])["exifBytes"] as? Int ?? 0 > 0)
        #expect(try info("jpeg/exif.jpg", ["--strip"])["exifBytes"] as? Int == 0)
        #expect(try info("jpeg/exif.jpg", ["--keep", "icc"])["exifBytes"] as? Int == 0)
        #expect(try info("jpeg/exif.jpg", ["--keep", "exif,icc"])["exifBytes"] as? Int ?? 0 > 0)
        #expect(try info("jpeg/icc-multichunk.jpg", [])["iccProfileBytes"] as? Int ?? 0 > 0)
        #expect(try info("jpeg/icc-multichunk.jpg", ["--keep", "exif"])["iccProfileBytes"] as? Int == 0)
        #expect(try info("jpeg/icc-multichunk.jpg", ["--keep", "none"])["iccProfileBytes"] as? Int == 0)
    }

    /// SIGINT while the output is being written: exit 130, and neither the output nor its
    /// temporary file is left. The input is large enough that the signal lands mid-file: the
    /// test waits for the temporary file to appear before sending it.
    @Test func anInterruptedRunLeavesNoPartialFile() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = [CommandRunner.sample("astronaut.png"), "-o", tree.path("out/big.png"), "--scale", "8", "--tile", "32", "--overlap", "8"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var sawTemporaryFile = false
        for _ in 0..<6000 where process.isRunning {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: tree.path("out"))) ?? []
            if names.contains(where: { $0.contains(".partial-") }) { sawTemporaryFile = true; break }
            usleep(10_000)
        }
        #expect(sawTemporaryFile, "the run ended before its output was opened")
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: tree.path("out"))) ?? []).isEmpty)
    }
}
