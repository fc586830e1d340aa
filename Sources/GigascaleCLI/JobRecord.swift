import Foundation
import Gigascale

/// What happened to one input: the line a log prints and the object `--json` writes.
struct JobRecord {
    enum Status: String { case done, skipped, failed }

    var input: String
    var output: String?
    var inputSize: (width: Int, height: Int)?
    var outputSize: (width: Int, height: Int)?
    var model: String
    var prompt: String?
    var seconds: Double = 0
    var status: Status = .done
    /// Why it failed ("path: reason", one line) or why it was skipped.
    var message: String?
    /// Decoder notes and warnings about this input.
    var notes: [String] = []
    /// Whether it failed because the options cannot work for this input (a width beyond what the
    /// model makes of it), not because of the input itself.
    var failedOnOptions = false
    /// The precision the model ran in, and how it was chosen (`PrecisionChoice.Basis`), once
    /// the model is loaded.
    var precisionChoice: PrecisionChoice?

    /// The display name of the input.
    var inputName: String { input == "-" ? "<stdin>" : input }
    var outputName: String? { output == "-" ? "<stdout>" : output }

    func json() -> String {
        var object: [String: Any] = [
            "input": inputName,
            "output": outputName ?? NSNull(),
            "model": model,
            "prompt": prompt ?? NSNull(),
            "seconds": (seconds * 1000).rounded() / 1000,
            "status": status.rawValue,
            "error": status == .failed ? (message ?? "failed") : NSNull(),
            "notes": notes,
        ]
        if status == .skipped { object["reason"] = message ?? NSNull() }
        object["precision"] = precisionChoice?.precision.rawValue ?? NSNull()
        object["precisionChoice"] = precisionChoice?.basis.rawValue ?? NSNull()
        object["inputWidth"] = inputSize?.width ?? NSNull()
        object["inputHeight"] = inputSize?.height ?? NSNull()
        object["outputWidth"] = outputSize?.width ?? NSNull()
        object["outputHeight"] = outputSize?.height ?? NSNull()
        return JSONLine.serialize(object)
    }
}

enum JSONLine {
    static func serialize(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
