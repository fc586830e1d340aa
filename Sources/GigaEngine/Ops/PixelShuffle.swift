extension Ops {
    /// Depth-to-space: [N, C·r², H, W] → [N, C, H·r, W·r] with
    /// `out[n, c, y·r + i, x·r + j] = in[n, c·r² + i·r + j, y, x]`; matches `nn.PixelShuffle(r)`.
    /// Throws for a non-rank-4 input, a factor below 1 or a channel count not divisible by r².
    public static func pixelShuffle(_ input: Tensor, factor r: Int) throws -> Tensor {
        let shape = try pixelShuffledShape(of: input, factor: r, "pixelShuffle")
        let count = input.count
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            shufflePixels(of: input, factor: r, into: out.baseAddress!, adding: false)
            initialized = count
        }
        return Tensor(shape: shape, storage: values)
    }

    /// `output += pixelShuffle(residual, factor: r)` in one pass, without the shuffled tensor:
    /// the sub-pixel head's residual added onto its anchor. `output` must be
    /// [N, C, H·r, W·r] for a residual of [N, C·r², H, W]; throws otherwise.
    public static func addPixelShuffled(_ residual: Tensor, factor r: Int, to output: inout Tensor) throws {
        let shape = try pixelShuffledShape(of: residual, factor: r, "addPixelShuffled")
        guard output.shape == shape else {
            throw EngineError("addPixelShuffled: output must be \(shape) for a residual of \(residual.shape), got \(output.shape)")
        }
        output.storage.withUnsafeMutableBufferPointer { shufflePixels(of: residual, factor: r, into: $0.baseAddress!, adding: true) }
    }

    /// The shape `input` takes when shuffled by `r`, after checking it can be.
    private static func pixelShuffledShape(of input: Tensor, factor r: Int, _ op: String) throws -> [Int] {
        try requireRank4(input, op)
        guard r >= 1 else { throw EngineError("\(op): factor must be at least 1, not \(r)") }
        guard input.channels % (r * r) == 0 else {
            throw EngineError("\(op): \(input.channels) channels are not divisible by factor² = \(r * r)")
        }
        return [input.batch, input.channels / (r * r), input.height * r, input.width * r]
    }

    /// Writes (or, `adding`, adds) the shuffled `input` into `out`, NHWC storage of its shape.
    private static func shufflePixels(of input: Tensor, factor r: Int, into out: UnsafeMutablePointer<Float>, adding: Bool) {
        let (n, cIn, h, w) = (input.batch, input.channels, input.height, input.width)
        let r2 = r * r, c = cIn / r2, (oh, ow) = (h * r, w * r)
        input.storage.withUnsafeBufferPointer { src in
            for b in 0..<n {
                for y in 0..<h {
                    for x in 0..<w {
                        let from = ((b * h + y) * w + x) * cIn
                        for i in 0..<r {
                            for j in 0..<r {
                                let to = ((b * oh + y * r + i) * ow + x * r + j) * c
                                let first = from + i * r + j
                                if adding {
                                    for k in 0..<c { out[to + k] += src[first + k * r2] }
                                } else {
                                    for k in 0..<c { out[to + k] = src[first + k * r2] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
