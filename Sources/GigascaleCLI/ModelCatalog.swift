import Foundation
import Gigascale

/// Where installed weights files live, and what a model name or the default means.
///
/// Folders, first match wins: `$GIGASCALE_MODELS`, `share/gigascale/models` beside the program,
/// and the source checkout's `Models/`. A name such as `gigagan-8x-s-psnr` is the file
/// `NAME.safetensors` in one of them.
enum ModelCatalog {
    /// The classical resamplers, always available.
    static let classicalNames = ["lanczos", "bicubic"]

    static func modelFolders() -> [String] {
        var folders: [String] = []
        if let root = ProcessInfo.processInfo.environment["GIGASCALE_MODELS"] { folders.append(root) }
        folders.append(installed("models"))
        folders.append(checkoutModels(""))
        return folders
    }

    /// `share/gigascale/NAME` beside the installed program.
    static func installed(_ name: String) -> String {
        let program = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        return program.appendingPathComponent("../share/gigascale/" + name).standardizedFileURL.path
    }

    /// `Models/NAME` in the source checkout this program was built from.
    static func checkoutModels(_ name: String) -> String {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models")
        return (name.isEmpty ? models : models.appendingPathComponent(name)).path
    }

    /// The `.safetensors` files in the model folders (the text encoder's own folder is not entered).
    static func weightFiles() -> [String] {
        var files: [String] = []
        var seen: Set<String> = []
        for folder in modelFolders() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted() where name.hasSuffix(".safetensors") && !name.hasPrefix(".") {
                let path = URL(fileURLWithPath: folder).appendingPathComponent(name).standardizedFileURL.path
                if seen.insert(path).inserted { files.append(path) }
            }
        }
        return files
    }

    /// The installed file called `name` (without `.safetensors`), if any.
    static func path(named name: String) -> String? {
        for folder in modelFolders() {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name + ".safetensors").standardizedFileURL.path
            if FileManager.default.isReadableFile(atPath: path) { return path }
        }
        return nil
    }

    /// What runs when --model is not given: $GIGASCALE_MODEL if set (a name or a path), else the
    /// best installed of `BuiltInModels.defaultNames`, else Lanczos-3.
    static var defaultModel: String {
        if let chosen = ProcessInfo.processInfo.environment["GIGASCALE_MODEL"], !chosen.isEmpty { return chosen }
        return BuiltInModels.defaultNames.lazy.compactMap { path(named: $0) }.first ?? "lanczos"
    }

    /// The names --model accepts on this machine, for error messages.
    static var availableNames: [String] {
        classicalNames + weightFiles().map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
    }
}
