import Foundation
import Testing

@Suite struct ShardTests {
    /// N shards of one folder, run separately, do every file exactly once between them.
    @Test(arguments: [1, 3, 5])
    func shardsCoverEveryFileExactlyOnce(count: Int) throws {
        let tree = try TestTree()
        defer { tree.remove() }
        var expected: [String] = []
        for i in 0..<12 {
            let name = "in/\(i % 3 == 0 ? "sub/" : "")photo\(i).png"
            try tree.add(name, sample: "face-128.png")
            expected.append(tree.path(name))
        }
        var done: [String] = []
        for k in 1...count {
            let result = try CommandRunner.run([tree.path("in"), "-r", "-o", tree.path("out"), "--scale", "1",
                                                "--shard", "\(k)/\(count)", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let records = JSONRecords.parse(result.stderr)
            #expect(JSONRecords.files(records, status: "skipped").isEmpty)
            done += JSONRecords.files(records, status: "done")
        }
        #expect(done.sorted() == expected.sorted())
        #expect(tree.files(under: "out").count == expected.count)
    }

    /// `--shard auto` takes its share from Slurm's or Kubernetes' variables, and the share is
    /// the same as the explicit K/N.
    @Test func autoReadsSlurmAndKubernetesVariables() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        for i in 0..<8 { try tree.add("in/p\(i).png", sample: "face-128.png") }
        func doneFiles(_ arguments: [String], _ environment: [String: String]) throws -> [String] {
            let result = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--scale", "1", "--overwrite", "--json"] + arguments,
                                               environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            return JSONRecords.files(JSONRecords.parse(result.stderr), status: "done")
        }
        let explicit = try doneFiles(["--shard", "2/3"], [:])
        #expect(try doneFiles(["--shard", "auto"], ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "3"]) == explicit)
        #expect(try doneFiles(["--shard", "auto"], ["SLURM_ARRAY_TASK_ID": "6", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "3"]) == explicit)
        #expect(try doneFiles(["--shard", "auto"], ["JOB_COMPLETION_INDEX": "1", "GIGASCALE_SHARD_COUNT": "3"]) == explicit)

        let missing = try CommandRunner.run([tree.path("in"), "-o", tree.path("out"), "--shard", "auto"], environment: ["JOB_COMPLETION_INDEX": "1"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("GIGASCALE_SHARD_COUNT"))
    }

    @Test(arguments: ["0/3", "4/3", "1/0", "x/2", "3"])
    func refusesABadShard(spec: String) throws {
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", "/tmp", "--shard", spec])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--shard '\(spec)'"), "\(result.stderr)")
    }
}
