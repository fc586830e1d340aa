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
    /// The number of layers of an ncnn graph; nil for other kinds.
    public var layers: Int? = nil
}

extension ModelCatalog {
    /// The classical resamplers, then every GigaGAN file and ncnn graph in the model folders; files that cannot
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

    /// The GigaGAN file at `path`, described from its header and `__metadata__`, or the ncnn
    /// graph at `path` (a `.param`), described from its text alone.
    /// - Throws: `GigascaleError` when it is neither a readable GigaGAN weights file nor a
    ///   well-formed ncnn `.param` with its `.bin` beside it.
    public static func describe(_ path: String) throws -> ModelDescription {
        if path.hasSuffix(".param") { return try describeNCNN(path) }
        return try GigascaleError.translating {
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

    /// An ncnn graph: its scale from the layers (`?` when only a run could tell), its declared
    /// parameters and its layer count; the `.bin` must exist but is not read.
    static func describeNCNN(_ path: String) throws -> ModelDescription {
        try GigascaleError.translating {
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            guard let data = FileManager.default.contents(atPath: path) else { throw ModelError("\(path): cannot be read") }
            let param = try NCNNParam(text: String(decoding: data, as: UTF8.self), source: path)
            guard FileManager.default.isReadableFile(atPath: NCNNNet.binPath(forParam: path)) else {
                throw ModelError("\(path): its weights \(NCNNNet.binPath(forParam: path)) are missing")
            }
            return ModelDescription(name: stem, parameters: param.parameterCount, scale: param.staticScale.map(String.init) ?? "?",
                                    tile: "any", file: path, layers: param.layers.count)
        }
    }
}
