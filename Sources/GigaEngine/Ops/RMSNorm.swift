extension Ops {
    /// RMS normalisation as in GigaGAN (lucidrains' `RMSNorm`):
    /// `F.normalize(x, dim) · gamma · √C`, i.e. `x / max(‖x‖₂, 1e-12) · gamma · √C`, with the norm
    /// taken over the channels of a rank-4 [N, C, H, W] map (PyTorch `dim=1`) or over the last
    /// dimension of any other tensor, e.g. tokens [B, T, C]. `gamma` has C values. The layer's own
    /// `eps` attribute is unused by that module, so there is none here. Throws on a `gamma` of the
    /// wrong length.
    public static func rmsNorm(_ input: Tensor, gamma: [Float]) throws -> Tensor {
        let c = try featureAxisLength(input, "rmsNorm")
        guard gamma.count == c else {
            throw EngineError("rmsNorm: gamma has \(gamma.count) values but the input \(input.shape) has \(c) features")
        }
        guard c > 0 else { return input }
        let rows = input.count / c
        let root = Float(c).squareRoot()
        let scaledGamma = gamma.map { $0 * root }
        let values = [Float](unsafeUninitializedCapacity: input.count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                scaledGamma.withUnsafeBufferPointer { g in
                    for r in 0..<rows {
                        let base = r * c
                        var sumOfSquares: Float = 0
                        for k in 0..<c { sumOfSquares += src[base + k] * src[base + k] }
                        let inverse = 1 / max(sumOfSquares.squareRoot(), 1e-12)
                        for k in 0..<c { out[base + k] = src[base + k] * inverse * g[k] }
                    }
                }
            }
            initialized = input.count
        }
        return Tensor(shape: input.shape, storage: values)
    }
}
