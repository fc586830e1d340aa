extension Ops {
    /// Nearest-neighbour upsampling of a rank-4 [N, C, H, W] map by an integer `factor` to
    /// [N, C, H·factor, W·factor]: `out[y, x] = in[y / factor, x / factor]`; matches
    /// `F.interpolate(x, scale_factor=factor, mode='nearest')` (and 'nearest-exact', which agrees
    /// for integer factors). Throws for a non-rank-4 input or a factor below 1.
    public static func upsampleNearest(_ input: Tensor, factor: Int) throws -> Tensor {
        try requireRank4(input, "upsampleNearest")
        guard factor >= 1 else { throw EngineError("upsampleNearest: factor must be at least 1, not \(factor)") }
        let (n, c, h, w) = (input.batch, input.channels, input.height, input.width)
        let (oh, ow) = (h * factor, w * factor)
        let count = n * oh * ow * c
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                for b in 0..<n {
                    for y in 0..<oh {
                        let srcRow = (b * h + y / factor) * w * c
                        let dstRow = (b * oh + y) * ow * c
                        for x in 0..<ow {
                            let from = srcRow + (x / factor) * c, to = dstRow + x * c
                            for k in 0..<c { out[to + k] = src[from + k] }
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: [n, c, oh, ow], storage: values)
    }
}
