import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Messages for people go to standard error, never standard output (which may carry image bytes),
/// one line each: line breaks inside a message (some C libraries write them) become spaces, so
/// every message stays one greppable line.
enum Diagnostics {
    static func error(_ message: String) { emit("gigascale: error: \(oneLine(message))\n") }
    static func warning(_ message: String) { emit("gigascale: warning: \(oneLine(message))\n") }
    static func note(_ message: String) { emit("gigascale: \(oneLine(message))\n") }

    /// Text exactly as given (ArgumentParser's usage messages, progress bars).
    static func raw(_ text: String) { emit(text) }

    private static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

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
