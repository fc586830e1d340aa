import Foundation
import GigaEngine

/// Runs Training/bench/bench_torch.py (same shapes, threads and precisions) and reads its JSON.
enum TorchBaseline {
    /// PyTorch's memory formats: its default (NCHW) and channels-last (NHWC).
    enum Layout: String { case nchw, nhwc }

    static func key(_ shape: ConvShape, _ precision: Precision, _ layout: Layout) -> String {
        "\(shape.channelsIn):\(shape.channelsOut):\(shape.size):\(precision.rawValue):\(layout.rawValue)"
    }

    /// Seconds per convolution by key, or empty when the venv or the script is missing.
    static func run(shapes: [ConvShape], precisions: [Precision], threads: Int, seconds: Double) -> [String: Double] {
        let python = BenchInputs.checkoutPath(TorchModelServer.python), module = TrainingModule(name: "bench.bench_torch")
        guard FileManager.default.isExecutableFile(atPath: python), module.exists else {
            FileHandle.standardError.write(Data("note: \(python) not found; PyTorch comparison skipped (see Training/README.md)\n".utf8))
            return [:]
        }
        let process = module.process(python: python, arguments: ["--threads", String(threads), "--seconds", String(seconds),
                                                                 "--precisions", precisions.map(\.rawValue).joined(separator: ",")]
            + shapes.flatMap { ["--shape", "\($0.channelsIn):\($0.channelsOut):\($0.size)"] })
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { return [:] }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let results = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [:] }
        var byKey: [String: Double] = [:]
        for result in results {
            if let k = result["key"] as? String, let s = result["seconds"] as? Double { byKey[k] = s }
        }
        return byKey
    }
}
