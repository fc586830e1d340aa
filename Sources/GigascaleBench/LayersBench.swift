import ArgumentParser
import Foundation
import GigaEngine
import GigaImage
import Gigascale

/// `gigascale-bench layers`: where one generator tile spends its time, layer by layer.
struct LayersBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "Time every layer of one GigaGAN tile and the share of the tile's time outside oneDNN.",
        discussion: """
            Runs --tiles tiles (a 64 px crop of Samples/astronaut.png, after 3 warm-up tiles) with a \
            LayerProfiler attached: every oneDNN call is timed by layer, every stage as a whole, and \
            glue is a stage's time minus its oneDNN calls (our element-wise passes, attention, the \
            bicubic anchor, allocation). The peak row is a large 3x3 convolution (256→256 at 64²), \
            the most this machine gets out of oneDNN at that precision and thread count.
            """
    )

    @Option(help: "GigaGAN weights (default: Models/gigagan-8x-s.safetensors, else gigagan-8x-s-psnr).")
    var model: String?

    @Option(help: "Threads for oneDNN (one tile at a time; the tiler runs one tile per core with 1 thread each).")
    var threads = 1

    @Option(help: "Measured tiles.")
    var tiles = 20

    @Option(help: "Precisions to measure, comma-separated (default: fp32, and bf16 where the CPU has it).")
    var precisions: String?

    @Option(help: ArgumentHelp("Also measure fp32 with Winograd 3x3 convolutions on layers with at least this many channels (comma-separated for several).", valueName: "n"))
    var winogradChannels: String?

    @Flag(help: "Also measure bf16 with oneDNN's direct convolutions only, without Gigascale's own bf16 Winograd.")
    var bf16Direct = false

    @Flag(help: "Read the process's CPU time instead of wall time (steadier on a busy machine; use with --threads 1).")
    var cpuTime = false

    @Option(help: "How many of the slowest layers to list (0: all).")
    var top = 0

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func run() throws {
        let weights = BenchInputs.checkoutPath(model ?? BenchInputs.defaultWeights)
        let chosen: [Precision] = try BenchInputs.precisions(precisions)
        let gan = try GigaGANModel(weightsPath: weights, textEncoderDirectory: BenchInputs.checkoutPath("Models/text-encoder"))
        let photo = try ImageReader.read(path: BenchInputs.checkoutPath(BenchInputs.defaultPhoto))
        let tileSide = gan.generator.config.tile
        let tile = Self.tensor(photo, x: 200, y: 160, side: tileSide)
        let noise = Tensor(zeros: tile.shape)
        let winograd = try (winogradChannels?.split(separator: ",") ?? []).map { text -> ConvolutionAlgorithm in
            guard let n = Int(text), n >= 1 else { throw ValidationError("--winograd-channels takes channel counts, not '\(text)'") }
            return .winograd(minimumChannels: n)
        }
        var variants = chosen.map { ($0, ConvolutionAlgorithm.direct, true) } + (chosen.contains(.fp32) ? winograd.map { (.fp32, $0, true) } : [])
        if bf16Direct && chosen.contains(.bf16) { variants.append((.bf16, .direct, false)) }
        var reports: [LayerReport] = []
        for (precision, algorithm, bf16OwnKernels) in variants {
            let context = try ComputeContext(precision: precision, threads: threads)
            context.convolutionAlgorithm = algorithm
            context.bf16OwnKernels = bf16OwnKernels
            let convolutionsRan = precision == .bf16 && bf16OwnKernels
                ? "own bf16 3x3 kernels (Winograd ≥ \(Conv2d.bf16WinogradMinimumChannels) ch, direct ≥ \(Conv2d.bf16DirectMinimumChannels) ch) and oneDNN"
                : algorithm.description
            try gan.prepare(prompt: "a photo", seed: 0, context: context)
            for _ in 0..<3 { _ = try gan.upscaleTile(tile, noise: noise, context: context) }
            let profiler = LayerProfiler(clock: cpuTime ? .processCPU : .wall)
            context.profiler = profiler
            let start = profiler.now()
            for _ in 0..<tiles { _ = try gan.upscaleTile(tile, noise: noise, context: context) }
            let total = profiler.now() - start
            context.profiler = nil
            let peak = try Self.peakGFLOPs(context: context, clock: profiler.clock)
            reports.append(LayerReport(precision: precision, convolutionsRan: convolutionsRan, threads: threads, tiles: tiles, tileSeconds: total / Double(tiles),
                                       layers: profiler.layers, stages: profiler.stages,
                                       primitiveSecondsByStage: profiler.primitiveSecondsByStage, peakGFLOPs: peak,
                                       clock: cpuTime ? "process CPU" : "wall"))
        }
        if json {
            print(LayerReport.json(reports, weights: weights))
        } else {
            print("\(URL(fileURLWithPath: weights).lastPathComponent), one \(tileSide) px tile, oneDNN \(ComputeContext.oneDNNVersion) on \(ComputeContext.instructionSet)")
            for report in reports { print(""); print(report.table(top: top)) }
        }
    }

    /// A [1, 3, side, side] RGB crop of `image` at (x, y).
    static func tensor(_ image: Image, x: Int, y: Int, side: Int) -> Tensor {
        var values = [Float](repeating: 0, count: 3 * side * side)
        for c in 0..<3 {
            for row in 0..<side {
                for column in 0..<side {
                    values[(c * side + row) * side + column] = image.planes[c][(y + row) * image.width + x + column]
                }
            }
        }
        return Tensor(nchw: values, shape: [1, 3, side, side])
    }

    /// GFLOP/s of a 256→256 3x3 oneDNN direct convolution on a 64² map: about as dense as
    /// oneDNN's kernels get.
    static func peakGFLOPs(context tileContext: ComputeContext, clock: LayerProfiler.Clock) throws -> Double {
        let context = try ComputeContext(precision: tileContext.precision, threads: tileContext.threads)
        context.bf16OwnKernels = false
        let (channels, side) = (256, 64)
        let conv = Conv2d(weights: (0..<(channels * channels * 9)).map { Float($0 % 7) * 0.01 - 0.03 }, bias: nil,
                          outChannels: channels, inChannels: channels, kernelSize: 3, padding: 1)
        let input = Tensor(shape: [1, channels, side, side], storage: (0..<(channels * side * side)).map { Float($0 % 5) * 0.1 })
        var output = try conv(input, in: context)
        let profiler = LayerProfiler(clock: clock)
        let runs = 10
        let start = profiler.now()
        for _ in 0..<runs { try conv(input, into: &output, in: context) }
        let seconds = (profiler.now() - start) / Double(runs)
        return 2.0 * Double(channels * channels * 9 * side * side) / seconds / 1e9
    }
}
