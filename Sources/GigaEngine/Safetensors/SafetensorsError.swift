/// Why a safetensors file could not be read or written. `description` names the file.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file concerned.
    public var path: String
    /// What is wrong, in words.
    public var detail: String

    /// Creates an error.
    public init(path: String, _ detail: String) {
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}
