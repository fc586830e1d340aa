import GigaEngine

/// Element-wise glue of the generator that oneDNN has no primitive for, on rank-4 tensors stored
/// NHWC (channels innermost).
enum ElementwiseKernels {
    /// `torch.cat([a, b · scale], dim=1)` in one pass: every pixel's channels of `a`, then those
    /// of `b` multiplied by `scale`.
    static func concatChannels(_ a: Tensor, _ b: Tensor, scalingSecondBy scale: Float) throws -> Tensor {
        guard a.shape.count == 4, b.shape.count == 4, a.batch == b.batch, a.height == b.height, a.width == b.width else {
            throw ModelError("cannot concatenate \(a.shape) and \(b.shape) along channels")
        }
        let (ca, cb) = (a.channels, b.channels), pixels = a.batch * a.height * a.width
        let channels = ca + cb
        var output = Tensor(uninitialized: [a.batch, channels, a.height, a.width])
        a.storage.withUnsafeBufferPointer { x in
            b.storage.withUnsafeBufferPointer { y in
                output.storage.withUnsafeMutableBufferPointer { out in
                    for p in 0..<pixels {
                        let to = p * channels, fromA = p * ca, fromB = p * cb
                        for k in 0..<ca { out[to + k] = x[fromA + k] }
                        for k in 0..<cb { out[to + ca + k] = y[fromB + k] * scale }
                    }
                }
            }
        }
        return output
    }
}
