/// A model as the catalog resolved it: a classical resampler or a weights file.
public enum ModelReference: Sendable, Equatable {
    /// Lanczos-3 or bicubic, built at whatever whole factor a request needs.
    case classical(ClassicalModel)
    /// A weights file (GigaGAN or AuraSR `.safetensors`, or an ncnn `.param` with its `.bin`),
    /// run at its own native scale.
    case weightsFile(path: String)

    /// The short name for messages and output names: `lanczos`, `bicubic`, or the weights file's
    /// name without `.safetensors` or `.param`.
    public var displayName: String {
        switch self {
        case .classical(let model): return model.rawValue
        case .weightsFile(let path):
            let name = path.split(separator: "/").last.map(String.init) ?? path
            for suffix in ModelCatalog.fileExtensions where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
            return name
        }
    }

    /// What the reference names, as given: the resampler's name or the file's path.
    public var spelling: String {
        switch self {
        case .classical(let model): model.rawValue
        case .weightsFile(let path): path
        }
    }

    /// Whether `text` is meant as a file's path rather than a name.
    static func looksLikePath(_ text: String) -> Bool {
        ModelCatalog.fileExtensions.contains { text.hasSuffix($0) } || text.contains("/")
    }
}

/// The classical resamplers, always available, at any whole factor up to `maximumScale`.
public enum ClassicalModel: String, Sendable, Equatable, CaseIterable {
    /// Lanczos-3.
    case lanczos
    /// Catmull-Rom bicubic.
    case bicubic

    /// The largest factor a classical model is built for.
    public static let maximumScale = 16
}
