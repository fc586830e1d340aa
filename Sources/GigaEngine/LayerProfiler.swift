import Foundation

/// Records where a forward pass spends its time: every oneDNN primitive call by layer name, and
/// whole stages marked by the model, so that the time outside oneDNN (reorders of our own,
/// element-wise glue, attention, blending) shows as the difference.
///
/// Attach one to a `ComputeContext` (`context.profiler`) for a measured run; without one the
/// layers only pay for a nil check. Not thread-safe: profile one context on one thread.
public final class LayerProfiler: @unchecked Sendable {
    /// One layer's or stage's totals over the calls recorded.
    public struct Entry: Sendable {
        /// The layer's weights name (e.g. "decoder.5.blocks.0.conv1") or the stage's name.
        public let name: String
        /// What ran: "conv 3x3 20→20 @512x512", "matmul 64x128→256", "silu", or "stage".
        public let kind: String
        /// Seconds spent, summed over calls.
        public var seconds: Double
        /// Floating-point operations done, summed over calls (0 where not counted).
        public var flops: Double
        /// Number of calls.
        public var calls: Int
    }

    /// Which clock to read: wall time, or the process's CPU time (robust on a busy machine when
    /// everything runs on one thread).
    public enum Clock: Sendable { case wall, processCPU }

    /// The clock used.
    public let clock: Clock
    /// oneDNN primitive calls, by layer, in the order they first ran.
    public private(set) var layers: [Entry] = []
    /// Stages marked with `measureStage`, in the order they first ran.
    public private(set) var stages: [Entry] = []
    private var layerIndex: [String: Int] = [:]
    private var stageIndex: [String: Int] = [:]
    /// The stage currently being measured, whose primitives are summed into `primitiveSecondsByStage`.
    private var currentStage: String?
    /// Seconds inside oneDNN primitives during each stage.
    public private(set) var primitiveSecondsByStage: [String: Double] = [:]

    public init(clock: Clock = .wall) { self.clock = clock }

    /// The current reading of the chosen clock, in seconds.
    public func now() -> Double {
        var time = timespec()
        clock_gettime(clock == .wall ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Runs `body`, a whole stage of the model, and adds its time under `name`.
    public func measureStage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let outer = currentStage
        currentStage = name
        defer { currentStage = outer }
        let start = now()
        let result = try body()
        add(&stages, &stageIndex, name: name, kind: "stage", seconds: now() - start, flops: 0)
        return result
    }

    /// Runs `body`, one oneDNN primitive call of layer `name`, and adds its time.
    @inline(__always)
    func measurePrimitive<T>(_ name: String, kind: @autoclosure () -> String, flops: Double, _ body: () throws -> T) rethrows -> T {
        let start = now()
        let result = try body()
        let seconds = now() - start
        add(&layers, &layerIndex, name: name, kind: kind(), seconds: seconds, flops: flops)
        if let currentStage { primitiveSecondsByStage[currentStage, default: 0] += seconds }
        return result
    }

    private func add(_ entries: inout [Entry], _ index: inout [String: Int], name: String, kind: String,
                     seconds: Double, flops: Double) {
        if let i = index[name] {
            entries[i].seconds += seconds; entries[i].flops += flops; entries[i].calls += 1
        } else {
            index[name] = entries.count
            entries.append(Entry(name: name, kind: kind, seconds: seconds, flops: flops, calls: 1))
        }
    }
}

extension ComputeContext {
    /// Runs `body` as the stage `name` when a profiler is attached; otherwise just runs it.
    @inline(__always)
    public func stage<T>(_ name: @autoclosure () -> String, _ body: () throws -> T) rethrows -> T {
        guard let profiler else { return try body() }
        return try profiler.measureStage(name(), body)
    }

    /// Runs `body`, one oneDNN call of layer `name`, timing it when a profiler is attached (the
    /// description and FLOP count are only worked out then).
    @inline(__always)
    func primitive<T>(_ name: String, kind: @autoclosure () -> String, flops: @autoclosure () -> Double,
                      _ body: () throws -> T) rethrows -> T {
        guard let profiler else { return try body() }
        return try profiler.measurePrimitive(name, kind: kind(), flops: flops(), body)
    }
}
