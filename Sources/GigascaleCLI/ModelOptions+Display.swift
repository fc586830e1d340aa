import Foundation

extension ModelOptions {
    /// The model's short name for messages, `{model}` and JSON: lanczos, bicubic, or the
    /// weights file's name without `.safetensors`.
    var displayName: String {
        guard model.contains("/") || model.hasSuffix(".safetensors") else { return model }
        let name = URL(fileURLWithPath: model).lastPathComponent
        return name.hasSuffix(".safetensors") ? String(name.dropLast(".safetensors".count)) : name
    }

    /// Refuses a weights path that leads nowhere before any work (the name check is `validate`'s).
    func checkModelFileExists() throws {
        guard model.contains("/") || model.hasSuffix(".safetensors") else { return }
        guard FileManager.default.isReadableFile(atPath: model) else {
            throw UsageError("\(model): no such model file (see 'gigascale models' for what is installed)")
        }
    }
}
