import Foundation
import GigaEngine

/// What every row of the PyTorch comparison shares.
struct TorchComparisonHeader {
    var weights: String
    var photo: String
    var input: String
    var threads: Int
    var rounds: Int
    var isa: String
    var oneDNN: String
    var torch: String
    var torchMemoryFormat: String
    var notes: [String]
}

/// One precision of the PyTorch comparison: the alternating rounds of both sides.
struct TorchComparison {
    var precision: Precision
    var plan: TilePlan
    var tileWorkers: Int
    var swiftSeconds: [Double] = []
    var torchSeconds: [Double] = []
    /// PSNR (dB) between the two sides' outputs of the warm-up round.
    var psnr: Double?

    /// Per round, PyTorch's time over Gigascale's: above 1, Gigascale is faster.
    var ratios: [Double] { zip(torchSeconds, swiftSeconds).map { $0 / $1 } }

    private static func format(_ s: Summary?, _ digits: Int = 2, suffix: String = "") -> String {
        guard let s else { return "–" }
        let f = "%.\(digits)f"
        return "\(String(format: f, s.min))\(suffix) / \(String(format: f, s.median))\(suffix) / \(String(format: f, s.max))\(suffix)"
    }

    private var psnrText: String {
        guard let psnr else { return "–" }
        return psnr.isInfinite ? "identical" : String(format: "%.1f dB", psnr)
    }

    static func table(_ rows: [TorchComparison], header: TorchComparisonHeader) -> String {
        let plan = rows.first.map { "\($0.plan.tileCount) tiles of \($0.plan.tileSize)² (overlap \($0.plan.overlap))" } ?? ""
        var lines = [
            "\(header.weights) on \(header.photo) cropped to \(header.input), \(plan); \(header.threads) thread(s) each side; \(header.rounds) alternating round(s) after a warm-up",
            "Gigascale: oneDNN \(header.oneDNN) on \(header.isa), \(rows.first?.tileWorkers ?? 1) tile worker(s); PyTorch \(header.torch) eager, \(header.torchMemoryFormat), inference_mode (bf16: CPU autocast)",
            "| precision | Gigascale s min / median / max | PyTorch s min / median / max | PyTorch ÷ Gigascale min / median / max | output PSNR Gigascale vs PyTorch |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in rows {
            lines.append("| \(row.precision.rawValue) | \(format(Summary(row.swiftSeconds))) | \(format(Summary(row.torchSeconds))) | \(format(Summary(row.ratios), suffix: "×")) | \(row.psnrText) |")
        }
        lines += header.notes.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }

    static func json(_ rows: [TorchComparison], header: TorchComparisonHeader) -> String {
        let results: [[String: Any]] = rows.map { row in
            var object: [String: Any] = [
                "precision": row.precision.rawValue, "tiles": row.plan.tileCount, "tileWorkers": row.tileWorkers,
                "gigascaleSeconds": row.swiftSeconds, "torchSeconds": row.torchSeconds, "ratios": row.ratios,
                "plan": row.plan.json,
            ]
            if let s = Summary(row.swiftSeconds) { object["gigascale"] = s.json }
            if let s = Summary(row.torchSeconds) { object["torch"] = s.json }
            if let s = Summary(row.ratios) { object["ratio"] = s.json }
            // JSON has no infinity: identical outputs are reported as null with "identical": true.
            object["psnr"] = row.psnr.flatMap { $0.isFinite ? $0 : nil } ?? NSNull()
            object["identical"] = row.psnr?.isInfinite ?? false
            return object
        }
        let root: [String: Any] = [
            "suite": "torch", "weights": header.weights, "photo": header.photo, "input": header.input,
            "threads": header.threads, "rounds": header.rounds, "isa": header.isa, "oneDNN": header.oneDNN,
            "torchVersion": header.torch, "torchMemoryFormat": header.torchMemoryFormat, "notes": header.notes, "results": results,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
