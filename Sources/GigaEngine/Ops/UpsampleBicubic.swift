/// PyTorch's bicubic upsampling (the GigaGAN generator's colour anchor): it matches
/// `F.interpolate(x, size=(H·s, W·s), mode="bicubic", align_corners=False)` (no antialias), which
/// is not the same as an image library's bicubic (GigaImage's Pillow-style resampler filters
/// differently at the edges and when shrinking).
///
/// Separable; per axis and output index `d`:
/// `src = (d + 0.5) / s − 0.5` (not clamped), `i0 = floor(src)`, `t = src − i0`; taps
/// `i0−1 … i0+2` with indices clamped to `[0, n−1]`, weights `W(1+t), W(t), W(1−t), W(2−t)` of
/// Keys' cubic with A = −0.75. The result is not clamped (it may leave [0, 1]).
extension Ops {
    /// Upsamples a rank-4 [N, C, H, W] tensor by the integer `scale` to [N, C, H·scale, W·scale].
    /// - Throws: `EngineError` for a non-rank-4 input, an empty one or a scale below 1.
    public static func upsampleBicubic(_ input: Tensor, scale: Int) throws -> Tensor {
        guard input.shape.count == 4, input.count > 0 else {
            throw EngineError("bicubic upsampling expects a non-empty [N, C, H, W] tensor, got \(input.shape)")
        }
        guard scale >= 1 else { throw EngineError("bicubic upsampling needs a scale >= 1, not \(scale)") }
        let (n, c, h, w) = (input.batch, input.channels, input.height, input.width)
        let (outH, outW) = (h * scale, w * scale)
        let rows = BicubicTaps.along(inputSize: h, outputSize: outH)
        let columns = BicubicTaps.along(inputSize: w, outputSize: outW)
        // Horizontal pass into [N, H, outW, C], then vertical into [N, outH, outW, C] (NHWC).
        var horizontal = [Float](repeating: 0, count: n * h * outW * c)
        input.storage.withUnsafeBufferPointer { src in
            horizontal.withUnsafeMutableBufferPointer { dst in
                for b in 0..<n {
                    for y in 0..<h {
                        let srcRow = (b * h + y) * w * c, dstRow = (b * h + y) * outW * c
                        for x in 0..<outW {
                            let tap = columns[x]
                            let p0 = srcRow + tap.index.0 * c, p1 = srcRow + tap.index.1 * c
                            let p2 = srcRow + tap.index.2 * c, p3 = srcRow + tap.index.3 * c
                            let to = dstRow + x * c
                            for k in 0..<c {
                                dst[to + k] = src[p0 + k] * tap.weight.0 + src[p1 + k] * tap.weight.1
                                    + src[p2 + k] * tap.weight.2 + src[p3 + k] * tap.weight.3
                            }
                        }
                    }
                }
            }
        }
        let rowLength = outW * c
        let count = n * outH * rowLength
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            horizontal.withUnsafeBufferPointer { src in
                for b in 0..<n {
                    for y in 0..<outH {
                        let tap = rows[y]
                        let r0 = (b * h + tap.index.0) * rowLength, r1 = (b * h + tap.index.1) * rowLength
                        let r2 = (b * h + tap.index.2) * rowLength, r3 = (b * h + tap.index.3) * rowLength
                        // Pointers rather than checked index sums, so the loop vectorises.
                        let to = out.baseAddress! + (b * outH + y) * rowLength, base = src.baseAddress!
                        let (s0, s1, s2, s3) = (base + r0, base + r1, base + r2, base + r3)
                        let (w0, w1, w2, w3) = tap.weight
                        for e in 0..<rowLength {
                            to[e] = s0[e] * w0 + s1[e] * w1 + s2[e] * w2 + s3[e] * w3
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: [n, c, outH, outW], storage: values)
    }
}

/// The taps of PyTorch's bicubic interpolation along one axis.
enum BicubicTaps {
    /// Keys' cubic-convolution parameter used by PyTorch.
    static let a: Float = -0.75

    typealias Tap = (index: (Int, Int, Int, Int), weight: (Float, Float, Float, Float))

    /// The four clamped source indices and Keys weights of every output position along one axis.
    static func along(inputSize: Int, outputSize: Int) -> [Tap] {
        let ratio = Float(inputSize) / Float(outputSize)
        return (0..<outputSize).map { d in
            let source = ratio * (Float(d) + 0.5) - 0.5
            let floorSource = source.rounded(.down)
            let i0 = Int(floorSource)
            let t = source - floorSource
            func clamp(_ i: Int) -> Int { min(max(i, 0), inputSize - 1) }
            return ((clamp(i0 - 1), clamp(i0), clamp(i0 + 1), clamp(i0 + 2)),
                    (far(t + 1), near(t), near(1 - t), far(2 - t)))
        }
    }

    /// Keys' cubic for |x| ≤ 1: ((A + 2)|x| − (A + 3))x² + 1.
    @inline(__always)
    static func near(_ x: Float) -> Float { ((a + 2) * x - (a + 3)) * x * x + 1 }

    /// Keys' cubic for 1 < |x| < 2: ((A|x| − 5A)|x| + 8A)|x| − 4A.
    @inline(__always)
    static func far(_ x: Float) -> Float { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
}
