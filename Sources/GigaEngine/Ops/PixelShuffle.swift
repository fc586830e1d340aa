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

extension Ops {
    /// `output += pixelShuffle(residual, factor: r)` in one pass, without the shuffled tensor:
    /// the sub-pixel head's residual added onto its anchor. `output` must be
    /// [N, C, H·r, W·r] for a residual of [N, C·r², H, W]; throws otherwise.
    public static func addPixelShuffled(_ residual: Tensor, factor r: Int, to output: inout Tensor) throws {
        try requireRank4(residual, "addPixelShuffled")
        guard r >= 1, residual.channels % (r * r) == 0 else {
            throw EngineError("addPixelShuffled: \(residual.channels) channels are not divisible by factor² = \(r * r)")
        }
        let (n, cIn, h, w) = (residual.batch, residual.channels, residual.height, residual.width)
        let r2 = r * r, c = cIn / r2, (oh, ow) = (h * r, w * r)
        guard output.shape == [n, c, oh, ow] else {
            throw EngineError("addPixelShuffled: output must be \([n, c, oh, ow]) for a residual of \(residual.shape), got \(output.shape)")
        }
        residual.storage.withUnsafeBufferPointer { src in
            output.storage.withUnsafeMutableBufferPointer { out in
                for b in 0..<n {
                    for y in 0..<h {
                        for x in 0..<w {
                            let from = ((b * h + y) * w + x) * cIn
                            for i in 0..<r {
                                for j in 0..<r {
                                    let to = ((b * oh + y * r + i) * ow + x * r + j) * c
                                    let first = from + i * r + j
                                    for k in 0..<c { out[to + k] += src[first + k * r2] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
