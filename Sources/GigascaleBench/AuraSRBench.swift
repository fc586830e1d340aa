import ArgumentParser
import Foundation
import GigaEngine
import GigaImage
import GigaModels
import Gigascale

/// `gigascale-bench aurasr`: one AuraSR tile in Gigascale against fal's `aura-sr` in PyTorch on
/// the same weights file, alternating the two in one invocation.
struct AuraSRBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aurasr",
        abstract: "Time one AuraSR tile in Gigascale against fal's aura-sr in PyTorch, alternating A B A B.",
        discussion: """
            The tile is a centred square of the photo at the file's input size (64 px for fal's \
            config). Gigascale: AuraSRModel.upscaleTile at each --precisions with --threads oneDNN \
            threads, seed 0's style latent, zero input noise. PyTorch: Training/bench/bench_aurasr.py \
            in --python: aura_sr.UnetUpsampler, eager, inference_mode, torch.set_num_threads(--threads), \
            the same latent and zero noise, bf16 as CPU autocast; it times the forward call itself. \
            Per precision: one warm-up run each (outputs compared: max abs difference printed), then \
            --rounds rounds, each Gigascale then PyTorch. Printed: median seconds of each side and the \
            median per-round ratio PyTorch / Gigascale (above 1: Gigascale is faster), in wall and \
            process CPU time. --profile instead prints where Gigascale's tile goes, by stage and by \
            kind of oneDNN call. A random-init file of fal's architecture: \
            `cd Training && .venv/bin/python -m eval.check_aurasr DIR --random`.
            """
    )

    @Option(help: ArgumentHelp("fal's model.safetensors (config.json beside it).", valueName: "path"))
    var model: String

    @Option(help: ArgumentHelp("The photo.", valueName: "path"))
    var image: String = BenchInputs.defaultPhoto

    @Option(help: "Timed rounds per precision (after one warm-up run).")
    var rounds: Int = 3

    @Option(help: "Threads, for each side (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Precisions, comma-separated (default: fp32, and bf16 where the CPU has it).", valueName: "p,p"))
    var precisions: String?

    @Option(help: ArgumentHelp("A Python with torch and aura-sr.", valueName: "path"))
    var python: String = "Training/.venv/bin/python"

    @Flag(help: "Instead of the race: one profiled Gigascale tile per precision, by stage and by kind of oneDNN call.")
    var profile = false

    func validate() throws {
        guard rounds >= 1, threads >= 1 else { throw ValidationError("--rounds and --threads must be at least 1") }
    }

    func run() async throws {
        let weights = BenchInputs.checkoutPath(model)
        let chosen: [Precision] = try BenchInputs.precisions(precisions)
        progressLine("loading \(weights)…")
        let model = try AuraSRModel(weightsPath: weights)
        let side = model.network.config.inputImageSize
        let photo = try ImageReader.read(path: BenchInputs.checkoutPath(image)).expandedToRGB()
        let chw = BenchInputs.square(photo, side: side).planes.flatMap { $0 }
        let tile = Tensor(nchw: chw, shape: [1, 3, side, side]), noise = Tensor(zeros: [1, 3, side, side])
        if profile { return try printProfile(model, tile: tile, precisions: chosen) }

        let server = try AuraSRBaselineServer.start(python: BenchInputs.checkoutPath(python))
        defer { server.close() }
        progressLine("PyTorch side loading the same file…")
        let greeting = try server.send(["cmd": "load", "weights": weights, "threads": threads])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-bench-aurasr-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputPath = directory.appendingPathComponent("tile.f32").path, outputPath = directory.appendingPathComponent("torch.f32").path
        try chw.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: inputPath)) }

        var rows: [String] = []
        for precision in chosen {
            let context = try ComputeContext(precision: precision, threads: threads)
            try model.prepare(prompt: nil, seed: 0, context: context)
            progressLine("\(precision.rawValue): warm-up and output check…")
            let ours = try model.upscaleTile(tile, noise: noise, context: context).nchwValues()
            _ = try server.send(["cmd": "run", "input": inputPath, "size": side, "precision": precision.rawValue, "output": outputPath])
            let difference = BenchInputs.maxAbsDifference(ours, try BenchInputs.floats(atPath: outputPath))
            var gigascale: [Double] = [], torch: [Double] = [], gigascaleCPU: [Double] = [], torchCPU: [Double] = []
            for round in 1...rounds {
                progressLine("\(precision.rawValue): round \(round)/\(rounds)…")
                let run = try measuredRun { _ = try model.upscaleTile(tile, noise: noise, context: context) }
                gigascale.append(run.wall)
                gigascaleCPU.append(run.cpu)
                let reply = try server.send(["cmd": "run", "input": inputPath, "size": side, "precision": precision.rawValue])
                guard let seconds = reply["seconds"] as? Double, let cpu = reply["cpu_seconds"] as? Double else {
                    throw BenchError("PyTorch side: no seconds in \(reply)")
                }
                torch.append(seconds)
                torchCPU.append(cpu)
            }
            func median(_ values: [Double]) -> Double { Summary(values)!.median }
            rows.append(String(format: "| %@ | %.2f | %.2f | %.2f× | %.2f | %.2f | %.2f× | %.1e |", precision.rawValue as NSString,
                               median(gigascale), median(torch), median(zip(torch, gigascale).map { $0 / $1 }),
                               median(gigascaleCPU), median(torchCPU), median(zip(torchCPU, gigascaleCPU).map { $0 / $1 }), difference))
        }
        print("""
            \(model): one \(side)² tile, \(threads) thread(s) each side, \(rounds) alternating rounds after a warm-up; \
            Gigascale oneDNN \(ComputeContext.oneDNNVersion) on \(ComputeContext.instructionSet), \
            PyTorch \(greeting["torch"] as? String ?? "?") eager

            | precision | Gigascale wall s | PyTorch wall s | PyTorch / Gigascale | Gigascale CPU s | PyTorch CPU s | PyTorch / Gigascale (CPU) | max abs difference |
            |---|---|---|---|---|---|---|---|
            """)
        rows.forEach { print($0) }
    }

    /// Process CPU seconds of one tile (after a warm-up) by stage and by kind of oneDNN call.
    private func printProfile(_ model: AuraSRModel, tile: Tensor, precisions: [Precision]) throws {
        let noise = Tensor(zeros: tile.shape)
        for precision in precisions {
            let context = try ComputeContext(precision: precision, threads: threads)
            try model.prepare(prompt: nil, seed: 0, context: context)
            _ = try model.upscaleTile(tile, noise: noise, context: context)
            let profiler = LayerProfiler(clock: .processCPU)
            context.profiler = profiler
            let start = profiler.now()
            _ = try model.upscaleTile(tile, noise: noise, context: context)
            let total = profiler.now() - start
            context.profiler = nil
            let inOneDNN = profiler.layers.reduce(0) { $0 + $1.seconds }, flops = profiler.layers.reduce(0) { $0 + $1.flops }
            print(String(format: "%@: %.2f CPU s per tile, %.2f s in oneDNN (%.0f GFLOP, %.0f GFLOP/CPU-s), glue %.1f%%",
                         precision.rawValue as NSString, total, inOneDNN, flops / 1e9, flops / 1e9 / inOneDNN,
                         100 * (total - inOneDNN) / total))
            var byKind: [String: (seconds: Double, calls: Int)] = [:]
            for layer in profiler.layers {
                let kind = layer.kind.split(separator: " ").first.map(String.init) ?? layer.kind
                byKind[kind, default: (0, 0)].seconds += layer.seconds
                byKind[kind, default: (0, 0)].calls += layer.calls
            }
            for (kind, entry) in byKind.sorted(by: { $0.value.seconds > $1.value.seconds }).prefix(8) {
                print(String(format: "  %-24@ %7.3f s  %5.1f%%  %d calls", kind as NSString, entry.seconds, 100 * entry.seconds / total, entry.calls))
            }
            for stage in profiler.stages.sorted(by: { $0.seconds > $1.seconds }).prefix(12) {
                let glue = stage.seconds - (profiler.primitiveSecondsByStage[stage.name] ?? 0)
                print(String(format: "  stage %-18@ %7.3f s  %5.1f%%  glue %.3f s", stage.name as NSString, stage.seconds,
                             100 * stage.seconds / total, glue))
            }
        }
    }
}
