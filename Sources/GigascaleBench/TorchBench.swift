import ArgumentParser
import Foundation
import GigaEngine
import GigaImage
import Gigascale

/// `gigascale-bench torch`: Gigascale against the PyTorch twin on the same weights file and tile
/// plan, alternating the two in one invocation.
struct TorchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "torch",
        abstract: "Time Gigascale's upscaler against PyTorch eager on the same weights and tile plan, alternating A B A B.",
        discussion: """
            The photo is decoded once and centre-cropped to --crop (default 256², 25 tiles; \
            --crop 512 with the default photo is the README's 512² → 4096² performance case). \
            Gigascale: Upscaler.upscale into an in-memory image with its default options \
            (tile plan, seed 0, empty prompt) at --threads, split among its default tile workers. \
            PyTorch: Training/bench/bench_torch_model.py (run with Training/.venv/bin/python) loads the \
            same safetensors file into the Training/gigagan twin and runs the identical plan: \
            eager, CPU, torch.inference_mode, torch.set_num_threads(--threads), batch 1 per \
            tile, the same position-keyed noise and latent, the same overlap blend; bf16 is CPU \
            autocast there. Each precision runs one warm-up round (not timed; its two outputs \
            are compared, PSNR printed, to show that the plan is the same) and then --rounds \
            rounds, each Gigascale then PyTorch; PyTorch times itself inside the server, so no \
            pipe traffic is counted. Printed: min/median/max seconds of each side and of the \
            per-round ratio PyTorch / Gigascale (above 1: Gigascale is faster). PyTorch runs in \
            its default NCHW memory format unless --torch-channels-last.
            """
    )

    @Option(help: ArgumentHelp("GigaGAN weights file.", valueName: "path"))
    var model: String = BenchInputs.defaultWeights

    @Option(help: ArgumentHelp("Text encoder folder.", valueName: "dir"))
    var textEncoder: String = "Models/text-encoder"

    @Option(help: ArgumentHelp("The photo.", valueName: "path"))
    var image: String = BenchInputs.defaultPhoto

    @Option(help: ArgumentHelp("Side of the centred square cut from the photo (0: the whole photo).", valueName: "px"))
    var crop: Int = 256

    @Option(help: "Timed rounds per precision (after one warm-up round).")
    var rounds: Int = 5

    @Option(help: "Threads in all, for each side (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Precisions, comma-separated: fp32, bf16 (bf16 is skipped with a note on a CPU without it).", valueName: "p,p"))
    var precisions: String = "fp32,bf16"

    @Flag(help: "Run PyTorch's tiles channels-last (NHWC, Gigascale's layout) instead of its default NCHW.")
    var torchChannelsLast = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard crop >= 0 else { throw ValidationError("--crop must be 0 (whole photo) or a side in pixels") }
        guard parsedPrecisions != nil else { throw ValidationError("--precisions must be fp32, bf16 or both, separated by a comma") }
    }

    private var parsedPrecisions: [Precision]? {
        let values = precisions.split(separator: ",").map { Precision(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 == .fp32 || $0 == .bf16 }) else { return nil }
        return values.compactMap { $0 }
    }

    func run() async throws {
        var precisions = parsedPrecisions ?? [.fp32]
        var notes: [String] = []
        if precisions.contains(.bf16) && !ComputeContext.supportsBF16 {
            precisions.removeAll { $0 == .bf16 }
            notes.append("bf16 skipped: this CPU (\(ComputeContext.instructionSet)) has no bf16 instructions")
        }
        let weights = BenchInputs.checkoutPath(model), encoder = BenchInputs.checkoutPath(textEncoder)
        let input = try loadInput()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-bench-torch-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rawInput = directory.appendingPathComponent("input.f32").path
        try RawPlanes.write(input, to: rawInput)

        progress("starting \(TorchModelServer.module.script) (\(threads) thread(s))…")
        let (torch, torchGreeting) = try TorchModelServer.start(weights: weights, textEncoder: encoder, threads: threads, channelsLast: torchChannelsLast)
        defer { torch.close() }

        var results: [TorchComparison] = []
        var loadedPlan: TilePlan?
        for precision in precisions {
            let options = UpscaleOptions(precision: ComputePrecision(rawValue: precision.rawValue)!, threads: threads)
            let upscaler = try BenchInputs.upscaler(weights: weights, textEncoder: encoder, options: options)
            let plan = TilePlan(upscaler: upscaler, image: input)
            if plan != loadedPlan {
                _ = try torch.send(["cmd": "load", "image": rawInput, "width": input.width, "height": input.height,
                                    "seed": options.seed, "plan": plan.json])
                loadedPlan = plan
            }
            var comparison = TorchComparison(precision: precision, plan: plan, tileWorkers: upscaler.tileWorkers)

            progress("\(precision.rawValue): warm-up round and output check…")
            let swiftOutput = try await upscaler.upscale(input)
            let torchPath = directory.appendingPathComponent("torch.f32").path
            _ = try torch.send(["cmd": "upscale", "precision": precision.rawValue, "output": torchPath])
            let torchOutput = try RawPlanes.read(torchPath, width: swiftOutput.width, height: swiftOutput.height)
            comparison.psnr = TilingDiagnostics.psnr(swiftOutput, torchOutput)
            try? FileManager.default.removeItem(atPath: torchPath)

            for round in 1...rounds {
                progress("\(precision.rawValue): round \(round)/\(rounds)…")
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try await upscaler.upscale(input)
                comparison.swiftSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                let reply = try torch.send(["cmd": "upscale", "precision": precision.rawValue])
                guard let seconds = reply["seconds"] as? Double else { throw BenchError("PyTorch side: no seconds in \(reply)") }
                comparison.torchSeconds.append(seconds)
            }
            results.append(comparison)
        }
        let header = TorchComparisonHeader(
            weights: model, photo: image, input: "\(input.width)x\(input.height)", threads: threads, rounds: rounds,
            isa: ComputeContext.instructionSet, oneDNN: ComputeContext.oneDNNVersion,
            torch: torchGreeting["torch"] as? String ?? "?", torchMemoryFormat: torchGreeting["memoryFormat"] as? String ?? "?",
            notes: notes)
        print(json ? TorchComparison.json(results, header: header) : TorchComparison.table(results, header: header))
    }

    /// The photo, cropped, as plain RGB (an alpha plane would add Gigascale-only work).
    private func loadInput() throws -> Image {
        var photo = try ImageReader.read(path: BenchInputs.checkoutPath(image)).expandedToRGB()
        photo = Image(width: photo.width, height: photo.height, planes: photo.planes, metadata: photo.metadata)
        guard crop > 0 else { return photo }
        guard crop <= min(photo.width, photo.height) else {
            throw BenchError("\(image): \(photo.width)x\(photo.height) is too small for a \(crop)² crop")
        }
        return BenchInputs.centreCrop(photo, side: crop)
    }

    private func progress(_ message: String) {
        if !json { progressLine(message) }
    }
}

/// Images as raw float32 planes (native byte order), the way the PyTorch server reads and writes them.
enum RawPlanes {
    static func write(_ image: Image, to path: String) throws {
        var data = Data()
        for plane in image.planes { plane.withUnsafeBytes { data.append(contentsOf: $0) } }
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String, width: Int, height: Int) throws -> Image {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let count = width * height
        guard data.count == 3 * count * MemoryLayout<Float>.size else {
            throw BenchError("\(path): \(data.count) bytes, expected a \(width)x\(height) RGB float32 image")
        }
        let planes = (0..<3).map { c in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                data.withUnsafeBytes { bytes in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[(c * count * 4)..<((c + 1) * count * 4)]))
                }
                initialized = count
            }
        }
        return Image(width: width, height: height, planes: planes)
    }
}
