import Foundation
import Testing

@Suite struct PromptTests {
    /// The prompt each input got, from the run's JSON records.
    private func prompts(_ arguments: [String], tree: TestTree) throws -> [String: String] {
        let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--scale", "1", "--overwrite", "--json"] + arguments,
                                           in: tree.root)
        #expect(result.status == 0, "\(result.stderr)")
        var prompts: [String: String] = [:]
        for record in JSONRecords.parse(result.stderr) where record["status"] as? String == "done" {
            let name = URL(fileURLWithPath: record["input"] as? String ?? "").lastPathComponent
            prompts[name] = record["prompt"] as? String ?? "<none>"
        }
        return prompts
    }

    private func makeTree() throws -> TestTree {
        let tree = try TestTree()
        try tree.add("in/a.png", sample: "face-128.png")
        try tree.add("in/b.png", sample: "grass.png")
        try tree.add("in/c.jpg", sample: "rocket.jpg")
        try tree.write("in/a.txt", "a smiling woman\n")
        try tree.write("in/b.caption", "  blades of grass ")
        return tree
    }

    @Test func sidecarFilesArePromptsUnlessPromptIsGiven() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        #expect(try prompts([], tree: tree) == ["a.png": "a smiling woman", "b.png": "blades of grass", "c.jpg": "<none>"])
        #expect(try prompts(["--prompt", "a photo"], tree: tree) == ["a.png": "a photo", "b.png": "a photo", "c.jpg": "a photo"])
        #expect(try prompts(["--no-prompt"], tree: tree) == ["a.png": "<none>", "b.png": "<none>", "c.jpg": "<none>"])
    }

    /// Sidecars are prompts, not non-images to report.
    @Test func sidecarsAreNotReportedAsSkipped() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--scale", "1"])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("not an image"), "\(result.stderr)")
    }

    /// A prompt list (paths relative to the list's folder) beats sidecars; inputs it does not
    /// name fall back to their sidecar.
    @Test func promptFileGivesPerInputPrompts() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        try tree.write("lists/prompts.tsv", "# path\tprompt\n../in/c.jpg\ta red rocket\n\n../in/a.png\ta portrait\n")
        #expect(try prompts(["--prompt-file", tree.path("lists/prompts.tsv")], tree: tree)
                == ["a.png": "a portrait", "b.png": "blades of grass", "c.jpg": "a red rocket"])
    }

    @Test func aMalformedPromptFileIsAUsageError() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        try tree.write("bad.tsv", "in/a.png a portrait without a tab\n")
        let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--prompt-file", tree.path("bad.tsv")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.tsv:1: expected 'path<TAB>prompt'"))
        #expect(!FileManager.default.fileExists(atPath: tree.path("out/a-x8.png")))
        let both = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--prompt", "x", "--no-prompt"])
        #expect(both.status == 2)
    }
}
