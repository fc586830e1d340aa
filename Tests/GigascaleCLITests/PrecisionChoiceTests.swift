import Foundation
import Testing

/// `--precision auto` on the command line: the choice, and whether it was measured or read from
/// the cache, shows in `-v` and in the JSON record; a cache that cannot be written changes nothing
/// else.
@Suite struct PrecisionChoiceTests {
    private static let model = CommandRunner.fixture("models/gigagan-tiny.safetensors")
    /// What `auto` does on this CPU the first time: measure, or fp32 without bf16 instructions.
    private static let hasBF16: Bool = {
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return flags.contains(" avx512_bf16") || flags.contains(" amx_bf16")
    }()

    /// Runs the tiny generator on a one-tile image with `-v` and a JSON log; returns the -v
    /// lines and the record.
    private func run(_ extra: [String], cache: String) throws -> (lines: String, record: [String: Any]) {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("log.jsonl").path
        let result = try CommandRunner.run([CommandRunner.fixture("png/rgb8.png"), "-o", directory.appendingPathComponent("out.png").path,
                                            "--model", Self.model, "--tile", "32", "-v", "--json-file", log] + extra,
                                           environment: ["XDG_CACHE_HOME": cache])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").first { $0.contains("\"status\"") }
        let record = try JSONSerialization.jsonObject(with: Data((line ?? "{}").utf8)) as? [String: Any] ?? [:]
        return (result.stderr, record)
    }

    @Test func theChoiceAndHowItWasMadeAreReported() throws {
        let cache = try CommandRunner.temporaryDirectory().path
        let first = try run([], cache: cache)
        let second = try run([], cache: cache)
        if Self.hasBF16 {
            #expect(first.record["precisionChoice"] as? String == "measured")
            #expect(first.lines.contains("precision: ") && first.lines.contains("auto, measured"))
            #expect(first.lines.contains("saved in \(cache)/gigascale/precision-"))
            #expect(second.record["precisionChoice"] as? String == "cached")
            #expect(second.lines.contains("auto, cached"))
            #expect(first.record["precision"] as? String == second.record["precision"] as? String)
        } else {
            #expect(first.record["precisionChoice"] as? String == "no-bf16" && first.record["precision"] as? String == "fp32")
        }
        let forced = try run(["--precision", "fp32"], cache: cache)
        #expect(forced.record["precision"] as? String == "fp32" && forced.record["precisionChoice"] as? String == "forced")
        #expect(forced.lines.contains("precision: fp32 (as asked)"))
    }

    @Test func anUnwritableCacheDoesNotStopTheRun() throws {
        let file = try CommandRunner.temporaryDirectory().appendingPathComponent("not-a-folder").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let result = try run([], cache: file)
        #expect(result.record["status"] as? String == "done")
        if Self.hasBF16 { #expect(result.lines.contains("not cached: \(file)/gigascale")) }
    }
}
