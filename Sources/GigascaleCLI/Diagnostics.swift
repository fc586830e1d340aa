#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Messages for people go to standard error, never standard output (which may carry image bytes).
enum Diagnostics {
    static func error(_ message: String) { emit("gigascale: error: \(message)\n") }
    static func warning(_ message: String) { emit("gigascale: warning: \(message)\n") }
    static func note(_ message: String) { emit("gigascale: \(message)\n") }

    private static func emit(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + offset, bytes.count - offset) }
            if n <= 0 { if errno == EINTR { continue } else { return } }
            offset += n
        }
    }
}
