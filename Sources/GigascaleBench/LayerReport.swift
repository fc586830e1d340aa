import Foundation
import GigaEngine

/// The per-layer profile of one precision, as a table or JSON.
struct LayerReport {
    var precision: Precision
    /// How the convolutions ran, e.g. "direct" or "winograd (≥ 64 channels)".
    var convolutionsRan = "direct"
    var threads: Int
    var tiles: Int
    var tileSeconds: Double
    var layers: [LayerProfiler.Entry]
    var stages: [LayerProfiler.Entry]
    var primitiveSecondsByStage: [String: Double]
    var peakGFLOPs: Double
    var clock: String

    private var perTile: Double { Double(tiles) }
    var primitiveSeconds: Double { layers.reduce(0) { $0 + $1.seconds } / perTile }
    var glueSeconds: Double { tileSeconds - primitiveSeconds }
    private var convolutions: [LayerProfiler.Entry] { layers.filter { $0.kind.hasPrefix("conv") } }
    var convGFLOPs: Double {
        let flops = convolutions.reduce(0) { $0 + $1.flops }, seconds = convolutions.reduce(0) { $0 + $1.seconds }
        return seconds > 0 ? flops / seconds / 1e9 : 0
    }

    private static func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1000) }
    private static func percent(_ part: Double, of whole: Double) -> String { String(format: "%.1f%%", 100 * part / whole) }

    func table(top: Int) -> String {
        var lines = ["\(precision.rawValue), \(convolutionsRan) convolutions, \(threads) thread(s), \(tiles) tiles, \(clock) time: "
                     + "\(Self.ms(tileSeconds)) ms per tile, \(Self.ms(primitiveSeconds)) ms in oneDNN, "
                     + "glue \(Self.ms(glueSeconds)) ms (\(Self.percent(glueSeconds, of: tileSeconds))); "
                     + "convolutions at \(String(format: "%.0f", convGFLOPs)) GFLOP/s = "
                     + "\(Self.percent(convGFLOPs, of: peakGFLOPs)) of this machine's oneDNN peak (\(String(format: "%.0f", peakGFLOPs)) GFLOP/s)",
                     "",
                     "| stage | ms per tile | in oneDNN | glue | glue share of tile |",
                     "|---|---:|---:|---:|---:|"]
        for stage in stages {
            let inside = (primitiveSecondsByStage[stage.name] ?? 0) / perTile, whole = stage.seconds / perTile
            lines.append("| \(stage.name) | \(Self.ms(whole)) | \(Self.ms(inside)) | \(Self.ms(whole - inside)) | \(Self.percent(whole - inside, of: tileSeconds)) |")
        }
        lines += ["", "| layer | op | ms per tile | GFLOP/s | share of tile |", "|---|---|---:|---:|---:|"]
        var listed = layers
        if top > 0 { listed = Array(listed.sorted { $0.seconds > $1.seconds }.prefix(top)) }
        for layer in listed {
            let gflops = layer.flops > 0 ? String(format: "%.0f", layer.flops / layer.seconds / 1e9) : "–"
            lines.append("| \(layer.name) | \(layer.kind) | \(Self.ms(layer.seconds / perTile)) | \(gflops) | \(Self.percent(layer.seconds / perTile, of: tileSeconds)) |")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ reports: [LayerReport], weights: String) -> String {
        let objects: [[String: Any]] = reports.map { r in
            ["precision": r.precision.rawValue, "convolutions": r.convolutionsRan, "threads": r.threads, "tiles": r.tiles, "clock": r.clock,
             "tileSeconds": r.tileSeconds, "oneDNNSeconds": r.primitiveSeconds, "glueSeconds": r.glueSeconds,
             "glueShare": r.glueSeconds / r.tileSeconds, "convGFLOPs": r.convGFLOPs, "peakGFLOPs": r.peakGFLOPs,
             "stages": r.stages.map { s in
                 ["name": s.name, "seconds": s.seconds / Double(r.tiles),
                  "oneDNNSeconds": (r.primitiveSecondsByStage[s.name] ?? 0) / Double(r.tiles)] as [String: Any]
             },
             "layers": r.layers.map { l in
                 ["name": l.name, "op": l.kind, "seconds": l.seconds / Double(r.tiles), "flops": l.flops / Double(r.tiles)] as [String: Any]
             }]
        }
        let root: [String: Any] = ["weights": weights, "oneDNN": ComputeContext.oneDNNVersion, "isa": ComputeContext.instructionSet,
                                   "results": objects]
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
