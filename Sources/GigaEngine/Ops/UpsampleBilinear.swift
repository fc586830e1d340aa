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
        // Each output row blends two source rows that were first resampled horizontally; a
        // source row's horizontal pass is kept while consecutive output rows still use it. The
        // arithmetic is the same as blending the four neighbours directly.
        let rowLength = width * c
        let count = n * height * rowLength
        var resampledRows = [[Float]](repeating: [Float](repeating: 0, count: rowLength), count: 2)
        var resampledSource = [-1, -1]
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                for b in 0..<n {
                    resampledSource = [-1, -1]
                    for y in 0..<height {
                        let ty = rowTaps[y]
                        let lowSlot = Self.resampleRow(b * h + ty.low, of: src, rowWidth: w, channels: c,
                                                       taps: columnTaps, rows: &resampledRows, sources: &resampledSource, keep: -1)
                        let highSlot = Self.resampleRow(b * h + ty.high, of: src, rowWidth: w, channels: c,
                                                        taps: columnTaps, rows: &resampledRows, sources: &resampledSource, keep: lowSlot)
                        // Pointer-based loops without overflow-checked index arithmetic, so
                        // the compiler vectorises them.
                        let to = out.baseAddress! + (b * height + y) * rowLength
                        let (w0, w1) = (ty.lowWeight, ty.highWeight)
                        resampledRows[lowSlot].withUnsafeBufferPointer { r0 in
                            resampledRows[highSlot].withUnsafeBufferPointer { r1 in
                                let (p0, p1) = (r0.baseAddress!, r1.baseAddress!)
                                for i in 0..<rowLength { to[i] = w0 * p0[i] + w1 * p1[i] }
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: [n, c, height, width], storage: values)
    }

    /// Makes sure one of the two row slots holds source row `row` resampled horizontally and
    /// returns that slot; a missing row goes into the slot other than `keep`.
    private static func resampleRow(_ row: Int, of src: UnsafeBufferPointer<Float>, rowWidth w: Int, channels c: Int,
                                    taps: [(low: Int, high: Int, lowWeight: Float, highWeight: Float)],
                                    rows: inout [[Float]], sources: inout [Int], keep: Int) -> Int {
        if sources[0] == row { return 0 }
        if sources[1] == row { return 1 }
        let slot = keep == 0 ? 1 : 0
        sources[slot] = row
        let base = row * w * c
        rows[slot].withUnsafeMutableBufferPointer { dst in
            let source = src.baseAddress! + base
            for (x, tx) in taps.enumerated() {
                let p0 = source + tx.low * c, p1 = source + tx.high * c, to = dst.baseAddress! + x * c
                let (w0, w1) = (tx.lowWeight, tx.highWeight)
                for k in 0..<c { to[k] = w0 * p0[k] + w1 * p1[k] }
            }
        }
        return slot
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
