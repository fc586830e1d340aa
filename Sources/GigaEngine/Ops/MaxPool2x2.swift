extension Ops {
    /// 2x2 max pooling with stride 2: [N, C, H, W] → [N, C, H/2, W/2] (rounded down, so an odd last
    /// row or column is dropped); matches `F.max_pool2d(x, 2)`. A NaN in a window gives NaN, as in
    /// PyTorch. Throws for a non-rank-4 input or a map smaller than 2x2 (PyTorch refuses an empty
    /// output too).
    public static func maxPool2x2(_ input: Tensor) throws -> Tensor {
        try requireRank4(input, "maxPool2x2")
        let (n, c, h, w) = (input.batch, input.channels, input.height, input.width)
        guard h >= 2, w >= 2 else { throw EngineError("maxPool2x2: input \(h)x\(w) is smaller than the 2x2 window") }
        let (oh, ow) = (h / 2, w / 2)
        let count = n * oh * ow * c
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                for b in 0..<n {
                    for y in 0..<oh {
                        let top = (b * h + 2 * y) * w * c, bottom = top + w * c
                        let dstRow = (b * oh + y) * ow * c
                        for x in 0..<ow {
                            let left = 2 * x * c, right = left + c, to = dstRow + x * c
                            for k in 0..<c {
                                out[to + k] = nanPropagatingMax(
                                    nanPropagatingMax(src[top + left + k], src[top + right + k]),
                                    nanPropagatingMax(src[bottom + left + k], src[bottom + right + k]))
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: [n, c, oh, ow], storage: values)
    }

    @inline(__always)
    private static func nanPropagatingMax(_ a: Float, _ b: Float) -> Float {
        a > b || a.isNaN ? a : b
    }
}
