import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells the user how the run goes, on standard error: a progress bar (files and tiles, with an
/// ETA) when standard error is a terminal, plain lines otherwise, JSON objects when asked.
final class ProgressReporter {
    private let options: FeedbackOptions
    private let isBatch: Bool
    private let total: Int
    private let showsBar: Bool
    private let jsonFile: UnsafeMutablePointer<FILE>?
    private let start = Date()
    private var current = 0
    private var currentName = ""
    private var tileFraction = 0.0
    private var tileText = ""
    private var tilesInFile = 0
    private var barVisible = false
    private var lastDraw = Date.distantPast
    private(set) var records: [JobRecord] = []

    /// Opens the JSON file, if any, refusing an unwritable one before any work.
    init(options: FeedbackOptions, jobCount: Int, isBatch: Bool) throws {
        self.options = options
        self.isBatch = isBatch
        self.total = jobCount
        self.showsBar = isatty(STDERR_FILENO) == 1 && !options.quiet && !options.json
        if let path = options.jsonFile {
            // Appended to, so a resumed batch keeps the earlier runs' records (each run ends
            // with its summary object); its folder may be the output folder, not made yet.
            try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                     withIntermediateDirectories: true)
            guard let file = fopen(path, "a") else {
                throw UsageError("\(path): cannot write the JSON log: \(String(cString: strerror(errno)))")
            }
            jsonFile = file
        } else {
            jsonFile = nil
        }
    }

    deinit { if let jsonFile { fclose(jsonFile) } }

    /// Human lines are replaced by JSON when `--json` writes to standard error.
    private var humanLines: Bool { !options.json }

    /// Prints a note about the run (not about one file), unless quiet.
    func note(_ message: String, verboseOnly: Bool = false) {
        guard humanLines, !options.quiet, !verboseOnly || options.verbose else { return }
        clearBar()
        Diagnostics.note(message)
        redraw(force: true)
    }

    /// A warning about the file being worked on (decoder notes, a lost alpha plane).
    func warning(_ message: String) {
        guard humanLines, !options.quiet else { return }
        clearBar()
        Diagnostics.warning(message)
        redraw(force: true)
    }

    func started(_ index: Int, input: String) {
        current = index
        currentName = input == "-" ? "<stdin>" : input
        tileFraction = 0
        tileText = ""
        tilesInFile = 0
        redraw(force: true)
    }

    func tiles(done: Int, of total: Int) {
        tileFraction = total > 0 ? Double(done) / Double(total) : 0
        tilesInFile = total
        tileText = "tile \(done)/\(total)"
        redraw(force: done == total)
    }

    func finished(_ record: JobRecord) {
        records.append(record)
        if let jsonFile { fputs(record.json() + "\n", jsonFile); fflush(jsonFile) }
        if options.json { emitLine(record.json()) }
        guard humanLines else { return }
        switch record.status {
        case .failed:
            clearBar()
            Diagnostics.error(record.message ?? "\(record.inputName): failed")
        case .done where !options.quiet && (options.verbose || (isBatch && !showsBar)):
            clearBar()
            Diagnostics.note("done \(record.inputName) -> \(record.outputName ?? "?")"
                + (record.outputSize.map { " (\($0.width)x\($0.height))" } ?? "")
                + String(format: " in %.1f s", record.seconds)
                + (options.verbose ? ", \(tilesInFile) \(tilesInFile == 1 ? "tile" : "tiles"), "
                    + (record.prompt.map { "prompt \"\(PromptSource.shortened($0))\"" } ?? "no prompt") : ""))
        case .skipped where !options.quiet && (options.verbose || (isBatch && !showsBar)):
            clearBar()
            Diagnostics.note("skipped \(record.inputName): \(record.message ?? "")")
        default:
            break
        }
        redraw(force: true)
    }

    /// The closing line of a batch: counts, the failed files, the time.
    func summary(interrupted: Bool) {
        clearBar()
        let done = records.filter { $0.status == .done }.count
        let skipped = records.filter { $0.status == .skipped }.count
        let failed = records.filter { $0.status == .failed }.map(\.inputName)
        let seconds = Date().timeIntervalSince(start)
        if options.json || jsonFile != nil {
            var object: [String: Any] = ["summary": true, "done": done, "skipped": skipped, "failed": failed.count,
                                         "failedInputs": failed, "seconds": (seconds * 1000).rounded() / 1000]
            if interrupted { object["interrupted"] = true }
            let line = JSONLine.serialize(object)
            if let jsonFile { fputs(line + "\n", jsonFile); fflush(jsonFile) }
            if options.json { emitLine(line) }
        }
        guard humanLines, interrupted || ((isBatch || options.verbose) && !options.quiet) else { return }
        var text = (interrupted ? "interrupted: " : "") + "\(done) done, \(skipped) skipped, \(failed.count) failed"
        if !failed.isEmpty { text += " (" + failed.joined(separator: ", ") + ")" }
        text += String(format: " in %.1f s", seconds)
        Diagnostics.note(text)
    }

    private func emitLine(_ line: String) { Diagnostics.raw(line + "\n") }

    // MARK: the bar

    private func redraw(force: Bool) {
        guard showsBar, current > 0 else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let fraction = min((Double(current - 1) + tileFraction) / Double(max(total, 1)), 1)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        let eta = fraction > 0.01 ? Self.clock(elapsed * (1 - fraction) / fraction) : "--:--"
        var line = "[\(bar)] \(Int(fraction * 100))% file \(current)/\(total) \(tileText) ETA \(eta) \(currentName)"
        let columns = Self.terminalColumns()
        if line.count > columns - 1 { line = String(line.prefix(columns - 1)) }
        Diagnostics.raw("\r\u{1B}[K" + line)
        barVisible = true
    }

    private func clearBar() {
        guard barVisible else { return }
        Diagnostics.raw("\r\u{1B}[K")
        barVisible = false
    }

    private static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    private static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 { return Int(size.ws_col) }
        return 80
    }
}
