/// A buffer for the error message a C shim writes, read back as a Swift string.
struct ShimErrorBuffer {
    private var bytes = [CChar](repeating: 0, count: 512)

    /// Calls `body` with the buffer and its size; returns its status.
    mutating func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) -> Int32 {
        bytes.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    }

    /// The message written so far.
    var message: String {
        String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
