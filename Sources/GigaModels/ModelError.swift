/// Why a model could not be loaded or run: a missing or misshapen tensor, a bad config, a
/// weights file of an unknown kind. `description` names the file where one is involved.
public struct ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, in words.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
