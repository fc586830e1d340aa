import ArgumentParser
import Foundation

/// `gigascale-bench load`: the reliability issue's load test. Runs the real `gigascale` over a
/// folder of small images, some broken, and checks that every input gets exactly one output or
/// one reported error, that nothing else is left in the output folder, that the inputs are
/// byte-identical afterwards, and that memory after the last file is within a tolerance of
/// memory after the first few.
struct LoadBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Run gigascale over a batch of small images and check that nothing is lost and memory stays flat.",
        discussion: """
            The inputs (PNG, JPEG and TIFF; 8 and 16 bits; gray, RGB and alpha; one in fifty cut \
            short, plus an empty file and one of random bytes per 250) are made from a fixed seed \
            by the project's encoders. Memory is read from /proc/PID/status as soon as the \
            --json-file log shows --sample-at and --count finished files (--tail more images of the \
            same kind, in a second folder, keep the process busy after the last counted file, so \
            that both samples are taken in the same state: a small file just started). Arguments after \
            '--' go to gigascale. Exits 1 when a check fails. Linux only (/proc).
            """
    )

    @Option(help: "Images in the batch.")
    var count = 500

    @Option(help: "Files done at the first memory sample, the baseline.")
    var sampleAt = 50

    @Option(help: "Images after the batch, not counted, that keep gigascale busy while the last sample is read.")
    var tail = 5

    @Option(help: "Smallest side of a generated image, in pixels.")
    var minSide = 12

    @Option(help: "Largest side of a generated image, in pixels.")
    var maxSide = 32

    @Option(help: "The gigascale executable (default: $GIGASCALE_BIN, else the one beside this program).")
    var binary: String?

    @Option(help: "Model (gigascale --model).")
    var model = "lanczos"

    @Option(help: "gigascale --threads.")
    var threads = 2

    @Option(help: "gigascale --tile-workers: tiles run at once.")
    var tileWorkers = 2

    @Option(help: "gigascale --tile: small, so that every image has several tiles for the workers.")
    var tile = 12

    @Option(help: "gigascale --overlap.")
    var overlap = 2

    @Option(help: "Allowed change of RSS between the baseline and the last file, as a fraction.")
    var tolerance = 0.10

    @Option(help: "Folder to work in, kept afterwards (default: a temporary one, removed when all checks pass).")
    var directory: String?

    @Argument(parsing: .postTerminator, help: "More gigascale arguments.")
    var extra: [String] = []

    func validate() throws {
        guard count >= 1, sampleAt >= 1, sampleAt <= count else { throw ValidationError("need 1 <= --sample-at <= --count") }
        guard tail >= 1 else { throw ValidationError("--tail must be at least 1") }
        guard minSide >= 1, maxSide >= minSide else { throw ValidationError("need 1 <= --min-side <= --max-side") }
    }

    func run() throws {
        let work = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-load-\(UUID().uuidString)").path
        let inputs = work + "/inputs", tailFolder = work + "/tail", outputs = work + "/outputs"
        let records = work + "/records.jsonl", stderrLog = work + "/stderr.log"
        for folder in [inputs, tailFolder, outputs] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let corpus = try LoadCorpus.make(count: count, in: inputs, sides: minSide...maxSide)
        let busy = try LoadCorpus.make(count: tail, in: tailFolder, sides: minSide...maxSide, prefix: "zz-tail", seed: 77)
        for file in [records, stderrLog] where !FileManager.default.createFile(atPath: file, contents: nil) {
            throw LoadTestError("cannot create \(file)")
        }

        let executable = try BenchInputs.gigascaleExecutable(binary)
        let arguments = [inputs, tailFolder, "-o", outputs, "--model", model, "--threads", "\(threads)",
                         "--tile-workers", "\(tileWorkers)", "--tile", "\(tile)", "--overlap", "\(overlap)",
                         "--json-file", records] + extra
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: stderrLog)
        let step = max(count / 10, 1)
        let marks = Array(Set([sampleAt, count] + Array(stride(from: step, to: count, by: step))))
        let started = Date()
        try process.run()
        let watcher = try RecordWatcher(pid: process.processIdentifier, logPath: records, marks: marks)
        watcher.start()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        let samples = watcher.finish()
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)

        let run = LoadRun(corpus: corpus, busy: busy, outputFolder: outputs, inputFolder: inputs,
                          records: (try? String(contentsOfFile: records, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: stderrLog, encoding: .utf8)) ?? "",
                          status: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal,
                          nativeSizeExpected: extra.isEmpty)
        var verdict = run.check()
        let baseline = samples[sampleAt], last = samples[count]
        var change: Double?
        if let baseline, let last {
            change = Double(last.rssKiB) / Double(baseline.rssKiB) - 1
            if abs(change!) > tolerance {
                verdict.failures.append(String(format: "RSS after %d files is %+.1f%% of after %d (limit ±%.0f%%)",
                                               count, change! * 100, sampleAt, tolerance * 100))
            }
        } else {
            verdict.failures.append("missed a memory sample (after \(sampleAt): \(baseline == nil ? "missed" : "taken"), after \(count): \(last == nil ? "missed" : "taken")); the process ended before it could be read")
        }

        print("gigascale load test: \(count) inputs (\(corpus.count(of: "png")) PNG, \(corpus.count(of: "jpg")) JPEG, \(corpus.count(of: "tif")) TIFF; \(corpus.brokenCount) broken), sides \(minSide)-\(maxSide) px")
        print("  \(executable) " + arguments.dropFirst(4).joined(separator: " "))
        print(String(format: "  %.1f s, exit status %d%@", seconds, process.terminationStatus, run.bySignal ? " (signal)" : ""))
        print("")
        print("| inputs | outputs | reported errors | lost | unexpected results | stray files | inputs changed |")
        print("|---|---|---|---|---|---|---|")
        print("| \(count) | \(verdict.outputs) | \(verdict.errors) | \(verdict.lost) | \(verdict.unexpected) | \(verdict.stray) | \(verdict.changedInputs) |")
        print("")
        print("| files done | RSS | peak RSS so far |")
        print("|---|---|---|")
        for mark in marks.sorted() {
            guard let sample = samples[mark] else { print("| \(mark) | missed | |"); continue }
            print("| \(mark) | \(Self.mebibytes(sample.rssKiB)) | \(Self.mebibytes(sample.peakKiB)) |")
        }
        print("")
        if let change {
            print(String(format: "RSS after %d files is %+.1f%% of after %d (limit ±%.0f%%); peak RSS of the run %@",
                         count, change * 100, sampleAt, tolerance * 100, Self.mebibytes(Int(usage.ru_maxrss))))
        }
        if verdict.failures.isEmpty {
            print("PASS")
            if directory == nil { try? FileManager.default.removeItem(atPath: work) }
        } else {
            print("FAIL (work folder kept: \(work))")
            for failure in verdict.failures.prefix(40) { print("  - " + failure) }
            if verdict.failures.count > 40 { print("  ... and \(verdict.failures.count - 40) more") }
            throw ExitCode.failure
        }
    }

    private static func mebibytes(_ kibibytes: Int) -> String { String(format: "%.1f MiB", Double(kibibytes) / 1024) }
}
