extension Ops {
    /// Parametric ReLU: `x` for x > 0, `slope[c] · x` otherwise, with one slope per channel
    /// (or one slope for all); matches `F.prelu(x, weight)` on [N, C, H, W].
    /// Throws for a non-rank-4 input or a slope count that is neither 1 nor C.
    public static func prelu(_ input: Tensor, slopes: [Float]) throws -> Tensor {
        try requireRank4(input, "prelu")
        let c = input.channels
        guard slopes.count == c || slopes.count == 1 else {
            throw EngineError("prelu: \(slopes.count) slopes for \(c) channels")
        }
        var out = input
        let perChannel = slopes.count == c ? slopes : [Float](repeating: slopes[0], count: c)
        out.storage.withUnsafeMutableBufferPointer { values in
            perChannel.withUnsafeBufferPointer { slope in
                var i = 0
                while i < values.count {
                    for k in 0..<c where values[i + k] < 0 { values[i + k] *= slope[k] }
                    i += c
                }
            }
        }
        return out
    }
}
