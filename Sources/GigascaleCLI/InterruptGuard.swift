import Dispatch
import Foundation
import GigaImage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT and SIGTERM into a clean stop with exit status 130.
///
/// While an output is open (its temporary file exists), a signal cancels the running task: the
/// upscaler notices at the next tile, the writer is cancelled (its temporary file removed) and the
/// run ends with 130. While no output is open there is nothing to clean up, so the process exits
/// at once. A second signal always exits at once.
final class InterruptGuard: @unchecked Sendable {
    static let shared = InterruptGuard()

    private let lock = NSLock()
    private var interrupted = false
    private var openWriters = 0
    private var task: Task<Void, Never>?
    private var sources: [DispatchSourceSignal] = []

    /// Whether a signal has arrived.
    var wasInterrupted: Bool { lock.withLock { interrupted } }

    /// Starts listening for SIGINT and SIGTERM (until the work runs, a signal exits at once).
    func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.signalArrived() }
            source.resume()
            sources.append(source)
        }
    }

    /// The task a signal cancels while an output is open.
    func cancelOnSignal(_ task: Task<Void, Never>) {
        lock.withLock { self.task = task }
    }

    private func signalArrived() {
        lock.lock()
        defer { lock.unlock() }
        if interrupted || openWriters == 0 { Foundation.exit(ExitStatus.interrupted) }
        interrupted = true
        task?.cancel()
    }

    /// Opens a writer unless a signal has arrived; the signal handler will not exit the process
    /// under it until `close` is called (after it finished or was cancelled).
    func open(_ makeWriter: () throws -> ImageWriter) throws -> ImageWriter {
        try lock.withLock {
            if interrupted { throw CancellationError() }
            let writer = try makeWriter()
            openWriters += 1
            return writer
        }
    }

    /// Marks a writer from `open` as finished or cancelled.
    func close() { lock.withLock { openWriters -= 1 } }
}
