extension Ops {
    /// Bilinear resampling of a rank-4 [N, C, H, W] map to [N, C, height, width]; matches
    /// `F.interpolate(x, size=(height, width), mode='bilinear', align_corners=False)` without
    /// antialiasing, for any output size (enlarging, non-integer ratios, shrinking). With an
    /// integer factor it also equals `scale_factor=factor`. Source coordinates are
    /// `(dst + 0.5) · in/out − 0.5`, clamped at 0; the upper neighbour is clamped at the edge.
    /// Throws for a non-rank-4 input, an empty input or a non-positive output size.
    public static func upsampleBilinear(_ input: Tensor, height: Int, width: Int) throws -> Tensor {
        try requireRank4(input, "upsampleBilinear")
        let (n, c, h, w) = (input.batch, input.channels, input.height, input.width)
        guard height >= 1, width >= 1 else {
            throw EngineError("upsampleBilinear: output size must be positive, not \(height)x\(width)")
        }
        guard h >= 1, w >= 1 else { throw EngineError("upsampleBilinear: input \(input.shape) has no pixels") }
        let rowTaps = bilinearTaps(inputSize: h, outputSize: height)
        let columnTaps = bilinearTaps(inputSize: w, outputSize: width)
        let count = n * height * width * c
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                for b in 0..<n {
                    for y in 0..<height {
                        let ty = rowTaps[y]
                        let row0 = (b * h + ty.low) * w * c, row1 = (b * h + ty.high) * w * c
                        let dstRow = (b * height + y) * width * c
                        for x in 0..<width {
                            let tx = columnTaps[x]
                            let p00 = row0 + tx.low * c, p01 = row0 + tx.high * c
                            let p10 = row1 + tx.low * c, p11 = row1 + tx.high * c
                            let to = dstRow + x * c
                            for k in 0..<c {
                                out[to + k] = ty.lowWeight * (tx.lowWeight * src[p00 + k] + tx.highWeight * src[p01 + k])
                                    + ty.highWeight * (tx.lowWeight * src[p10 + k] + tx.highWeight * src[p11 + k])
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: [n, c, height, width], storage: values)
    }

    /// The two source indices and weights of each output position along one axis, computed in
    /// Float as PyTorch's CPU kernel does (`align_corners=False`).
    private static func bilinearTaps(inputSize: Int, outputSize: Int)
        -> [(low: Int, high: Int, lowWeight: Float, highWeight: Float)] {
        let scale = Float(inputSize) / Float(outputSize)
        return (0..<outputSize).map { dst in
            let source = max(scale * (Float(dst) + 0.5) - 0.5, 0)
            let low = min(Int(source), inputSize - 1)
            let high = min(low + 1, inputSize - 1)
            let highWeight = source - Float(low)
            return (low, high, 1 - highWeight, highWeight)
        }
    }
}
