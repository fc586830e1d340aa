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
                    let (o, xa, yb) = (out.baseAddress!, x.baseAddress!, y.baseAddress!)
                    for p in 0..<pixels {
                        let to = o + p * channels, fromA = xa + p * ca, fromB = yb + p * cb
                        for k in 0..<ca { to[k] = fromA[k] }
                        for k in 0..<cb { to[ca + k] = fromB[k] * scale }
                    }
                }
            }
        }
        return output
    }
}
