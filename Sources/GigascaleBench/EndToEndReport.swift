import Foundation
import GigaEngine

/// The `--precision` a child run of `gigascale` is given: `auto`, its default, measures which of
/// the two is faster on this CPU (or reads its cached verdict).
enum RunPrecision: String, CaseIterable {
    case auto, fp32, bf16
}

/// One child run of `gigascale`.
struct EndToEndRun {
    var seconds: Double
    var peakRSSBytes: Int
    var outputWidth: Int
    var outputHeight: Int
    /// The model gigascale reports it ran.
    var model: String
    /// The precision gigascale reports it ran in (what `auto` chose).
    var precision: String
}

/// What every row of the end-to-end table shares.
struct EndToEndHeader {
    var executable: String
    var photo: String
    var repeats: Int
    var threads: Int?
    var isa: String
    var notes: [String]
}

/// One input size in one precision: its runs and what the table shows of them.
struct EndToEndRow {
    var side: Int
    var precision: RunPrecision
    var runs: [EndToEndRun]

    /// The asked precision, and for `auto` what gigascale chose, e.g. "auto (bf16)".
    var precisionLabel: String {
        guard precision == .auto else { return precision.rawValue }
        return "auto (\(Set(runs.map(\.precision)).sorted().joined(separator: ", ")))"
    }

    var seconds: Summary? { Summary(runs.map(\.seconds)) }
    var outputMegapixels: Double { runs.first.map { Double($0.outputWidth * $0.outputHeight) / 1e6 } ?? 0 }
    var megapixelsPerSecond: Double? { seconds.map { outputMegapixels / $0.median } }
    /// The largest peak of the runs (they differ only by noise).
    var peakRSSMegabytes: Double { Double(runs.map(\.peakRSSBytes).max() ?? 0) / 1_048_576 }
    var model: String { runs.first?.model ?? "?" }
    var outputSize: String { runs.first.map { "\($0.outputWidth)x\($0.outputHeight)" } ?? "?" }

    static func table(_ rows: [EndToEndRow], header: EndToEndHeader) -> String {
        let models = Set(rows.map(\.model)).sorted().joined(separator: ", ")
        var lines = [
            "gigascale end to end (\(header.executable)), model \(models), \(header.threads.map { "\($0) thread(s)" } ?? "default threads"), \(header.isa); inputs from \(header.photo); median of \(header.repeats) run(s), PNG out",
            "| input | output | precision | median s | min s | max s | output MP/s | peak RSS MB |",
            "|---|---|---|---:|---:|---:|---:|---:|",
        ]
        for row in rows {
            guard let s = row.seconds else { continue }
            lines.append("| \(row.side)² | \(row.outputSize) | \(row.precisionLabel) | \(String(format: "%.2f", s.median)) | \(String(format: "%.2f", s.min)) | \(String(format: "%.2f", s.max)) | \(String(format: "%.2f", row.megapixelsPerSecond ?? 0)) | \(String(format: "%.0f", row.peakRSSMegabytes)) |")
        }
        lines += header.notes.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }

    static func json(_ rows: [EndToEndRow], header: EndToEndHeader) -> String {
        let results: [[String: Any]] = rows.map { row in
            var object: [String: Any] = [
                "inputSide": row.side, "output": row.outputSize, "outputMegapixels": row.outputMegapixels,
                "precision": row.precision.rawValue, "ranIn": Array(Set(row.runs.map(\.precision))).sorted(), "model": row.model,
                "runs": row.runs.map { ["seconds": $0.seconds, "peakRSSBytes": $0.peakRSSBytes] },
                "peakRSSBytes": row.runs.map(\.peakRSSBytes).max() ?? 0,
            ]
            if let s = row.seconds { object["seconds"] = s.json }
            if let mps = row.megapixelsPerSecond { object["outputMegapixelsPerSecond"] = mps }
            return object
        }
        var root: [String: Any] = ["suite": "end-to-end", "gigascale": header.executable, "photo": header.photo,
                                   "repeat": header.repeats, "isa": header.isa, "notes": header.notes, "results": results]
        root["threads"] = header.threads ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
