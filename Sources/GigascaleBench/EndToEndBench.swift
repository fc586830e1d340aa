import ArgumentParser
import Foundation
import GigaEngine
import GigaImage

/// `gigascale-bench end-to-end`: the real `gigascale` program, decode to 8x PNG, timed from
/// outside with its own peak memory.
struct EndToEndBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end-to-end",
        abstract: "Time the gigascale program end to end (decode, tiles, PNG encode) on square photos, in fp32 and bf16.",
        discussion: """
            The inputs are made at start in a temporary folder from a real photo (default \
            Samples/astronaut.png): its centred square, area-averaged down to each size (Lanczos-3 \
            up when the size is larger than the photo), written as PNG. Each case runs the \
            gigascale executable built beside this one (or --gigascale) as a child process with \
            the model it picks by default (or --model), writing an 8x PNG; the median of --repeat \
            runs is printed with output megapixels per second and the child's peak RSS \
            (wait4's ru_maxrss; the largest of the runs). Repeats alternate the precisions. \
            1024² → 8192² takes minutes per run on 2 cores, hence not in the default sizes.
            """
    )

    @Option(help: ArgumentHelp("Input sides, comma-separated.", valueName: "n,n,..."))
    var sizes: String = "128,512"

    @Option(name: .customLong("repeat"), help: "Runs per case; the median is reported.")
    var repeats: Int = 3

    @Option(help: ArgumentHelp("Precisions, comma-separated: auto (gigascale's default: the faster on this CPU), fp32, bf16 (bf16 is skipped with a note on a CPU without it).", valueName: "p,p"))
    var precisions: String = "fp32,bf16"

    @Option(help: ArgumentHelp("The gigascale executable (default: $GIGASCALE_BIN, else the one beside this program).", valueName: "path"))
    var gigascale: String?

    @Option(help: ArgumentHelp("Passed to gigascale --model (default: let gigascale choose).", valueName: "name|path"))
    var model: String?

    @Option(help: ArgumentHelp("Passed to gigascale --threads (default: gigascale's, all cores).", valueName: "n"))
    var threads: Int?

    @Option(help: ArgumentHelp("The photo the inputs are made from.", valueName: "path"))
    var photo: String = BenchInputs.defaultPhoto

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard parsedSizes != nil else { throw ValidationError("--sizes must be positive integers separated by commas, e.g. 128,512,1024") }
        guard parsedPrecisions != nil else { throw ValidationError("--precisions must be auto, fp32 or bf16, separated by commas") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    private var parsedSizes: [Int]? {
        let values = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return values.compactMap { $0 }
    }

    private var parsedPrecisions: [RunPrecision]? {
        let values = precisions.split(separator: ",").map { RunPrecision(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { return nil }
        return values.compactMap { $0 }
    }

    func run() throws {
        let executable = try BenchInputs.gigascaleExecutable(gigascale)
        var precisions = parsedPrecisions ?? [.fp32]
        var notes: [String] = []
        if precisions.contains(.bf16) && !ComputeContext.supportsBF16 {
            precisions.removeAll { $0 == .bf16 }
            notes.append("bf16 skipped: this CPU (\(ComputeContext.instructionSet)) has no bf16 instructions")
        }
        let photoPath = BenchInputs.checkoutPath(photo)
        let source = try ImageReader.read(path: photoPath)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-bench-e2e-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var rows: [EndToEndRow] = []
        for side in parsedSizes ?? [] {
            let input = directory.appendingPathComponent("input-\(side).png").path
            try ImageWriter.write(BenchInputs.square(source, side: side), to: input, settings: .defaults(for: .png))
            var runs = [RunPrecision: [EndToEndRun]]()
            for round in 1...repeats {
                for precision in precisions {
                    if !json { FileHandle.standardError.write(Data("\(side)² \(precision.rawValue) run \(round)/\(repeats)…\n".utf8)) }
                    runs[precision, default: []].append(try runOnce(executable, input: input, precision: precision, directory: directory))
                }
            }
            for precision in precisions { rows.append(EndToEndRow(side: side, precision: precision, runs: runs[precision] ?? [])) }
        }
        let header = EndToEndHeader(executable: executable, photo: photo, repeats: repeats, threads: threads,
                                    isa: ComputeContext.instructionSet, notes: notes)
        print(json ? EndToEndRow.json(rows, header: header) : EndToEndRow.table(rows, header: header))
    }

    /// One child run: gigascale INPUT -o OUT.png --precision P --json, its JSON record read back
    /// from standard error.
    private func runOnce(_ executable: String, input: String, precision: RunPrecision, directory: URL) throws -> EndToEndRun {
        let output = directory.appendingPathComponent("output.png").path
        let log = directory.appendingPathComponent("stderr.txt").path
        try? FileManager.default.removeItem(atPath: output)
        var arguments = [input, "-o", output, "--precision", precision.rawValue, "--json"]
        if let model { arguments += ["--model", model] }
        if let threads { arguments += ["--threads", String(threads)] }
        let child = try ChildProcess.run(executable, arguments: arguments, stderrPath: log)
        let stderr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let record = stderr.split(separator: "\n").reversed().lazy.compactMap { line -> [String: Any]? in
            guard line.hasPrefix("{") else { return nil }
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["status"] == nil ? nil : object  // the per-file record, not the summary
        }.first
        guard child.succeeded, record?["status"] as? String == "done",
              let width = record?["outputWidth"] as? Int, let height = record?["outputHeight"] as? Int else {
            let reason = (record?["error"] as? String) ?? stderr.split(separator: "\n").last.map(String.init) ?? "\(child.termination)"
            throw BenchError("\(executable) failed on \(input) (\(precision.rawValue)): \(reason)")
        }
        return EndToEndRun(seconds: child.seconds, peakRSSBytes: child.peakRSSBytes, outputWidth: width, outputHeight: height,
                           model: record?["model"] as? String ?? "?", precision: record?["precision"] as? String ?? "?")
    }
}
