import GigaEngine
import GigaModels

/// Why the library could not do what it was asked: an unknown or broken model, options the model
/// cannot take, an output size it cannot make, or a failure while computing.
public struct GigascaleError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, in words.
    public var message: String
    /// Whether `message` already names the file it is about (a weights file, say); when it does
    /// not, a caller reporting on an input puts the input's name in front.
    public var namesItsFile: Bool
    /// Whether the options are at fault (a tile size, an overlap or a size the model cannot
    /// make), not an input or the model's file: a command line reports it as a usage error.
    public var concernsOptions: Bool

    /// Creates an error.
    public init(_ message: String, namesItsFile: Bool = false, concernsOptions: Bool = false) {
        self.message = message
        self.namesItsFile = namesItsFile
        self.concernsOptions = concernsOptions
    }

    /// Options the model cannot take.
    static func options(_ message: String) -> GigascaleError {
        GigascaleError(message, concernsOptions: true)
    }

    public var description: String { message }

    /// A model name that is neither a classical resampler, an installed file nor a path.
    static func unknownModel(_ name: String, available: [String]) -> GigascaleError {
        GigascaleError("unknown model '\(name)'; available: \(available.joined(separator: ", ")), or the path of a .safetensors weights file (GigaGAN or AuraSR) or of an ncnn .param (its .bin beside it)")
    }
}

extension GigascaleError {
    /// Runs `body`, turning the engine's and the models' errors into `GigascaleError`s: a model
    /// error already names its file; an engine error, or a `GigascaleError` that names no file,
    /// is put after `file` when one is given.
    /// Other errors (cancellation, the codecs' `ImageError`) pass through unchanged.
    static func translating<T>(about file: String? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw translated(error, about: file)
        }
    }

    /// `translating(about:_:)` for async work.
    static func translating<T>(about file: String? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw translated(error, about: file)
        }
    }

    static func translated(_ error: Error, about file: String?) -> Error {
        switch error {
        case let error as ModelError: GigascaleError(error.message, namesItsFile: true)
        case let error as EngineError:
            file.map { GigascaleError("\($0): \(error.message)", namesItsFile: true) } ?? GigascaleError(error.message)
        case let error as GigascaleError where !error.namesItsFile && !error.concernsOptions:
            file.map { GigascaleError("\($0): \(error.message)", namesItsFile: true) } ?? error
        default: error
        }
    }
}
