import ArgumentParser

/// The exit statuses `gigascale` promises scripts (see EXIT STATUS in the manual page).
enum ExitStatus {
    /// Every input was done (or skipped on purpose).
    static let success: Int32 = 0
    /// Some inputs failed; the others were done and the summary names the failures.
    static let someFailed: Int32 = 1
    /// The command line cannot be carried out; nothing was done.
    static let usage: Int32 = 2
    /// SIGINT or SIGTERM stopped the run (128 + SIGINT, the shell's convention).
    static let interrupted: Int32 = 130
}

/// A command line that cannot be carried out, found before any work: a missing input, an
/// unwritable output folder, a flag we cannot honour. Exits with status 2 and one line naming
/// the culprit, without the usage text that a parse error prints.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
