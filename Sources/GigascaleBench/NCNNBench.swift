import ArgumentParser
import Foundation
import GigaEngine
import GigaImage
import GigaModels
import Gigascale

/// `gigascale-bench ncnn`: Gigascale's ncnn interpreter against PyPI ncnn on the same model and
/// tiles, alternating the two in one invocation.
struct NCNNBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ncnn",
        abstract: "Time Gigascale's ncnn interpreter against PyPI ncnn on the same .param/.bin and tiles, alternating A B A B.",
        discussion: """
            Each --sizes side is a centred square of the photo (one tile, RGB in [0, 1]). \
            Gigascale: NCNNNet.run at --precision with --threads oneDNN threads. ncnn: \
            Training/bench/bench_ncnn.py in --python, CPU, its own defaults (Winograd on, its fp16 and \
            bf16 options as it chooses), num_threads = --threads; it times ex.input + ex.extract \
            itself, so no pipe traffic is counted. Per size: one warm-up run each (their outputs \
            are compared: max abs difference printed), then --rounds rounds, each Gigascale then \
            ncnn. Printed: median wall seconds of each, median process CPU seconds of each, and \
            the median per-round ratios ncnn / Gigascale (above 1: Gigascale is faster). On a \
            machine shared with other jobs, compare CPU time at --threads 1: wall time then \
            mostly measures the other jobs, and with more threads the CPU time of threads \
            spinning at barriers while another is descheduled.
            """
    )

    @Option(help: ArgumentHelp("The ncnn model's .param (its .bin beside it).", valueName: "path"))
    var model: String = "Models/realesrgan-x4plus.param"

    @Option(help: ArgumentHelp("The photo.", valueName: "path"))
    var image: String = BenchInputs.defaultPhoto

    @Option(help: ArgumentHelp("Tile sides, comma-separated.", valueName: "px,px"))
    var sizes: String = "64,256"

    @Option(help: "Timed rounds per size (after one warm-up run).")
    var rounds: Int = 5

    @Option(help: "Threads, for each side (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Gigascale's precision: fp32, bf16 or auto (the tool's measured choice for the first size's tiles).", valueName: "p"))
    var precision: String = "auto"

    @Option(help: ArgumentHelp("A Python with PyPI ncnn and numpy.", valueName: "path"))
    var python: String = "Training/.venv/bin/python"

    @Flag(help: "Instead of the race: one run per size with process CPU time per layer type (robust to other load on the machine).")
    var profile = false

    func validate() throws {
        guard rounds >= 1, threads >= 1 else { throw ValidationError("--rounds and --threads must be at least 1") }
        guard !parsedSizes.isEmpty else { throw ValidationError("--sizes must be positive whole numbers, comma-separated") }
        guard ["fp32", "bf16", "auto"].contains(precision) else { throw ValidationError("--precision must be fp32, bf16 or auto") }
    }

    private var parsedSizes: [Int] {
        let values = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        return values.count == sizes.split(separator: ",").count && values.allSatisfy { $0 > 0 } ? values : []
    }

    func run() async throws {
        let paramPath = BenchInputs.checkoutPath(model)
        let model = try NCNNModel(paramPath: paramPath)
        let net = model.net
        let requested = ComputePrecision(rawValue: precision)!
        let choice = try PrecisionChooser().choose(requested, for: model, tileSize: parsedSizes[0], threads: threads)
        let chosen = Precision(rawValue: choice.precision.rawValue)!
        let context = try ComputeContext(precision: chosen, threads: threads)
        let photo = try ImageReader.read(path: BenchInputs.checkoutPath(image)).expandedToRGB()
        if profile { return try printProfile(net: net, photo: photo, context: context) }
        let server = try NCNNBaselineServer.start(python: BenchInputs.checkoutPath(python))
        defer { server.close() }
        let greeting = try server.send(["cmd": "load", "param": paramPath, "bin": NCNNNet.binPath(forParam: paramPath), "threads": threads])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-bench-ncnn-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var rows: [String] = []
        for side in parsedSizes {
            let tile = BenchInputs.square(photo, side: side)
            let chw = tile.planes.flatMap { $0 }
            let inputPath = directory.appendingPathComponent("tile.f32").path, outputPath = directory.appendingPathComponent("ncnn.f32").path
            try chw.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: inputPath)) }
            let tensor = Tensor(nchw: chw, shape: [1, 3, side, side])
            progressLine("\(side)²: warm-up and output check…")
            let ours = try net.run(tensor, context: context).nchwValues()
            _ = try server.send(["cmd": "run", "input": inputPath, "height": side, "width": side, "output": outputPath])
            let difference = BenchInputs.maxAbsDifference(ours, try BenchInputs.floats(atPath: outputPath))
            var gigascale: [Double] = [], ncnn: [Double] = [], gigascaleCPU: [Double] = [], ncnnCPU: [Double] = []
            for round in 1...rounds {
                progressLine("\(side)²: round \(round)/\(rounds)…")
                let run = try measuredRun { _ = try net.run(tensor, context: context) }
                gigascale.append(run.wall)
                gigascaleCPU.append(run.cpu)
                let reply = try server.send(["cmd": "run", "input": inputPath, "height": side, "width": side])
                guard let seconds = reply["seconds"] as? Double, let cpu = reply["cpu_seconds"] as? Double else {
                    throw BenchError("ncnn side: no seconds in \(reply)")
                }
                ncnn.append(seconds)
                ncnnCPU.append(cpu)
            }
            func median(_ values: [Double]) -> Double { Summary(values)!.median }
            rows.append(String(format: "| %d² | %.3f | %.3f | %.2f× | %.3f | %.3f | %.2f× | %.1e |", side,
                               median(gigascale), median(ncnn), median(zip(ncnn, gigascale).map { $0 / $1 }),
                               median(gigascaleCPU), median(ncnnCPU), median(zip(ncnnCPU, gigascaleCPU).map { $0 / $1 }), difference))
        }
        print("""
            model \(model), photo \(image), \(threads) thread(s), \(rounds) rounds, Gigascale \(chosen.rawValue) \
            (oneDNN \(ComputeContext.oneDNNVersion), \(ComputeContext.instructionSet)), ncnn \(greeting["ncnn"] as? String ?? "?") defaults

            | tile | Gigascale wall s | ncnn wall s | ncnn / Gigascale | Gigascale CPU s | ncnn CPU s | ncnn / Gigascale (CPU) | max abs difference |
            |---|---|---|---|---|---|---|---|
            """)
        rows.forEach { print($0) }
    }

    /// CPU seconds per layer type of one run (after a warm-up), and the convolutions' GFLOP/s.
    private func printProfile(net: NCNNNet, photo: Image, context: ComputeContext) throws {
        for side in parsedSizes {
            let tile = BenchInputs.square(photo, side: side)
            let tensor = Tensor(nchw: tile.planes.flatMap { $0 }, shape: [1, 3, side, side])
            _ = try net.run(tensor, context: context)
            let profiler = LayerProfiler(clock: .processCPU)
            context.profiler = profiler
            let start = profiler.now()
            _ = try net.run(tensor, context: context)
            let total = profiler.now() - start
            context.profiler = nil
            let flops = profiler.layers.reduce(0) { $0 + $1.flops }, convSeconds = profiler.layers.reduce(0) { $0 + $1.seconds }
            print(String(format: "%d²: %.3f CPU s in all; oneDNN convolutions %.3f s (%.1f GFLOP, %.1f GFLOP/CPU-s)",
                         side, total, convSeconds, flops / 1e9, flops / 1e9 / convSeconds))
            var byKind: [String: (seconds: Double, flops: Double, calls: Int)] = [:]
            for layer in profiler.layers {
                let old = byKind[layer.kind] ?? (0, 0, 0)
                byKind[layer.kind] = (old.seconds + layer.seconds, old.flops + layer.flops, old.calls + layer.calls)
            }
            for (kind, entry) in byKind.sorted(by: { $0.value.seconds > $1.value.seconds }).prefix(8) {
                print(String(format: "  %-32@ %8.3f s  %6.1f GFLOP/CPU-s  %d calls", kind as NSString, entry.seconds, entry.flops / 1e9 / entry.seconds, entry.calls))
            }
            for stage in profiler.stages.sorted(by: { $0.seconds > $1.seconds }) {
                print(String(format: "  %-14@ %8.3f s  %5.1f%%  %d calls", stage.name as NSString, stage.seconds, 100 * stage.seconds / total, stage.calls))
            }
        }
    }
}
