import GigaEngine

/// Resolves a requested `ComputePrecision` to fp32 or bf16.
///
/// `.fp32` and `.bf16` are taken as asked. `.auto` is fp32 on a CPU without bf16 instructions;
/// elsewhere it times the model's own dominant convolutions (`PrecisionProbe`: the few
/// largest-FLOP convolution shapes of one tile, random weights, fp32 against bf16 on the threads
/// each tile worker gets) and takes bf16 only when it is at least
/// `PrecisionMeasurement.requiredSaving` faster and its outputs agree with fp32's to
/// `PrecisionMeasurement.agreementBarDB`. The verdict is cached (`PrecisionCache`) under the CPU,
/// threads, oneDNN and shapes, so a machine measures once; the measurement itself takes well under
/// a second (the shape census runs the model's glue on one tile, not its convolutions), and the
/// census is cached too, under the model's architecture, so a cached verdict costs a file read.
public struct PrecisionChooser {
    /// Where verdicts are kept.
    public var cache: PrecisionCache
    /// Whether bf16 can run here at all (the engine's view of the CPU; replaceable in tests).
    var cpuHasBF16: Bool
    /// Times the shapes on the given threads (replaceable in tests).
    var measure: ([ConvolutionCensus.Entry], Int) throws -> PrecisionMeasurement

    /// A chooser that measures on this machine and caches in `cache`.
    public init(cache: PrecisionCache = PrecisionCache()) {
        self.init(cache: cache, cpuHasBF16: ComputeContext.supportsBF16, measure: PrecisionProbe.measure)
    }

    init(cache: PrecisionCache, cpuHasBF16: Bool,
         measure: @escaping ([ConvolutionCensus.Entry], Int) throws -> PrecisionMeasurement) {
        self.cache = cache
        self.cpuHasBF16 = cpuHasBF16
        self.measure = measure
    }

    /// The precision for `model` run in `tileSize` tiles on `threads` threads per tile worker.
    /// The census of the model's convolutions is kept in the cache under its `architecture` and
    /// the tile size, where the model states one.
    public func choose(_ requested: ComputePrecision, for model: TileModel, tileSize: Int, seed: UInt64 = 0,
                       threads: Int) throws -> PrecisionChoice {
        let censusKey = model.architecture.map { CensusKey(architecture: $0, tileSize: tileSize) }
        return try choose(requested, threads: threads) {
            if let censusKey, let shapes = cache.loadCensus(censusKey) { return shapes }
            let shapes = try PrecisionProbe.dominantConvolutions(of: model, tileSize: tileSize, seed: seed)
            if let censusKey { cache.storeCensus(shapes, for: censusKey) }
            return shapes
        }
    }

    /// `choose(_:for:tileSize:seed:threads:)` with the shapes coming from `dominantShapes`,
    /// which is called only when there is something to measure.
    func choose(_ requested: ComputePrecision, threads: Int,
                dominantShapes: () throws -> [ConvolutionCensus.Entry]) throws -> PrecisionChoice {
        switch requested {
        case .fp32, .bf16: return PrecisionChoice(precision: requested, basis: .forced)
        case .auto: break
        }
        guard cpuHasBF16 else { return PrecisionChoice(precision: .fp32, basis: .noBF16) }
        let clock = ContinuousClock(), start = clock.now
        func elapsed() -> Double { PrecisionProbe.seconds(clock.now - start) }
        let shapes = try dominantShapes()
        guard !shapes.isEmpty else { return PrecisionChoice(precision: .fp32, basis: .noConvolutions) }
        let key = PrecisionKey(threads: threads, shapes: shapes.map(PrecisionProbe.label))
        let file = cache.path(for: key)
        if let stored = cache.load(key) {
            return PrecisionChoice(precision: stored.verdict, basis: .cached, measurement: stored, cacheFile: file, seconds: elapsed())
        }
        let measured = try measure(shapes, threads)
        let problem = cache.store(measured, for: key)
        return PrecisionChoice(precision: measured.verdict, basis: .measured, measurement: measured,
                               cacheFile: problem == nil ? file : nil, cacheProblem: problem, seconds: elapsed())
    }
}
