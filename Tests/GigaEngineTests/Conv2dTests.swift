import Foundation
import Testing
@testable import GigaEngine

@Suite struct Conv2dTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var n, c, h, w, o, kh, kw, stride: Int
        var pad: (Int, Int, Int, Int)
        var bias: Bool
        var testDescription: String { "\(n)x\(c)x\(h)x\(w) → \(o), k\(kh)x\(kw) s\(stride) p\(pad)" }
    }

    /// Odd shapes on purpose: channel counts that are not multiples of 8, non-square inputs,
    /// 1x1 and 7x7 kernels, stride 2 with odd sizes, asymmetric padding.
    static let cases: [Case] = [
        Case(n: 1, c: 3, h: 9, w: 7, o: 5, kh: 3, kw: 3, stride: 1, pad: (1, 1, 1, 1), bias: true),
        Case(n: 2, c: 13, h: 11, w: 6, o: 17, kh: 1, kw: 1, stride: 1, pad: (0, 0, 0, 0), bias: false),
        Case(n: 1, c: 6, h: 15, w: 13, o: 10, kh: 7, kw: 7, stride: 1, pad: (3, 3, 3, 3), bias: true),
        Case(n: 1, c: 9, h: 17, w: 9, o: 12, kh: 3, kw: 3, stride: 2, pad: (1, 1, 1, 1), bias: true),
        Case(n: 1, c: 4, h: 8, w: 10, o: 7, kh: 3, kw: 2, stride: 1, pad: (0, 1, 2, 0), bias: true),
        Case(n: 1, c: 32, h: 16, w: 16, o: 48, kh: 3, kw: 3, stride: 1, pad: (1, 1, 1, 1), bias: true),
    ]

    @Test(arguments: cases)
    func matchesTheReferenceInFP32(_ t: Case) throws {
        var rng = SeededGenerator(seed: UInt64(t.c * 1000 + t.o))
        let input = rng.floats(t.n * t.c * t.h * t.w)
        let weights = rng.floats(t.o * t.c * t.kh * t.kw, in: -0.3...0.3)
        let bias = t.bias ? rng.floats(t.o) : nil
        let conv = Conv2d(weights: weights, bias: bias, outChannels: t.o, inChannels: t.c, kernel: (t.kh, t.kw),
                          stride: (t.stride, t.stride), padding: t.pad)
        let context = try ComputeContext(precision: .fp32)
        let output = try conv(Tensor(nchw: input, shape: [t.n, t.c, t.h, t.w]), in: context)
        let expected = ReferenceOps.conv2d(input: input, n: t.n, c: t.c, h: t.h, w: t.w, weights: weights, bias: bias,
                                           outChannels: t.o, kh: t.kh, kw: t.kw, stride: (t.stride, t.stride),
                                           padding: (t.pad.0, t.pad.1, t.pad.2, t.pad.3))
        #expect(output.shape == [t.n, t.o, expected.oh, expected.ow])
        #expect(relativeMaxError(output.nchwValues(), expected.values) <= 1e-5)
    }

    /// Random shapes from a seeded generator: kernel 1–5 (odd and even), stride 1–2, asymmetric
    /// padding, batch 1–2, channels 1–20, bias or not; each against the direct reference.
    @Test func matchesTheReferenceOnRandomShapes() throws {
        var rng = SeededGenerator(seed: 2026)
        let context = try ComputeContext(precision: .fp32)
        for trial in 0..<24 {
            let kh = Int.random(in: 1...5, using: &rng), kw = Int.random(in: 1...5, using: &rng)
            let stride = Int.random(in: 1...2, using: &rng)
            let pad = (Int.random(in: 0...2, using: &rng), Int.random(in: 0...2, using: &rng),
                       Int.random(in: 0...2, using: &rng), Int.random(in: 0...2, using: &rng))
            let n = Int.random(in: 1...2, using: &rng), c = Int.random(in: 1...20, using: &rng), o = Int.random(in: 1...20, using: &rng)
            let h = Int.random(in: max(kh, 1)...17, using: &rng), w = Int.random(in: max(kw, 1)...17, using: &rng)
            let input = rng.floats(n * c * h * w)
            let weights = rng.floats(o * c * kh * kw, in: -0.5...0.5)
            let bias = Bool.random(using: &rng) ? rng.floats(o) : nil
            let conv = Conv2d(weights: weights, bias: bias, outChannels: o, inChannels: c, kernel: (kh, kw),
                              stride: (stride, stride), padding: pad)
            let output = try conv(Tensor(nchw: input, shape: [n, c, h, w]), in: context)
            let expected = ReferenceOps.conv2d(input: input, n: n, c: c, h: h, w: w, weights: weights, bias: bias,
                                               outChannels: o, kh: kh, kw: kw, stride: (stride, stride), padding: pad)
            #expect(output.shape == [n, o, expected.oh, expected.ow], "trial \(trial)")
            #expect(relativeMaxError(output.nchwValues(), expected.values) <= 1e-5, "trial \(trial): \(output.shape) k\(kh)x\(kw) s\(stride) p\(pad)")
        }
    }

    @Test(arguments: [Activation.leakyReLU(slope: 0.2), .silu, .gelu])
    func fusedActivationsMatchTheirDefinitions(_ activation: Activation) throws {
        var rng = SeededGenerator(seed: 11)
        let input = rng.floats(1 * 5 * 6 * 7)
        let weights = rng.floats(9 * 5 * 3 * 3), bias = rng.floats(9)
        let context = try ComputeContext(precision: .fp32)
        let plain = try Conv2d(weights: weights, bias: bias, outChannels: 9, inChannels: 5, kernelSize: 3, padding: 1)(
            Tensor(nchw: input, shape: [1, 5, 6, 7]), in: context)
        let fused = try Conv2d(weights: weights, bias: bias, outChannels: 9, inChannels: 5, kernelSize: 3, padding: 1,
                               activation: activation)(Tensor(nchw: input, shape: [1, 5, 6, 7]), in: context)
        let expected: [Float] = plain.storage.map { x in
            switch activation {
            case .leakyReLU(let slope): x >= 0 ? x : slope * x
            case .silu: x / (1 + exp(-x))
            case .gelu: Float(0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot())))
            case .none: x
            }
        }
        #expect(relativeMaxError(fused.storage, expected) <= 1e-5)
    }

    @Test func primitivesAreCachedPerShapeAndResultsIndependentOfThreads() throws {
        var rng = SeededGenerator(seed: 5)
        let conv = Conv2d(weights: rng.floats(24 * 16 * 9), bias: rng.floats(24), outChannels: 24, inChannels: 16, kernelSize: 3, padding: 1)
        let tile = Tensor(nchw: rng.floats(16 * 40 * 40), shape: [1, 16, 40, 40])
        let one = try ComputeContext(precision: .fp32, threads: 1), two = try ComputeContext(precision: .fp32, threads: 2)
        let a = try conv(tile, in: one)
        for _ in 0..<3 { _ = try conv(tile, in: one) }
        #expect(conv.cachedPrimitiveCount == 1)
        let b = try Conv2d(weights: conv.weights, bias: conv.bias, outChannels: 24, inChannels: 16, kernelSize: 3, padding: 1)(tile, in: two)
        #expect(a.storage == b.storage)
    }

    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: this CPU has no bf16 instructions"))
    func bf16IsCloseToFP32WhereTheCPUHasIt() throws {
        var rng = SeededGenerator(seed: 9)
        let weights = rng.floats(20 * 12 * 9, in: -0.2...0.2), bias = rng.floats(20)
        let input = Tensor(nchw: rng.floats(12 * 19 * 23), shape: [1, 12, 19, 23])
        let conv = Conv2d(weights: weights, bias: bias, outChannels: 20, inChannels: 12, kernelSize: 3, padding: 1)
        let reference = try conv(input, in: ComputeContext(precision: .fp32))
        let oneDNN = try ComputeContext(precision: .bf16)
        oneDNN.bf16OwnKernels = false   // the oneDNN primitive (Gigascale's own kernels: OwnBF16ConvolutionTests)
        let fast = try conv(input, in: oneDNN)
        #expect(conv.cachedPrimitiveCount == 2)
        #expect(relativeMaxError(fast.storage, reference.storage) <= 2e-2)
        #expect(fast.storage != reference.storage)
    }

    @Test func setWeightsUpdatesCachedPrimitives() throws {
        var rng = SeededGenerator(seed: 3)
        let context = try ComputeContext()
        let input = Tensor(nchw: rng.floats(4 * 5 * 5), shape: [1, 4, 5, 5])
        let conv = Conv2d(weights: rng.floats(6 * 4 * 9), bias: nil, outChannels: 6, inChannels: 4, kernelSize: 3, padding: 1)
        _ = try conv(input, in: context)
        let newWeights = rng.floats(6 * 4 * 9)
        try conv.setWeights(newWeights, bias: nil)
        let fresh = try Conv2d(weights: newWeights, bias: nil, outChannels: 6, inChannels: 4, kernelSize: 3, padding: 1)(input, in: context)
        #expect(try conv(input, in: context).storage == fresh.storage)
    }

    @Test func writingIntoAnExistingTensorReusesItsStorageAndMatches() throws {
        var rng = SeededGenerator(seed: 21)
        let context = try ComputeContext()
        let conv = Conv2d(weights: rng.floats(8 * 5 * 9), bias: rng.floats(8), outChannels: 8, inChannels: 5, kernelSize: 3, padding: 1)
        let input = Tensor(nchw: rng.floats(5 * 6 * 7), shape: [1, 5, 6, 7])
        var output = Tensor(zeros: [1, 7 * 6, 8])          // right size, other shape: reused
        let address = output.storage.withUnsafeBufferPointer { $0.baseAddress }
        try conv(input, into: &output, in: context)
        #expect(output.shape == [1, 8, 6, 7])
        #expect(output.storage.withUnsafeBufferPointer { $0.baseAddress } == address)
        #expect(output == (try conv(input, in: context)))
        var small = Tensor(zeros: [1])                       // wrong size: replaced
        try conv(input, into: &small, in: context)
        #expect(small == output)
    }

    @Test func anInputSmallerThanTheKernelIsAnError() throws {
        let conv = Conv2d(weights: [Float](repeating: 0, count: 2 * 3 * 49), bias: nil, outChannels: 2, inChannels: 3, kernelSize: 7)
        #expect(throws: EngineError.self) { try conv(Tensor(zeros: [1, 3, 4, 4]), in: ComputeContext()) }
    }

    @Test func wrongInputShapeIsAnError() throws {
        let conv = Conv2d(weights: [Float](repeating: 0, count: 2 * 3 * 1), bias: nil, outChannels: 2, inChannels: 3, kernelSize: 1)
        #expect(throws: EngineError.self) { try conv(Tensor(zeros: [1, 4, 2, 2]), in: ComputeContext()) }
    }
}

/// A 1×1 convolution to 3 channels (a generator's `to_rgb`) runs on `gs_pointwise_rgb` where the
/// CPU has AVX-512: against the reference on pixel counts off its 16-pixel steps, channel counts
/// off its 16-channel transposes, with and without bias, added to an output, on several threads,
/// in either precision (its sums are fp32 in both).
@Suite struct PointwiseRGBTests {
    @Test(arguments: [(1, 16, 9, 7, true, 1), (2, 20, 5, 13, false, 2), (1, 3, 32, 32, true, 2), (1, 33, 4, 4, true, 1)])
    func matchesTheReference(_ shape: (Int, Int, Int, Int, Bool, Int)) throws {
        let (n, c, h, w, withBias, threads) = shape
        var rng = SeededGenerator(seed: UInt64(c * 100 + h))
        let input = rng.floats(n * c * h * w)
        let weights = rng.floats(3 * c, in: -0.5...0.5), bias = withBias ? rng.floats(3) : nil
        let conv = Conv2d(weights: weights, bias: bias, outChannels: 3, inChannels: c, kernelSize: 1)
        let expected = ReferenceOps.conv2d(input: input, n: n, c: c, h: h, w: w, weights: weights, bias: bias,
                                           outChannels: 3, kh: 1, kw: 1, stride: (1, 1), padding: (0, 0, 0, 0)).values
        let addend = rng.floats(n * 3 * h * w)
        for precision in [Precision.fp32, .bf16] where precision == .fp32 || ComputeContext.supportsBF16 {
            let context = try ComputeContext(precision: precision, threads: threads)
            let output = try conv(Tensor(nchw: input, shape: [n, c, h, w]), in: context)
            #expect(relativeMaxError(output.nchwValues(), expected) <= 1e-5, "\(precision)")
            var sum = Tensor(nchw: addend, shape: [n, 3, h, w])
            try conv(Tensor(nchw: input, shape: [n, c, h, w]), addingTo: &sum, in: context)
            #expect(relativeMaxError(sum.nchwValues(), zip(expected, addend).map { $0 + $1 }) <= 1e-5, "\(precision)")
        }
    }
}
