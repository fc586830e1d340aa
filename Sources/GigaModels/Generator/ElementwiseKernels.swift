import Foundation
import GigaEngine

/// Element-wise passes of the residual blocks on rank-4 tensors stored NHWC (channels innermost),
/// each computed in the same order as the PyTorch twin.
///
/// SiLU runs on every pixel of the high-resolution stages, where the libm `exp` of the engine's
/// `Ops.silu` took about a quarter of a tile's time; here `exp` is a polynomial without a libm
/// call (within 2e-7 relative of libm's).
enum ElementwiseKernels {
    /// `silu(x) = x / (1 + e^-x)`, as `F.silu`.
    static func silu(_ x: Tensor) -> Tensor {
        var values = x.storage
        values.withUnsafeMutableBufferPointer { siluInPlace($0) }
        return Tensor(shape: x.shape, storage: values)
    }

    /// `silu(x + bias[c])`, i.e. `F.silu(conv(x) + bias)`.
    static func addBiasSiLU(_ x: Tensor, bias: [Float]) -> Tensor {
        let c = x.channels, count = x.count
        var values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            x.storage.withUnsafeBufferPointer { src in
                bias.withUnsafeBufferPointer { b in
                    var i = 0
                    while i < count {
                        for k in 0..<c { out[i + k] = src[i + k] + b[k] }
                        i += c
                    }
                }
            }
            initialized = count
        }
        values.withUnsafeMutableBufferPointer { siluInPlace($0) }
        return Tensor(shape: x.shape, storage: values)
    }

    /// `(skip + (branch + bias[c])) · gain`, the end of a residual block.
    static func residual(skip: Tensor, branch: Tensor, bias: [Float], gain: Float) throws -> Tensor {
        guard skip.shape == branch.shape else {
            throw ModelError("residual block: skip \(skip.shape) and branch \(branch.shape) differ")
        }
        let c = branch.channels, count = branch.count
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            skip.storage.withUnsafeBufferPointer { s in
                branch.storage.withUnsafeBufferPointer { h in
                    bias.withUnsafeBufferPointer { b in
                        var i = 0
                        while i < count {
                            for k in 0..<c { out[i + k] = (s[i + k] + (h[i + k] + b[k])) * gain }
                            i += c
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: branch.shape, storage: values)
    }

    /// SiLU of every element, in place.
    static func siluInPlace(_ values: UnsafeMutableBufferPointer<Float>) {
        for i in values.indices { values[i] = silu(values[i]) }
    }

    /// `v / (1 + e^-v)`; e^-v is infinite below v = −88 (so the result is −0 as with libm, not
    /// v · e^-88).
    @inline(__always)
    static func silu(_ v: Float) -> Float {
        let e = v < -88 ? Float.infinity : exp(-v)
        return v / (1 + e)
    }

    /// e^x without a libm call (about twice as fast as `expf` here, within 2e-7 relative of it).
    /// Inputs are clamped to [−88, 88] (enough for SiLU). x = n·ln2 + r with |r| ≤ ln2/2: adding
    /// 1.5·2²³ rounds x·log2(e) to the integer n (to nearest even) and leaves n in the low
    /// mantissa bits; ln2 is split into a high part, exact in n·ln2_hi, and a low correction;
    /// e^r is its degree-7 Taylor polynomial (truncation below 6e-9 relative); the result is
    /// scaled by 2^n through the exponent bits.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let clamped = min(max(x, -88), 88)
        let shifted = clamped * 1.442_695_040_888_963_4 + 12_582_912
        let n = shifted - 12_582_912
        let r = (clamped - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187_045e-6
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        return p * Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
    }
}
