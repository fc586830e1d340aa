/// The precision an upscaler runs in, and how it was arrived at.
///
/// `ComputePrecision.auto` is decided by measurement (see `PrecisionChooser`): "has bf16
/// instructions" does not mean "bf16 is faster" — oneDNN 2.6's bf16 convolutions are twice fp32's
/// speed on AMD Zen 4 and slower than fp32 on an Intel Xeon without AMX.
public struct PrecisionChoice: Sendable, Equatable, CustomStringConvertible {
    /// How the precision was arrived at.
    public enum Basis: String, Sendable, Equatable {
        /// Asked for by name (`.fp32` or `.bf16`); nothing was measured.
        case forced
        /// `.auto`: timed on this machine just now (and stored in the cache).
        case measured
        /// `.auto`: a measurement stored earlier for the same CPU, threads, oneDNN and shapes.
        case cached
        /// `.auto` on a CPU without bf16 instructions: fp32, nothing to measure.
        case noBF16 = "no-bf16"
        /// `.auto` for a model that runs no convolutions (a classical resampler): fp32.
        case noConvolutions = "no-convolutions"
    }

    /// `.fp32` or `.bf16`, never `.auto`.
    public var precision: ComputePrecision
    /// How it was chosen.
    public var basis: Basis
    /// The timings behind a measured or cached choice.
    public var measurement: PrecisionMeasurement?
    /// The cache file read or written, if any.
    public var cacheFile: String?
    /// Why a measurement could not be stored (it is then measured again next time), if so.
    public var cacheProblem: String?
    /// Seconds the choice took: finding the shapes, reading the cache, measuring.
    public var seconds: Double

    /// Creates a choice.
    public init(precision: ComputePrecision, basis: Basis, measurement: PrecisionMeasurement? = nil,
                cacheFile: String? = nil, cacheProblem: String? = nil, seconds: Double = 0) {
        self.precision = precision
        self.basis = basis
        self.measurement = measurement
        self.cacheFile = cacheFile
        self.cacheProblem = cacheProblem
        self.seconds = seconds
    }

    /// One line for people, e.g. "bf16 (auto, measured in 0.31 s; dominant convolutions 107.2 ms
    /// fp32, 52.0 ms bf16, agreeing to 66.8 dB; saved in ~/.cache/gigascale/precision-….json)".
    public var description: String {
        var parts = [String]()
        switch basis {
        case .forced: parts.append("as asked")
        case .noBF16: parts.append("auto: this CPU has no bf16 instructions")
        case .noConvolutions: parts.append("auto: the model runs no convolutions")
        case .measured, .cached: parts.append("auto, \(basis.rawValue) in " + String(format: "%.2f s", seconds))
        }
        if let measurement { parts.append(measurement.summary) }
        if let cacheFile { parts.append((basis == .cached ? "from " : "saved in ") + cacheFile) }
        if let cacheProblem { parts.append("not cached: \(cacheProblem)") }
        return "\(precision.rawValue) (\(parts.joined(separator: "; ")))"
    }
}

/// What the automatic precision choice timed: the model's dominant convolutions, in fp32 and
/// bf16, on this machine's threads.
public struct PrecisionMeasurement: Sendable, Equatable, Codable {
    /// The convolutions timed, as "conv 3x3 20→20 @512x512 ×2" (×: calls a tile makes).
    public var shapes: [String]
    /// One tile's worth of those convolutions (each shape's best time × its calls), fp32.
    public var fp32Seconds: Double
    /// The same in bf16.
    public var bf16Seconds: Double
    /// The worst PSNR between a convolution's bf16 and fp32 outputs, in dB (peak: the largest
    /// fp32 magnitude).
    public var agreementDB: Double

    /// The least PSNR at which bf16 output counts as agreeing with fp32's, the same bar the
    /// whole model's output had to pass (`Training/eval/bf16_parity.py`; README, Performance).
    public static let agreementBarDB = 40.0
    /// bf16 must save at least this share of the fp32 time: when the two are within noise of
    /// each other, fp32 (the reference, without rounding) wins.
    public static let requiredSaving = 0.10

    /// Creates a measurement.
    public init(shapes: [String], fp32Seconds: Double, bf16Seconds: Double, agreementDB: Double) {
        self.shapes = shapes
        self.fp32Seconds = fp32Seconds
        self.bf16Seconds = bf16Seconds
        self.agreementDB = agreementDB
    }

    /// bf16 when its outputs agree and it is at least `requiredSaving` faster; fp32 otherwise.
    public var verdict: ComputePrecision {
        agreementDB >= Self.agreementBarDB && bf16Seconds <= fp32Seconds * (1 - Self.requiredSaving) ? .bf16 : .fp32
    }

    /// E.g. "dominant convolutions 61.2 ms fp32, 37.0 ms bf16, agreeing to 58.1 dB".
    var summary: String {
        func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
        return "dominant convolutions \(ms(fp32Seconds)) fp32, \(ms(bf16Seconds)) bf16, agreeing to \(String(format: "%.1f", agreementDB)) dB"
    }
}
