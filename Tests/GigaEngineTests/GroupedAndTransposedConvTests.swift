import Testing
@testable import GigaEngine

/// The plain-loop ops ncnn graphs need beyond oneDNN's convolution, each against an independent
/// reference: oneDNN's own convolution, a gather formulation of the transposed convolution, and
/// PReLU's definition.
@Suite struct GroupedAndTransposedConvTests {
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float(Double(rng.next() >> 11) * 0x1p-53 * 2 - 1) }
    }

    static func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.storage, b.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    @Test func oneGroupMatchesOneDNNsConvolution() throws {
        let input = Tensor(nchw: Self.random(2 * 5 * 9 * 11, seed: 1), shape: [2, 5, 9, 11])
        let weights = Self.random(7 * 5 * 3 * 4, seed: 2), bias = Self.random(7, seed: 3)
        let padding = (top: 1, left: 2, bottom: 0, right: 1)
        let ours = try Ops.groupedConv2d(input, weights: weights, bias: bias, outChannels: 7, groups: 1,
                                         kernel: (3, 4), stride: (2, 1), padding: padding)
        let reference = try Conv2d(weights: weights, bias: bias, outChannels: 7, inChannels: 5, kernel: (3, 4),
                                   stride: (2, 1), padding: padding)(input, in: ComputeContext(precision: .fp32, threads: 1))
        #expect(ours.shape == reference.shape)
        #expect(Self.maxDifference(ours, reference) < 1e-5)
    }

    @Test func depthwiseIsEachChannelConvolvedAlone() throws {
        let (c, h, w) = (4, 6, 7)
        let values = Self.random(c * h * w, seed: 4)
        let weights = Self.random(c * 9, seed: 5)
        let ours = try Ops.groupedConv2d(Tensor(nchw: values, shape: [1, c, h, w]), weights: weights, bias: nil, outChannels: c,
                                         groups: c, kernel: (3, 3), stride: (1, 1), padding: (1, 1, 1, 1)).nchwValues()
        let context = try ComputeContext(precision: .fp32, threads: 1)
        for channel in 0..<c {
            let plane = Tensor(nchw: Array(values[(channel * h * w)..<((channel + 1) * h * w)]), shape: [1, 1, h, w])
            let alone = try Conv2d(weights: Array(weights[(channel * 9)..<((channel + 1) * 9)]), bias: nil, outChannels: 1, inChannels: 1,
                                   kernelSize: 3, padding: 1)(plane, in: context).nchwValues()
            let mine = Array(ours[(channel * h * w)..<((channel + 1) * h * w)])
            #expect(zip(mine, alone).allSatisfy { abs($0 - $1) < 1e-5 })
        }
        #expect(throws: EngineError.self) {
            try Ops.groupedConv2d(Tensor(zeros: [1, 3, 4, 4]), weights: [], bias: nil, outChannels: 4, groups: 2,
                                  kernel: (1, 1), stride: (1, 1), padding: (0, 0, 0, 0))
        }
    }

    @Test func transposedConvolutionMatchesItsGatherForm() throws {
        let (cIn, cOut, h, w, k, s) = (3, 2, 4, 5, 4, 2)
        let crop = (top: 1, left: 1, bottom: 1, right: 2), extra = (bottom: 1, right: 0)
        let values = Self.random(cIn * h * w, seed: 6), weights = Self.random(cOut * cIn * k * k, seed: 7), bias = Self.random(cOut, seed: 8)
        let ours = try Ops.transposedConv2d(Tensor(nchw: values, shape: [1, cIn, h, w]), weights: weights, bias: bias,
                                            outChannels: cOut, kernel: (k, k), stride: (s, s), crop: crop, extra: extra)
        let oh = (h - 1) * s + k + extra.bottom - crop.top - crop.bottom, ow = (w - 1) * s + k + extra.right - crop.left - crop.right
        #expect(ours.shape == [1, cOut, oh, ow])
        // Output pixel (y, x) of the uncropped map gathers input (iy, ix) through tap (y − iy·s, x − ix·s).
        var expected = [Float](repeating: 0, count: cOut * oh * ow)
        for o in 0..<cOut { for y in 0..<oh { for x in 0..<ow {
            var sum = bias[o]
            let fy = y + crop.top, fx = x + crop.left
            for i in 0..<cIn { for iy in 0..<h { for ix in 0..<w {
                let ky = fy - iy * s, kx = fx - ix * s
                guard (0..<k).contains(ky), (0..<k).contains(kx) else { continue }
                sum += values[(i * h + iy) * w + ix] * weights[((o * cIn + i) * k + ky) * k + kx]
            } } }
            expected[(o * oh + y) * ow + x] = sum
        } } }
        #expect(zip(ours.nchwValues(), expected).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func preluScalesOnlyNegativesByTheirChannelsSlope() throws {
        let values: [Float] = [-2, 3, -1, 0.5, -4, 1, 2, -3]
        let out = try Ops.prelu(Tensor(nchw: values, shape: [1, 2, 2, 2]), slopes: [0.5, 0.25]).nchwValues()
        #expect(out == [-1, 3, -0.5, 0.5, -1, 1, 2, -0.75])
        #expect(try Ops.prelu(Tensor(nchw: values, shape: [1, 2, 2, 2]), slopes: [0.1]).nchwValues()[0] == -0.2)
        #expect(throws: EngineError.self) { try Ops.prelu(Tensor(zeros: [1, 2, 1, 1]), slopes: [1, 2, 3]) }
    }
}
