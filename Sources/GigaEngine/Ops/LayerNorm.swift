extension Ops {
    /// Layer normalisation `(x − mean) / √(var + eps) · weight + bias` (biased variance) over the
    /// last dimension of a row-major tensor, e.g. tokens [B, T, C] — `F.layer_norm(x, (C,), weight,
    /// bias, eps)` — or over the channels of a rank-4 [N, C, H, W] map (the same applied to
    /// `x.permute(0, 2, 3, 1)`). `weight` and `bias` have C values or are nil (1 and 0). Throws on
    /// vectors of the wrong length.
    public static func layerNorm(_ input: Tensor, weight: [Float]?, bias: [Float]?, eps: Float = 1e-5) throws -> Tensor {
        let c = try featureAxisLength(input, "layerNorm")
        for (name, vector) in [("weight", weight), ("bias", bias)] {
            if let vector, vector.count != c {
                throw EngineError("layerNorm: \(name) has \(vector.count) values but the input \(input.shape) has \(c) features")
            }
        }
        guard c > 0 else { return input }
        let rows = input.count / c
        let scale = weight ?? [Float](repeating: 1, count: c)
        let shift = bias ?? [Float](repeating: 0, count: c)
        let values = [Float](unsafeUninitializedCapacity: input.count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                scale.withUnsafeBufferPointer { w in
                    shift.withUnsafeBufferPointer { b in
                        for r in 0..<rows {
                            let base = r * c
                            // Two passes (mean, then squared deviations) stay accurate for inputs
                            // far from zero, where E[x²] − E[x]² would cancel.
                            var sum: Float = 0
                            for k in 0..<c { sum += src[base + k] }
                            let mean = sum / Float(c)
                            var squares: Float = 0
                            for k in 0..<c { let d = src[base + k] - mean; squares += d * d }
                            let inverseStd = 1 / (squares / Float(c) + eps).squareRoot()
                            for k in 0..<c { out[base + k] = (src[base + k] - mean) * inverseStd * w[k] + b[k] }
                        }
                    }
                }
            }
            initialized = input.count
        }
        return Tensor(shape: input.shape, storage: values)
    }
}
