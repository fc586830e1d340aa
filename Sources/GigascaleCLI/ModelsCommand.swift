import ArgumentParser
import Foundation
import GigaEngine
import GigaModels

/// `gigascale models`: what `--model` can name on this machine.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the built-in models and the GigaGAN weights files installed.",
        discussion: """
            Weights are looked for in $GIGASCALE_MODELS, in share/gigascale/models beside the \
            program, and in the source checkout's Models/ folder. Pass a file's path to --model.
            """
    )

    @Flag(help: "Print one JSON object per model instead of a table.")
    var json = false

    struct Entry {
        var name: String
        var parameters: Int
        var scale: String
        var tile: String
        var file: String?
        var problem: String?
    }

    func run() throws {
        var entries = [
            Entry(name: "lanczos", parameters: 0, scale: "1-16", tile: "any", file: nil, problem: nil),
            Entry(name: "bicubic", parameters: 0, scale: "1-16", tile: "any", file: nil, problem: nil),
        ]
        for path in ModelCatalog.weightFiles() {
            let entry = Self.describe(path)
            if let problem = entry.problem {
                Diagnostics.note("skipped \(path): \(problem)")
            } else {
                entries.append(entry)
            }
        }
        if json {
            for entry in entries {
                let object: [String: Any] = ["name": entry.name, "parameters": entry.parameters, "scale": entry.scale,
                                             "tile": entry.tile, "file": entry.file ?? NSNull()]
                print(JSONLine.serialize(object))
            }
            return
        }
        let nameWidth = max(entries.map(\.name.count).max() ?? 0, 4) + 2
        print(Self.pad("NAME", nameWidth) + Self.pad("PARAMETERS", 13) + Self.pad("SCALE", 7) + Self.pad("TILE", 6) + "FILE")
        for entry in entries {
            print(Self.pad(entry.name, nameWidth) + Self.pad(Self.grouped(entry.parameters), 13) + Self.pad(entry.scale, 7)
                + Self.pad(entry.tile, 6) + (entry.file ?? "(built in: classical resampling)"))
        }
    }

    /// Name, parameter count, scale and tile from the file's header and `__metadata__` (no
    /// weights are read).
    static func describe(_ path: String) -> Entry {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        do {
            let file = try SafetensorsFile(path: path)
            let parameters = file.entries.values.reduce(0) { $0 + $1.elementCount }
            guard file.metadata["format"] == Generator.format, let json = file.metadata["config"] else {
                return Entry(name: stem, parameters: parameters, scale: "?", tile: "?", file: path,
                             problem: "not a \(Generator.format) weights file")
            }
            let config = try GeneratorConfig.decode(json: json, source: path)
            return Entry(name: stem, parameters: parameters, scale: String(config.scale), tile: String(config.tile),
                         file: path, problem: nil)
        } catch {
            return Entry(name: stem, parameters: 0, scale: "?", tile: "?", file: path, problem: "\(error)")
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
