import Foundation
import Testing

/// The example scripts in Samples/ run as documented (with small scales, to stay quick).
@Suite struct SampleScriptTests {
    /// A `convert` that really is ImageMagick: some machines put a stand-in first on PATH, so a
    /// file of that name is not enough; its `-version` must say so.
    private static let hasImageMagick: Bool = {
        let probe = try? CommandRunner.shell("""
            for c in convert magick /usr/bin/convert /usr/bin/convert-im6.q16; do
                "$c" -version 2>/dev/null | head -n 1 | grep -q '^Version: ImageMagick' && exit 0
            done
            exit 1
            """)
        return probe?.status == 0
    }()

    @Test func folderJobMirrorsTheTreeAndLogsEveryFile() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/a.png", sample: "face-128.png")
        try tree.add("in/sub/b.jpg", sample: "rocket.jpg")
        try tree.write("in/a.txt", "a smiling woman")
        let script = CommandRunner.sample("folder-job.sh")
        let result = try CommandRunner.shell("'\(script)' in out --scale 2", in: tree.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(tree.files(under: "out") == ["a-x2.png", "gigascale-log.jsonl", "sub/b-x2.png"])
        let log = JSONRecords.parse(try String(contentsOfFile: tree.path("out/gigascale-log.jsonl"), encoding: .utf8))
        #expect(log.first { $0["input"] as? String == "in/a.png" }?["prompt"] as? String == "a smiling woman")
        let rerun = try CommandRunner.shell("'\(script)' in out --scale 2", in: tree.root)
        #expect(rerun.status == 0)
        #expect(rerun.stderr.contains("0 done, 2 skipped, 0 failed"), "\(rerun.stderr)")
    }

    @Test(.enabled(if: hasImageMagick, "skipped: no ImageMagick (no convert or magick whose -version says ImageMagick); .ci/run installs it"))
    func pipeWithImageMagickMakesAJPEG() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let script = CommandRunner.sample("pipe-imagemagick.sh")
        let result = try CommandRunner.shell("'\(script)' --scale 2 < '\(CommandRunner.sample("face-128.png"))' > out.jpg", in: tree.root)
        #expect(result.status == 0, "\(result.stderr)")
        let info = try CommandRunner.run(["info", "--json", tree.path("out.jpg")])
        let object = try #require(try JSONSerialization.jsonObject(with: info.stdout) as? [String: Any])
        #expect(object["format"] as? String == "jpeg")
        #expect(object["width"] as? Int == 256)
        let failing = try CommandRunner.shell("'\(script)' < /dev/null > out2.jpg", in: tree.root)
        #expect(failing.status == 1, "\(failing.stderr)")
        #expect(failing.stderr.contains("gigascale failed with status 1"))
    }

    /// With only a stand-in `convert` on PATH, the script says ImageMagick is missing instead of
    /// piping into a program that reads nothing.
    @Test func pipeWithoutImageMagickSaysSo() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.write("bin/convert", "#!/bin/sh\necho 'convert: ImageMagick is not installed here' >&2\n")
        try tree.write("bin/magick", "#!/bin/sh\nexit 1\n")
        let script = CommandRunner.sample("pipe-imagemagick.sh")
        let result = try CommandRunner.shell(
            "chmod +x bin/*; PATH=\"$PWD/bin:$PATH\" IMAGEMAGICK_CONVERT=bin/convert '\(script)' --scale 2 < '\(CommandRunner.sample("face-128.png"))' > out.jpg",
            in: tree.root)
        if Self.hasImageMagick {
            // A real ImageMagick further down the candidate list is found past the stand-in.
            #expect(result.status == 0, "\(result.stderr)")
        } else {
            #expect(result.status == 127, "\(result.stderr)")
            #expect(result.stderr.contains("ImageMagick not found"), "\(result.stderr)")
        }
    }

    /// The Slurm script, run once per array task with the variables Slurm would set, does every
    /// file exactly once across the tasks.
    @Test func slurmArrayTasksShareTheFolder() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        for i in 0..<9 { try tree.add("in/\(i < 4 ? "a/" : "")p\(i).png", sample: "face-128.png") }
        let script = CommandRunner.sample("slurm-array.sh")
        var done: [String] = []
        for task in 3...6 {
            let environment = ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_MIN": "3", "SLURM_ARRAY_TASK_COUNT": "4",
                               "SLURM_CPUS_PER_TASK": "1"]
            let result = try CommandRunner.shell("bash '\(script)' in out --scale 1", environment: environment, in: tree.root)
            #expect(result.status == 0, "\(result.stderr)")
            let log = try String(contentsOfFile: tree.path("out/.gigascale-\(task).jsonl"), encoding: .utf8)
            done += JSONRecords.files(JSONRecords.parse(log), status: "done")
        }
        #expect(done.count == 9)
        #expect(Set(done).count == 9)
        #expect(tree.files(under: "out").filter { $0.hasSuffix(".png") }.count == 9)
    }
}
