import Foundation
import Testing

/// What the options alone decide is refused before any file is read or written: status 2, one
/// line naming the problem, no output folder made.
@Suite struct UsageUpFrontTests {
    @Test(arguments: [
        (["-m", "gigagan-8x-s-psnr"], ["--scale", "16"], "a 16x enlargement is more than the model's native 8x"),
        (["-m", "gigagan-8x-s-psnr"], ["--scale", "9"], "a 9x enlargement is more than the model's native 8x"),
        (["-m", "gigagan-8x-s-psnr"], ["--overlap", "40"], "overlap 40 must be between 0 and 32, half the 64-pixel tile"),
        (["-m", "lanczos"], ["--tile", "8"], "overlap 8 must be between 0 and 4, half the 8-pixel tile"),
        (["-m", "lanczos"], ["--scale", "17"], "--scale must be above 0 and at most 16"),
    ])
    func optionsTheModelCannotTakeAreUsageErrors(model: [String], options: [String], message: String) throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("out/x.png")] + model + options)
        #expect(result.status == 2, "\(options): \(result.stderr)")
        #expect(result.stderr.contains("gigascale: error: \(message)"), "\(result.stderr)")
        #expect(!result.stderr.contains(CommandRunner.sample("face-128.png")), "blames the input: \(result.stderr)")
        #expect(tree.files(under: ".").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: tree.path("out")))
    }

    /// A width beyond what the model makes of this input can only be judged from the input; when
    /// every input fails that way the options are at fault (status 2), and no folder is made.
    @Test func aWidthNoInputCanReachIsAUsageError() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", tree.path("out/x.png"), "--width", "5000", "-m", "gigagan-8x-s-psnr"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("a width of 5000 pixels is more than the model's native 8x (1024x1024 for this 128x128 image)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.path("out")))

        // With another input that it suits, the run does that one and reports the other (status 1).
        try tree.add("in/big.png", sample: "chelsea.png")
        try tree.add("in/small.png", sample: "face-128.png")
        let mixed = try CommandRunner.run([tree.path("in/big.png"), tree.path("in/small.png"), "-o", tree.path("out/"), "--width", "2500", "-m", "bicubic"])
        #expect(mixed.status == 1, "\(mixed.stderr)")
        #expect(tree.files(under: "out").count == 1)
    }

    /// Several inputs and `-o single.png`: refused, not made into a folder named single.png.
    @Test func severalInputsAndAnImageFileNameAreRefused() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("a.png", sample: "face-128.png")
        try tree.add("b.png", sample: "face-128.png")
        let result = try CommandRunner.run([tree.path("a.png"), tree.path("b.png"), "-o", tree.path("single.png"), "-m", "bicubic"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("several inputs need an output folder"), "\(result.stderr)")
        #expect(tree.files(under: ".") == ["a.png", "b.png"])

        // A name ending in "/" is a folder, made on first use, and the names have no "//".
        let folder = try CommandRunner.run([tree.path("a.png"), tree.path("b.png"), "-o", tree.path("sz") + "/", "-m", "bicubic", "-v"])
        #expect(folder.status == 0, "\(folder.stderr)")
        #expect(tree.files(under: "sz") == ["a-x8.png", "b-x8.png"])
        #expect(!folder.stderr.contains("//"), "\(folder.stderr)")
    }

    /// One file under two spellings, or also inside a folder given, is one input given twice.
    @Test func theSameFileTwiceIsAUsageErrorWhateverTheSpelling() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("same/a.png", sample: "face-128.png")
        let spellings = try CommandRunner.shell("gigascale same/a.png ./same/a.png -o out/ -m bicubic", in: tree.root)
        #expect(spellings.status == 2, "\(spellings.stderr)")
        #expect(spellings.stderr.contains("./same/a.png and same/a.png are the same file; give each input once"), "\(spellings.stderr)")
        let inFolder = try CommandRunner.shell("gigascale same same/a.png -o out/ -m bicubic", in: tree.root)
        #expect(inFolder.status == 2, "\(inFolder.stderr)")
        #expect(inFolder.stderr.contains("are the same file"), "\(inFolder.stderr)")
        #expect(tree.files(under: ".") == ["same/a.png"])
    }
}
