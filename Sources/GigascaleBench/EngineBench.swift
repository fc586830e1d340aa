import ArgumentParser
import Foundation
import GigaEngine

/// `gigascale-bench engine`: GFLOP/s of 3x3 convolutions through GigaEngine, next to PyTorch.
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time 3x3 convolutions at the generator's shapes in fp32 and bf16, and compare with PyTorch.",
        discussion: """
            PyTorch's numbers come from Training/bench/bench_torch.py, run with Training/.venv/bin/python \
            when that exists (see Training/README.md); pass --no-torch to skip it.
            """
    )

    @Option(help: "Threads for oneDNN and PyTorch (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Shapes to time as CIN:COUT:SIZE (default: the generator's four).", valueName: "shape"))
    var shape: [String] = []

    @Option(help: "Seconds to spend timing each case.")
    var seconds: Double = 1.0

    @Flag(help: "Do not run the PyTorch comparison.")
    var noTorch = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        var shapes = ConvShape.generatorShapes
        if !shape.isEmpty {
            shapes = try shape.map { text in
                guard let parsed = ConvShape(argument: text) else { throw ValidationError("bad shape '\(text)'; use CIN:COUT:SIZE") }
                return parsed
            }
        }
        let precisions: [Precision] = ComputeContext.supportsBF16 ? [.fp32, .bf16] : [.fp32]
        let torch = noTorch ? [:] : TorchBaseline.run(shapes: shapes, precisions: precisions, threads: threads, seconds: seconds)
        var rows: [EngineBenchRow] = []
        for precision in precisions {
            let context = try ComputeContext(precision: precision, threads: threads)
            for shape in shapes {
                let seconds = try timeConvolution(shape, context: context)
                rows.append(EngineBenchRow(shape: shape, precision: precision, seconds: seconds,
                                           torchSeconds: torch[TorchBaseline.key(shape, precision, .nchw)],
                                           torchChannelsLastSeconds: torch[TorchBaseline.key(shape, precision, .nhwc)]))
            }
        }
        print(json ? EngineBenchRow.json(rows, threads: threads) : EngineBenchRow.table(rows, threads: threads))
    }

    private func timeConvolution(_ shape: ConvShape, context: ComputeContext) throws -> Double {
        var rng = SystemRandomNumberGenerator()
        let weights = (0..<(shape.channelsOut * shape.channelsIn * 9)).map { _ in Float.random(in: -0.1...0.1, using: &rng) }
        let conv = Conv2d(weights: weights, bias: [Float](repeating: 0.01, count: shape.channelsOut),
                          outChannels: shape.channelsOut, inChannels: shape.channelsIn, kernelSize: 3, padding: 1)
        let input = Tensor(shape: [1, shape.channelsIn, shape.size, shape.size],
                           storage: (0..<(shape.channelsIn * shape.size * shape.size)).map { _ in Float.random(in: 0...1, using: &rng) })
        // The output buffer is reused from run to run, as the generator's tile loop does.
        var output = try conv(input, in: context)
        return try medianSeconds(minimumSeconds: seconds) { try conv(input, into: &output, in: context) }
    }
}

/// One line of the engine benchmark.
struct EngineBenchRow {
    var shape: ConvShape
    var precision: Precision
    var seconds: Double
    /// PyTorch eager in its default NCHW memory format.
    var torchSeconds: Double?
    /// PyTorch eager with channels-last tensors and weights.
    var torchChannelsLastSeconds: Double?

    var gflops: Double { shape.flops / seconds / 1e9 }

    private func gflops(_ seconds: Double?) -> String { seconds.map { String(format: "%.0f", shape.flops / $0 / 1e9) } ?? "–" }
    private func ratio(_ seconds: Double?) -> String { seconds.map { String(format: "%.2f×", $0 / self.seconds) } ?? "–" }

    static func table(_ rows: [EngineBenchRow], threads: Int) -> String {
        var lines = [
            "oneDNN \(ComputeContext.oneDNNVersion) on \(ComputeContext.instructionSet), \(threads) thread(s); median of repeated runs; batch 1, bias, output buffer reused",
            "| conv 3x3 | precision | Gigascale ms | GFLOP/s | PyTorch NCHW GFLOP/s | speed-up | PyTorch channels-last GFLOP/s | speed-up |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in rows {
            lines.append("| \(row.shape) | \(row.precision.rawValue) | \(String(format: "%.2f", row.seconds * 1000)) | \(String(format: "%.0f", row.gflops)) | \(row.gflops(row.torchSeconds)) | \(row.ratio(row.torchSeconds)) | \(row.gflops(row.torchChannelsLastSeconds)) | \(row.ratio(row.torchChannelsLastSeconds)) |")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ rows: [EngineBenchRow], threads: Int) -> String {
        let objects: [[String: Any]] = rows.map { row in
            var object: [String: Any] = [
                "channelsIn": row.shape.channelsIn, "channelsOut": row.shape.channelsOut, "size": row.shape.size,
                "precision": row.precision.rawValue, "seconds": row.seconds, "gflops": row.gflops,
            ]
            if let t = row.torchSeconds { object["torchSeconds"] = t; object["speedup"] = t / row.seconds }
            if let t = row.torchChannelsLastSeconds { object["torchChannelsLastSeconds"] = t; object["speedupChannelsLast"] = t / row.seconds }
            return object
        }
        let root: [String: Any] = ["oneDNN": ComputeContext.oneDNNVersion, "isa": ComputeContext.instructionSet,
                                   "threads": threads, "results": objects]
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
