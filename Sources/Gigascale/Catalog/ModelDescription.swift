import Foundation
import GigaEngine
import GigaModels

/// What a model is, read cheaply: from a weights file's header and metadata alone (no weights
/// are loaded), or the built-in facts of a classical resampler.
public struct ModelDescription: Sendable, Equatable {
    /// The name `--model` takes.
    public var name: String
    /// Learned parameters (0 for a resampler).
    public var parameters: Int
    /// The factor it enlarges by: "8", or a range such as "1-16".
    public var scale: String
    /// The tile side it runs: "64", or "any".
    public var tile: String
    /// The weights file, or nil for a built-in resampler.
    public var file: String?
}

extension ModelCatalog {
    /// The classical resamplers, then every GigaGAN file in the model folders; files that cannot
    /// be described are returned apart, with the reason.
    public func descriptions() -> (models: [ModelDescription], skipped: [(file: String, reason: String)]) {
        var models = ClassicalModel.allCases.map {
            ModelDescription(name: $0.rawValue, parameters: 0, scale: "1-\(ClassicalModel.maximumScale)", tile: "any", file: nil)
        }
        var skipped: [(String, String)] = []
        for path in weightFiles() {
            do {
                models.append(try Self.describe(path))
            } catch {
                skipped.append((path, "\(error)"))
            }
        }
        return (models, skipped)
    }

    /// The GigaGAN file at `path`, described from its header and `__metadata__`.
    /// - Throws: `GigascaleError` when it is not a readable GigaGAN weights file.
    public static func describe(_ path: String) throws -> ModelDescription {
        try GigascaleError.translating {
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let file: SafetensorsFile
            do { file = try SafetensorsFile(path: path) } catch let error as SafetensorsError { throw ModelError(error.description) }
            guard file.metadata["format"] == Generator.format, let json = file.metadata["config"] else {
                throw ModelError("not a \(Generator.format) weights file")
            }
            let config = try GeneratorConfig.decode(json: json, source: path)
            return ModelDescription(name: stem, parameters: file.entries.values.reduce(0) { $0 + $1.elementCount },
                                    scale: String(config.scale), tile: String(config.tile), file: path)
        }
    }
}
