extension Ops {
    /// A 2-D transposed convolution (groups = 1), plain loops: input [N, Cin, H, W], weights
    /// [Cout, Cin, kh, kw] (ncnn's order; PyTorch's ConvTranspose2d stores [Cin, Cout, kh, kw]),
    /// optional bias [Cout]. Every input pixel scatters its kernel into the full output of
    /// ((H − 1)·stride + kh + extraBottom) x ((W − 1)·stride + kw + extraRight), which is then
    /// cropped by `crop` (top, left, bottom, right); equals `F.conv_transpose2d` with
    /// padding = crop and output_padding = extra when those agree.
    public static func transposedConv2d(_ input: Tensor, weights: [Float], bias: [Float]?, outChannels: Int,
                                        kernel: (height: Int, width: Int), stride: (height: Int, width: Int),
                                        crop: (top: Int, left: Int, bottom: Int, right: Int),
                                        extra: (bottom: Int, right: Int) = (0, 0)) throws -> Tensor {
        try requireRank4(input, "transposedConv2d")
        let (n, cIn, h, w) = (input.batch, input.channels, input.height, input.width)
        let (kh, kw) = kernel
        guard weights.count == outChannels * cIn * kh * kw, bias.map({ $0.count == outChannels }) ?? true,
              stride.height >= 1, stride.width >= 1 else {
            throw EngineError("transposedConv2d: weights or bias do not match [\(outChannels), \(cIn), \(kh), \(kw)] (or a stride is below 1)")
        }
        let fullH = (h - 1) * stride.height + kh + extra.bottom, fullW = (w - 1) * stride.width + kw + extra.right
        let oh = fullH - crop.top - crop.bottom, ow = fullW - crop.left - crop.right
        guard oh > 0, ow > 0 else { throw EngineError("transposedConv2d: the output of a \(h)x\(w) input would be empty") }
        var full = [Float](repeating: 0, count: n * fullH * fullW * outChannels)
        input.storage.withUnsafeBufferPointer { src in
            for b in 0..<n { for y in 0..<h { for x in 0..<w {
                let from = ((b * h + y) * w + x) * cIn
                for ky in 0..<kh { for kx in 0..<kw {
                    let to = ((b * fullH + y * stride.height + ky) * fullW + x * stride.width + kx) * outChannels
                    for o in 0..<outChannels {
                        var sum: Float = 0
                        for i in 0..<cIn { sum += src[from + i] * weights[((o * cIn + i) * kh + ky) * kw + kx] }
                        full[to + o] += sum
                    }
                } }
            } } }
        }
        var out = Tensor(uninitialized: [n, outChannels, oh, ow])
        out.storage.withUnsafeMutableBufferPointer { dst in
            for b in 0..<n { for y in 0..<oh { for x in 0..<ow { for o in 0..<outChannels {
                dst[((b * oh + y) * ow + x) * outChannels + o] =
                    full[((b * fullH + y + crop.top) * fullW + x + crop.left) * outChannels + o] + (bias?[o] ?? 0)
            } } } }
        }
        return out
    }
}
