import Foundation
import Testing

/// Runs the built `gigascale` under a watchdog: a run still going after `limit` seconds is killed
/// and recorded as a test failure, so a hang fails the test instead of stalling the suite.
enum Watchdog {
    static let limit: TimeInterval = 60

    struct Result {
        var status: Int32
        var terminatedBySignal: Bool
        var stderr: String
        var timedOut: Bool

        /// The error lines `gigascale` printed.
        var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("gigascale: error: ") } }
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["GIGASCALE_MODEL": "lanczos"].merging(environment) { $1 }) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return try watch(process, stderr: err, sourceLocation: sourceLocation)
    }

    /// Waits for `process` (started, its stderr set to `stderr`), killing it after `limit` seconds.
    static func watch(_ process: Process, stderr: Pipe, sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async { errData = stderr.fileHandleForReading.readDataToEndOfFile(); finished.signal() }
        let timedOut = finished.wait(timeout: .now() + limit) == .timedOut
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            Issue.record("gigascale ran for more than \(Int(limit)) s: \(process.arguments ?? [])", sourceLocation: sourceLocation)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, terminatedBySignal: process.terminationReason == .uncaughtSignal,
                      stderr: String(decoding: errData, as: UTF8.self), timedOut: timedOut)
    }

    /// The bytes of every regular file under `folder` (relative path -> bytes), to prove
    /// inputs are byte-identical after a run.
    static func contents(under folder: URL) -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let entry = enumerator?.nextObject() as? String {
            let path = folder.appendingPathComponent(entry).path
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let data = FileManager.default.contents(atPath: path) {
                result[entry] = data
            }
        }
        return result
    }
}
