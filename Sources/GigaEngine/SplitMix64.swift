/// SplitMix64 (Steele, Lea and Flood): a tiny, fast, fixed-seed random number generator.
///
/// Gigascale uses it wherever a run must repeat exactly: the generator's positional noise, the
/// benchmark's load-test corpus and the engine's property tests. Not for anything that needs
/// unpredictability.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.finalize(state)
    }

    /// SplitMix64 of one value without a sequence: a bijective mix of 64 bits, for hashing a key
    /// (such as a pixel position) straight to random bits.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        finalize(value &+ increment)
    }

    @usableFromInline static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inlinable
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
