import Foundation

/// Passes bands to another sink on a thread of its own, so that encoding (zlib, JPEG, TIFF
/// strips) one band overlaps producing the next instead of stalling the producer.
///
/// Bands are handed over in order through a queue of at most `capacity` bands, so memory stays
/// bounded whatever the image's height. A failure of the downstream sink is thrown by the next
/// `write` or by `finish`. Call `finish` after the last band, or `abandon` to stop early; either
/// returns only once the background thread has stopped touching the downstream sink.
public final class PipelinedRowSink: ImageRowSink, @unchecked Sendable {
    private let downstream: ImageRowSink
    private let capacity: Int
    private let condition = NSCondition()
    private var queue: [Image] = []
    private var failure: Error?
    private var closed = false
    private var workerDone = false

    /// Starts the background thread that writes into `downstream`.
    public init(_ downstream: ImageRowSink, capacity: Int = 2) {
        precondition(capacity >= 1, "the queue must hold at least one band")
        self.downstream = downstream
        self.capacity = capacity
        let thread = Thread { [self] in drainQueue() }
        thread.name = "gigascale-encode"
        thread.start()
    }

    /// Queues `band`, waiting while the queue is full; throws the downstream sink's failure, if any.
    public func write(_ band: Image) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && failure == nil && !workerDone { condition.wait() }
        if let failure { throw failure }
        precondition(!closed, "write after finish or abandon")
        queue.append(band)
        condition.broadcast()
    }

    /// Waits until every queued band is written, then finishes the downstream sink.
    public func finish() throws {
        stop(droppingQueuedBands: false)
        if let failure { throw failure }
        try downstream.finish()
    }

    /// Drops the bands not yet written and waits for the one in flight; the downstream sink is
    /// not finished (its owner cancels it).
    public func abandon() {
        stop(droppingQueuedBands: true)
    }

    private func stop(droppingQueuedBands: Bool) {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        if droppingQueuedBands { queue.removeAll() }
        condition.broadcast()
        while !workerDone { condition.wait() }
    }

    private func drainQueue() {
        condition.lock()
        while true {
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty { break }
            let band = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                try downstream.write(band)
                condition.lock()
            } catch {
                condition.lock()
                failure = error
                queue.removeAll()
                break
            }
        }
        workerDone = true
        condition.broadcast()
        condition.unlock()
    }
}
