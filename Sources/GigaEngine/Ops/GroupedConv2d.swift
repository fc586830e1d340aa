extension Ops {
    /// A grouped 2-D convolution, plain loops (for the small depthwise and grouped layers that
    /// oneDNN's groups = 1 convolution does not cover): input [N, Cin, H, W], weights
    /// [Cout, Cin/groups, kh, kw] (PyTorch's OIHW), optional bias [Cout]; matches
    /// `F.conv2d(x, w, b, stride, padding, groups=groups)` with zero padding (top, left, bottom, right).
    /// Throws when the channels do not divide into the groups, or the weights or bias have the
    /// wrong size, or the output would be empty.
    public static func groupedConv2d(_ input: Tensor, weights: [Float], bias: [Float]?, outChannels: Int, groups: Int,
                                     kernel: (height: Int, width: Int), stride: (height: Int, width: Int),
                                     padding: (top: Int, left: Int, bottom: Int, right: Int)) throws -> Tensor {
        try requireRank4(input, "groupedConv2d")
        let (n, cIn, h, w) = (input.batch, input.channels, input.height, input.width)
        guard groups >= 1, cIn % groups == 0, outChannels % groups == 0, stride.height >= 1, stride.width >= 1 else {
            throw EngineError("groupedConv2d: \(cIn) → \(outChannels) channels do not divide into \(groups) groups (or a stride is below 1)")
        }
        let (inPerGroup, outPerGroup) = (cIn / groups, outChannels / groups)
        let (kh, kw) = kernel
        guard weights.count == outChannels * inPerGroup * kh * kw, bias.map({ $0.count == outChannels }) ?? true else {
            throw EngineError("groupedConv2d: weights or bias do not match [\(outChannels), \(inPerGroup), \(kh), \(kw)]")
        }
        let oh = (h + padding.top + padding.bottom - kh) / stride.height + 1
        let ow = (w + padding.left + padding.right - kw) / stride.width + 1
        guard oh > 0, ow > 0 else { throw EngineError("groupedConv2d: the output of a \(h)x\(w) input would be empty") }
        var out = Tensor(zeros: [n, outChannels, oh, ow])
        input.storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for b in 0..<n { for oy in 0..<oh { for ox in 0..<ow {
                    let to = ((b * oh + oy) * ow + ox) * outChannels
                    for o in 0..<outChannels {
                        let g = o / outPerGroup
                        var sum = bias?[o] ?? 0
                        for ky in 0..<kh {
                            let iy = oy * stride.height - padding.top + ky
                            guard iy >= 0, iy < h else { continue }
                            for kx in 0..<kw {
                                let ix = ox * stride.width - padding.left + kx
                                guard ix >= 0, ix < w else { continue }
                                let from = ((b * h + iy) * w + ix) * cIn + g * inPerGroup
                                for i in 0..<inPerGroup {
                                    sum += src[from + i] * weights[((o * inPerGroup + i) * kh + ky) * kw + kx]
                                }
                            }
                        }
                        dst[to + o] = sum
                    }
                } } }
            }
        }
        return out
    }
}
