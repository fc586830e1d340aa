extension Ops {
    /// Concatenates rank-4 tensors [N, Cᵢ, H, W] along the channel axis into [N, ΣCᵢ, H, W];
    /// matches `torch.cat(tensors, dim=1)`. Storage is NHWC, so each output pixel holds the
    /// channel runs of the inputs one after another. Throws unless every input is rank 4 with the
    /// same N, H and W, or when the list is empty.
    public static func concatChannels(_ tensors: [Tensor]) throws -> Tensor {
        guard let first = tensors.first else { throw EngineError("concatChannels needs at least one tensor") }
        for tensor in tensors {
            try requireRank4(tensor, "concatChannels")
            guard tensor.batch == first.batch, tensor.height == first.height, tensor.width == first.width else {
                throw EngineError("concatChannels needs equal N, H, W; got \(tensors.map(\.shape))")
            }
        }
        let channels = tensors.map(\.channels)
        let values = joinRows(tensors, rows: first.batch * first.height * first.width, widths: channels)
        return Tensor(shape: [first.batch, channels.reduce(0, +), first.height, first.width], storage: values)
    }

    /// Whether `tensors` can be concatenated along channels: at least one, every one rank 4 with
    /// the same N, H and W (what `concatChannels` checks, as a test instead of an error).
    public static func areConcatenableAlongChannels(_ tensors: [Tensor]) -> Bool {
        guard let first = tensors.first else { return false }
        return tensors.allSatisfy {
            $0.shape.count == 4 && $0.batch == first.batch && $0.height == first.height && $0.width == first.width
        }
    }

    /// `torch.cat([a, b · scale], dim=1)` in one pass: every pixel's channels of `a`, then those
    /// of `b` multiplied by `scale` (a U-Net's decoder joining a scaled skip connection).
    /// Throws unless both are rank 4 with the same N, H and W.
    public static func concatChannels(_ a: Tensor, _ b: Tensor, scalingSecondBy scale: Float) throws -> Tensor {
        try requireRank4(a, "concatChannels")
        try requireRank4(b, "concatChannels")
        guard a.batch == b.batch, a.height == b.height, a.width == b.width else {
            throw EngineError("concatChannels needs equal N, H, W; got \([a.shape, b.shape])")
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

    /// Joins the tensors' storage row by row: output row r is input 0's row r (widths[0] values),
    /// then input 1's row r, and so on. Both concatenations are this, on different row views.
    static func joinRows(_ tensors: [Tensor], rows: Int, widths: [Int]) -> [Float] {
        let total = widths.reduce(0, +)
        return [Float](unsafeUninitializedCapacity: rows * total) { out, initialized in
            var offset = 0
            for (tensor, width) in zip(tensors, widths) {
                tensor.storage.withUnsafeBufferPointer { src in
                    guard width > 0, let source = src.baseAddress, let destination = out.baseAddress else { return }
                    // Whole-row copies: a dense block's concatenations are a tenth of an RRDBNet's time otherwise.
                    for r in 0..<rows {
                        (destination + r * total + offset).initialize(from: source + r * width, count: width)
                    }
                }
                offset += width
            }
            initialized = rows * total
        }
    }
}
