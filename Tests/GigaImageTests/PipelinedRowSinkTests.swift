import Foundation
import Testing
@testable import GigaImage

/// The background-thread sink: order, completion, failures and abandoning.
@Suite struct PipelinedRowSinkTests {
    /// Records bands; fails on the band numbered `failAt`, if any.
    final class Recorder: ImageRowSink, @unchecked Sendable {
        struct Failure: Error {}
        let lock = NSLock()
        var bands: [Float] = []
        var finished = false
        var failAt: Int?
        init(failAt: Int? = nil) { self.failAt = failAt }
        func write(_ band: Image) throws {
            Thread.sleep(forTimeInterval: 0.001)   // slower than the producer, so the queue fills
            lock.lock(); defer { lock.unlock() }
            if bands.count == failAt { throw Failure() }
            bands.append(band.planes[0][0])
        }
        func finish() throws { lock.lock(); finished = true; lock.unlock() }
    }

    static func band(_ value: Float) -> Image {
        Image(width: 2, height: 1, planes: [[value, value]])
    }

    @Test func everyBandArrivesInOrderAndTheSinkIsFinished() throws {
        let recorder = Recorder()
        let sink = PipelinedRowSink(recorder, capacity: 2)
        for k in 0..<50 { try sink.write(Self.band(Float(k))) }
        try sink.finish()
        #expect(recorder.bands == (0..<50).map(Float.init))
        #expect(recorder.finished)
    }

    @Test func aDownstreamFailureReachesTheProducerAndNothingIsFinished() throws {
        let recorder = Recorder(failAt: 3)
        let sink = PipelinedRowSink(recorder, capacity: 1)
        #expect(throws: Recorder.Failure.self) {
            for k in 0..<50 { try sink.write(Self.band(Float(k))) }
            try sink.finish()
        }
        #expect(recorder.bands == [0, 1, 2])
        #expect(!recorder.finished)
    }

    @Test func abandoningStopsWithoutFinishing() throws {
        let recorder = Recorder()
        let sink = PipelinedRowSink(recorder, capacity: 4)
        for k in 0..<4 { try sink.write(Self.band(Float(k))) }
        sink.abandon()
        let written = recorder.bands
        #expect(written == (0..<written.count).map(Float.init))
        #expect(!recorder.finished)
        Thread.sleep(forTimeInterval: 0.02)
        #expect(recorder.bands == written)   // nothing is written after abandon returns
    }
}
