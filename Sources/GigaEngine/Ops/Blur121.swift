extension Ops {
    /// Depthwise 3x3 blur with the normalised kernel [1,2,1]ᵀ[1,2,1] / 16 and a reflect border (the
    /// edge pixel is not repeated: index −1 reads 1, index H reads H−2), keeping the shape of a
    /// rank-4 [N, C, H, W] map. This is GigaGAN's `Blur`: kornia's `filter2d(x, k, normalized=True,
    /// border_type='reflect')`, i.e. `F.pad(x, (1, 1, 1, 1), mode='reflect')` followed by a depthwise
    /// `F.conv2d(..., groups=C)`. Computed separably (vertical, then horizontal). Throws for a
    /// non-rank-4 input or a map smaller than 2x2, where a reflect border does not exist (PyTorch
    /// refuses it too).
    public static func blur121(_ input: Tensor) throws -> Tensor {
        try requireRank4(input, "blur121")
        let (n, c, h, w) = (input.batch, input.channels, input.height, input.width)
        guard h >= 2, w >= 2 else {
            throw EngineError("blur121: a reflect border needs at least 2x2 pixels, got \(h)x\(w)")
        }
        let rowLength = w * c
        var columnSums = [Float](repeating: 0, count: rowLength)
        let values = [Float](unsafeUninitializedCapacity: input.count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                columnSums.withUnsafeMutableBufferPointer { t in
                    for b in 0..<n {
                        for y in 0..<h {
                            let above = y == 0 ? 1 : y - 1, below = y == h - 1 ? h - 2 : y + 1
                            let r0 = (b * h + above) * rowLength, r1 = (b * h + y) * rowLength, r2 = (b * h + below) * rowLength
                            for k in 0..<rowLength { t[k] = src[r0 + k] + 2 * src[r1 + k] + src[r2 + k] }
                            let dst = (b * h + y) * rowLength
                            for x in 0..<w {
                                let left = (x == 0 ? 1 : x - 1) * c, centre = x * c, right = (x == w - 1 ? w - 2 : x + 1) * c
                                for k in 0..<c {
                                    out[dst + centre + k] = (t[left + k] + 2 * t[centre + k] + t[right + k]) * 0.0625
                                }
                            }
                        }
                    }
                }
            }
            initialized = input.count
        }
        return Tensor(shape: input.shape, storage: values)
    }
}
