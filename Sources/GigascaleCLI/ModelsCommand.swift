import ArgumentParser
import Foundation
import Gigascale

/// `gigascale models`: what `--model` can name on this machine.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the built-in models, the GigaGAN weights files and the ncnn models installed.",
        discussion: """
            Weights are looked for in $GIGASCALE_MODELS, in share/gigascale/models beside the \
            program, and in the source checkout's Models/ folder (an ncnn model is NAME.param with \
            NAME.bin beside it; Models/fetch-ncnn-models.sh installs Real-ESRGAN's). Pass a file's \
            path to --model. The model used without --model is marked '*' (JSON: "default").
            """
    )

    @Flag(help: "Print one JSON object per model instead of a table.")
    var json = false

    func run() throws {
        let (entries, skipped) = ModelOptions.catalog.descriptions()
        let defaultName = ModelOptions.catalog.defaultModelName
        for (path, problem) in skipped { Diagnostics.note("skipped \(path): \(problem)") }
        if json {
            for entry in entries {
                let object: [String: Any] = ["name": entry.name, "parameters": entry.parameters, "scale": entry.scale,
                                             "tile": entry.tile, "file": entry.file ?? NSNull(), "layers": entry.layers ?? NSNull(),
                                             "default": entry.name == defaultName]
                print(JSONLine.serialize(object))
            }
            return
        }
        let nameWidth = max(entries.map(\.name.count).max() ?? 0, 4) + 4
        print(Self.pad("NAME", nameWidth) + Self.pad("PARAMETERS", 13) + Self.pad("SCALE", 7) + Self.pad("TILE", 6)
            + Self.pad("LAYERS", 8) + "FILE")
        for entry in entries {
            print(Self.pad(entry.name + (entry.name == defaultName ? " *" : ""), nameWidth) + Self.pad(Self.grouped(entry.parameters), 13) + Self.pad(entry.scale, 7)
                + Self.pad(entry.tile, 6) + Self.pad(entry.layers.map(String.init) ?? "-", 8)
                + (entry.file ?? "(built in: classical resampling)"))
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
