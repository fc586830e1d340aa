import Foundation

/// Follows a running `gigascale`'s `--json-file` log and reads the process's memory from
/// /proc/PID/status as soon as the log shows a given number of finished files; the sample for
/// "after N files" is thus taken while file N+1 has just started.
final class RecordWatcher: @unchecked Sendable {
    struct Sample {
        /// Records in the log when the sample was taken (at least the mark asked for).
        let records: Int
        /// Resident set size (VmRSS) and its high-water mark so far (VmHWM), in KiB.
        let rssKiB: Int
        let peakKiB: Int
    }

    private let pid: Int32
    private let log: FileHandle
    private let marks: [Int]
    private let lock = NSLock()
    private var samplesByMark: [Int: Sample] = [:]
    private var stopped = false
    private var thread: Thread?

    /// Watches `logPath` (which must exist already; the program truncates it in place) for `pid`,
    /// sampling once the log holds each of `marks` lines.
    init(pid: Int32, logPath: String, marks: [Int]) throws {
        guard let log = FileHandle(forReadingAtPath: logPath) else { throw LoadTestError("cannot read \(logPath)") }
        self.pid = pid
        self.log = log
        self.marks = marks.sorted()
    }

    func start() {
        let thread = Thread { [self] in poll() }
        self.thread = thread
        thread.start()
    }

    /// Stops polling (call once the process has exited) and returns the samples by mark.
    func finish() -> [Int: Sample] {
        lock.withLock { stopped = true }
        while thread?.isFinished == false { usleep(1000) }
        return lock.withLock { samplesByMark }
    }

    private func poll() {
        var lines = 0
        var pending = marks[...]
        while !lock.withLock({ stopped }) {
            let data = log.availableData
            lines += data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            if let next = pending.first, lines >= next, let memory = Self.memory(of: pid) {
                let sample = Sample(records: lines, rssKiB: memory.rss, peakKiB: memory.peak)
                lock.withLock {
                    while let mark = pending.first, mark <= lines {
                        samplesByMark[mark] = sample
                        pending.removeFirst()
                    }
                }
            }
            if data.isEmpty { usleep(500) }
        }
    }

    /// VmRSS and VmHWM of a live process, in KiB; nil once it has exited.
    static func memory(of pid: Int32) -> (rss: Int, peak: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.count >= 2 ? Int(words[1]) : nil
        }
        guard let rss = field("VmRSS"), let peak = field("VmHWM") else { return nil }
        return (rss, peak)
    }
}
