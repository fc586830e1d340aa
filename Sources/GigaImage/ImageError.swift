/// A failure to read or write an image, naming the file and the reason.
///
/// `description` reads like "photo.png: truncated PNG data after 4096 of 10223 bytes".
public struct ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The broad class of failure, for callers that branch on it.
    public enum Reason: String, Sendable, Equatable {
        /// The bytes are none of the supported formats.
        case unknownFormat
        /// The file ends before the image does.
        case truncated
        /// The data contradicts its own format (bad CRC, impossible header, broken stream).
        case corrupt
        /// Valid data that Gigascale does not handle (e.g. a 12-bit JPEG).
        case unsupported
        /// Dimensions over the configured safety limits (including decompression bombs).
        case tooLarge
        /// The operating system refused a read or write.
        case io
        /// An encoder was given something it cannot write.
        case invalidArgument
    }

    /// The broad class of failure.
    public var reason: Reason
    /// The file the error concerns: a path, "<stdin>", "<stdout>" or "<memory>".
    public var source: String
    /// The specific reason, in words.
    public var detail: String

    /// Creates an error; `source` defaults to "<memory>" and is usually set by the reader or writer.
    public init(_ reason: Reason, _ detail: String, source: String = "<memory>") {
        self.reason = reason
        self.detail = detail
        self.source = source
    }

    public var description: String { "\(source): \(detail)" }

    /// The same error attributed to another source (readers relabel errors thrown by codecs).
    public func attributed(to source: String) -> ImageError {
        var copy = self
        copy.source = source
        return copy
    }
}
