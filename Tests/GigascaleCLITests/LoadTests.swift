import Foundation
import Testing

/// The reliability issue's load test, run by `gigascale-bench load` against the built
/// `gigascale`: 500 small images (some broken) with 2 threads and 2 tile workers; every input
/// gets one output or one reported error, nothing stray is left, the inputs are untouched, and
/// RSS after 500 files is within 10% of RSS after 50.
@Suite(.serialized) struct LoadTests {
    /// The bench executable, built beside `gigascale`.
    static var bench: URL { CommandRunner.executable.deletingLastPathComponent().appendingPathComponent("gigascale-bench") }

    /// Runs `gigascale-bench arguments...`, killing it after `limit` seconds; returns its status and
    /// standard output.
    static func runBench(_ arguments: [String], limit: TimeInterval = 600) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = bench
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func fiveHundredImagesLoseNothingAndMemoryStaysFlat() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.bench.path), "build gigascale-bench first (swift build)")
        let result = try Self.runBench(["load", "--binary", CommandRunner.executable.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("| 500 | 486 | 14 | 0 | 0 | 0 | 0 |"), "\(result.output)")
        #expect(result.output.hasSuffix("PASS\n"), "\(result.output)")
    }

    /// The checks can fail: a "gigascale" that does nothing loses every input.
    @Test func aProgramThatWritesNothingFails() throws {
        let work = try CommandRunner.temporaryDirectory()  // a failed run keeps its folder
        defer { try? FileManager.default.removeItem(at: work) }
        let result = try Self.runBench(["load", "--count", "20", "--sample-at", "5", "--binary", "/bin/true",
                                        "--directory", work.path])
        #expect(result.status == 1)
        #expect(result.output.contains("| 20 | 0 | 0 | 20 | 0 | 0 | 0 |"), "\(result.output)")
        #expect(result.output.contains("no record (neither output nor error)"))
        #expect(result.output.contains("missed a memory sample"))
    }
}
