extension Ops {
    /// Depth-to-space: [N, C·r², H, W] → [N, C, H·r, W·r] with
    /// `out[n, c, y·r + i, x·r + j] = in[n, c·r² + i·r + j, y, x]`; matches `nn.PixelShuffle(r)`.
    /// Throws for a non-rank-4 input, a factor below 1 or a channel count not divisible by r².
    public static func pixelShuffle(_ input: Tensor, factor r: Int) throws -> Tensor {
        try requireRank4(input, "pixelShuffle")
        guard r >= 1 else { throw EngineError("pixelShuffle: factor must be at least 1, not \(r)") }
        let (n, cIn, h, w) = (input.batch, input.channels, input.height, input.width)
        let r2 = r * r
        guard cIn % r2 == 0 else {
            throw EngineError("pixelShuffle: \(cIn) channels are not divisible by factor² = \(r2)")
        }
        let c = cIn / r2
        let (oh, ow) = (h * r, w * r)
        let count = input.count
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                for b in 0..<n {
                    for y in 0..<h {
                        for x in 0..<w {
                            let from = ((b * h + y) * w + x) * cIn
                            for i in 0..<r {
                                for j in 0..<r {
                                    let to = ((b * oh + y * r + i) * ow + x * r + j) * c
                                    let first = from + i * r + j
                                    for k in 0..<c { out[to + k] = src[first + k * r2] }
                                }
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: [n, c, oh, ow], storage: values)
    }
}
