/// A failure inside the inference engine: a oneDNN call, a shape mismatch, a missing weight.
public struct EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, in words.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Calls a shim function that fills an error buffer, turning a non-zero status into `EngineError`.
@inline(__always)
func checkedShimCall(_ context: String, _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
    var buffer = [CChar](repeating: 0, count: 512)
    let status = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    if status != 0 {
        let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw EngineError("\(context): \(message)")
    }
}
