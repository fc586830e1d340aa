import Foundation
import GigaEngine

/// Standard-normal noise that is a pure function of (seed, channel, absolute pixel position), so
/// two tiles that overlap see exactly the same noise there, whatever the tiling.
public struct PositionalNoise: Sendable {
    /// The image's seed.
    public let seed: UInt64

    /// Creates the noise field for `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// The noise value at channel `c`, row `y`, column `x` of the padded low-resolution image.
    @inlinable
    public func value(channel c: Int, y: Int, x: Int) -> Float {
        let key = seed ^ (UInt64(truncatingIfNeeded: c) &* 0x9E37_79B9_7F4A_7C15)
            ^ (UInt64(truncatingIfNeeded: y) &* 0xC2B2_AE3D_27D4_EB4F) ^ (UInt64(truncatingIfNeeded: x) &* 0x1656_67B1_9E37_79F9)
        let a = SplitMix64.mix(key), b = SplitMix64.mix(key ^ 0xD6E8_FEB8_6659_FD93)
        // Box–Muller on two uniforms in (0, 1].
        let u1 = (Double(a >> 11) + 1) / 9_007_199_254_740_992.0
        let u2 = Double(b >> 11) / 9_007_199_254_740_992.0
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
