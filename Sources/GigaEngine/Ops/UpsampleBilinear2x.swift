import CKernels

extension Ops {
    /// `upsampleBilinear` to twice the height and width (bit for bit) and, with `withSiLU`,
    /// `silu` of the result (within 1e-6 relative). On CPUs with AVX-512 one pass writes
    /// both while each output row is in cache (`Sources/CKernels/upsample_bilinear2x.c`), so a
    /// block that reads SiLU of an enlarged map does not read the whole map again; elsewhere
    /// it runs the two ops.
    public static func upsampleBilinear2x(_ input: Tensor, withSiLU: Bool) throws -> (enlarged: Tensor, silu: Tensor?) {
        try requireRank4(input, "upsampleBilinear2x")
        let (n, c, h, w) = (input.batch, input.channels, input.height, input.width)
        guard h >= 1, w >= 1, c >= 1, gs_avx512_supported() != 0 else {
            let enlarged = try upsampleBilinear(input, height: 2 * h, width: 2 * w)
            return (enlarged, withSiLU ? silu(enlarged) : nil)
        }
        let shape = [n, c, 2 * h, 2 * w], imageIn = c * h * w, imageOut = 4 * imageIn
        var enlarged = Tensor(uninitialized: shape)
        var activated = withSiLU ? Tensor(uninitialized: shape) : nil
        var status: Int32 = 0
        input.storage.withUnsafeBufferPointer { source in
            enlarged.storage.withUnsafeMutableBufferPointer { output in
                func run(_ siluOutput: UnsafeMutablePointer<Float>?) {
                    for image in 0..<n where status == 0 {
                        status = gs_upsample_bilinear2x(source.baseAddress! + image * imageIn, Int64(h), Int64(w), Int64(c),
                                                        output.baseAddress! + image * imageOut, siluOutput.map { $0 + image * imageOut })
                    }
                }
                if activated == nil { run(nil) } else { activated!.storage.withUnsafeMutableBufferPointer { run($0.baseAddress!) } }
            }
        }
        guard status == 0 else { throw EngineError("upsampleBilinear2x: out of memory for two rows of \(2 * w) pixels") }
        return (enlarged, activated)
    }
}
