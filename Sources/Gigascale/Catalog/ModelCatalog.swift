import Foundation

/// Where installed models live, and what a model name, a path or the default means.
///
/// Folders, first match wins: `$GIGASCALE_MODELS`, `share/gigascale/models` beside the program,
/// and the source checkout's `Models/`. A name such as `gigagan-8x-s-psnr` is the file
/// `NAME.safetensors` in one of them, or an ncnn model `NAME.param` (with `NAME.bin` beside it);
/// `lanczos` and `bicubic` are always there.
///
/// ```swift
/// let catalog = ModelCatalog()
/// let reference = try catalog.reference(for: "gigagan-8x-s-psnr")
/// let source = try UpscalerSource(model: reference, options: UpscaleOptions(), catalog: catalog)
/// ```
public struct ModelCatalog: Sendable {
    /// The classical resamplers, always available.
    public static let classicalNames = ClassicalModel.allCases.map(\.rawValue)

    /// The endings of model files, in the order a name is looked up: weights files, then ncnn graphs.
    static let fileExtensions = [".safetensors", ".param"]

    /// The folders searched for weights files, in order.
    public let folders: [String]
    /// The text encoder folder a GigaGAN file uses unless told otherwise.
    public let defaultTextEncoderDirectory: String
    /// The model named by `$GIGASCALE_MODEL` (a name or a path), if set and not empty.
    public let environmentDefault: String?

    /// A catalog for this process: `environment` supplies `GIGASCALE_MODELS` and
    /// `GIGASCALE_MODEL`, `programPath` locates `share/gigascale` beside an installed program.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                programPath: String = CommandLine.arguments[0]) {
        let share = URL(fileURLWithPath: programPath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("../share/gigascale").standardizedFileURL.path
        var folders: [String] = []
        if let root = environment["GIGASCALE_MODELS"] { folders.append(root) }
        folders.append(share + "/models")
        folders.append(Self.checkoutModels)
        self.folders = folders
        // The text encoder sits in a models folder (installed: share/gigascale/text-encoder beside
        // share/gigascale/models). A $GIGASCALE_MODELS that holds only ncnn models has none, so
        // the first folder that has one wins, and the first is named in the error if none has.
        let encoderFolders = [environment["GIGASCALE_MODELS"], share, Self.checkoutModels].compactMap { $0 }
            .map { $0 + "/text-encoder" }
        defaultTextEncoderDirectory = encoderFolders.first { FileManager.default.fileExists(atPath: $0 + "/vocab.txt") }
            ?? encoderFolders[0]
        environmentDefault = environment["GIGASCALE_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The source checkout's `Models/` folder (this file is `Sources/Gigascale/Catalog/…`).
    static var checkoutModels: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Models").path
    }

    /// The `.safetensors` files and ncnn `.param` files in the model folders (the text encoder's
    /// own folder is not entered).
    public func weightFiles() -> [String] {
        var files: [String] = []
        var seen: Set<String> = []
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted() where Self.fileExtensions.contains(where: name.hasSuffix) && !name.hasPrefix(".") {
                let path = URL(fileURLWithPath: folder).appendingPathComponent(name).standardizedFileURL.path
                if seen.insert(path).inserted { files.append(path) }
            }
        }
        return files
    }

    /// The installed file called `name` (without `.safetensors` or `.param`), if any.
    public func path(named name: String) -> String? {
        for folder in folders {
            for ending in Self.fileExtensions {
                let path = URL(fileURLWithPath: folder).appendingPathComponent(name + ending).standardizedFileURL.path
                if FileManager.default.isReadableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// What runs when no model is named: `$GIGASCALE_MODEL` if set, else the best installed of
    /// `BuiltInModels.defaultNames`, else Lanczos-3.
    public var defaultModelName: String {
        if let environmentDefault { return environmentDefault }
        return BuiltInModels.defaultNames.first { path(named: $0) != nil } ?? ClassicalModel.lanczos.rawValue
    }

    /// The names a model can be given by on this machine, for messages.
    public var availableNames: [String] {
        Self.classicalNames + weightFiles().map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
    }

    /// The model `name` means (nil: the default): a classical resampler, an installed file by
    /// name, or a model file's path (anything ending in `.safetensors` or `.param`, or containing `/`).
    /// - Throws: `GigascaleError.unknownModel` for a name that is none of these.
    public func reference(for name: String?) throws -> ModelReference {
        let name = name ?? defaultModelName
        if let classical = ClassicalModel(rawValue: name) { return .classical(classical) }
        if ModelReference.looksLikePath(name) { return .weightsFile(path: name) }
        if let path = path(named: name) { return .weightsFile(path: path) }
        throw GigascaleError.unknownModel(name, available: availableNames)
    }
}
