import Foundation
import Testing
@testable import GigaEngine

/// The fused epilogue (bias, accumulated destination, activation, output scale) and the oneDNN
/// element-wise activation against the plain reference ops.
@Suite struct FusedEpilogueTests {
    let context: ComputeContext
    init() throws { context = try ComputeContext(precision: .fp32, threads: 1) }

    @Test func accumulatedActivatedScaledConvolutionMatchesItsParts() throws {
        var rng = SeededGenerator(seed: 7)
        let (n, c, h, w, o) = (1, 5, 9, 7, 6)
        let input = Tensor(nchw: rng.floats(n * c * h * w), shape: [n, c, h, w])
        let weights = rng.floats(o * c * 9, in: -0.3...0.3), bias = rng.floats(o)
        let addend = Tensor(nchw: rng.floats(n * o * h * w), shape: [n, o, h, w])
        let plain = Conv2d(weights: weights, bias: bias, outChannels: o, inChannels: c, kernelSize: 3, padding: 1)
        let fused = Conv2d(weights: weights, bias: bias, outChannels: o, inChannels: c, kernelSize: 3, padding: 1,
                           activation: .silu, outputScale: 0.5)
        var output = addend
        try fused(input, addingTo: &output, in: context)
        let sum = try Ops.add(addend, plain(input, in: context))
        let expected = Ops.scale(Ops.silu(sum), by: 0.5)
        #expect(relativeMaxError(output.storage, expected.storage) <= 1e-5)
    }

    @Test func aFinalSiLUComesAfterTheScale() throws {
        var rng = SeededGenerator(seed: 8)
        let (c, h, w, o) = (4, 6, 5, 3)
        let input = Tensor(nchw: rng.floats(c * h * w), shape: [1, c, h, w])
        let weights = rng.floats(o * c * 9, in: -0.5...0.5), bias = rng.floats(o)
        let addend = Tensor(nchw: rng.floats(o * h * w), shape: [1, o, h, w])
        let plain = Conv2d(weights: weights, bias: bias, outChannels: o, inChannels: c, kernelSize: 3, padding: 1)
        let fused = Conv2d(weights: weights, bias: bias, outChannels: o, inChannels: c, kernelSize: 3, padding: 1,
                           outputScale: 0.7, finalActivation: .silu)
        var output = addend
        try fused(input, addingTo: &output, in: context)
        let expected = Ops.silu(Ops.scale(try Ops.add(addend, plain(input, in: context)), by: 0.7))
        #expect(relativeMaxError(output.storage, expected.storage) <= 1e-5)
    }

    @Test func addingToAResultOfAnotherShapeThrows() throws {
        let conv = Conv2d(weights: [Float](repeating: 0.1, count: 2 * 3), bias: nil, outChannels: 2, inChannels: 3, kernelSize: 1)
        var wrong = Tensor(zeros: [1, 3, 4, 4])
        #expect(throws: EngineError.self) { try conv(Tensor(zeros: [1, 3, 4, 4]), addingTo: &wrong, in: context) }
    }

    @Test(arguments: [Activation.silu, .gelu, .leakyReLU(slope: 0.2)])
    func elementwiseActivationMatchesTheReferenceOp(_ activation: Activation) throws {
        var rng = SeededGenerator(seed: 3)
        let input = Tensor(shape: [2, 37], storage: rng.floats(74, in: -9...9))
        let layer = ElementwiseActivation(activation)
        let output = try layer(input, in: context)
        let expected: Tensor = switch activation {
        case .silu: Ops.silu(input)
        case .gelu: Ops.gelu(input)
        default: Ops.leakyReLU(input, slope: 0.2)
        }
        #expect(output.shape == input.shape)
        #expect(relativeMaxError(output.storage, expected.storage) <= 1e-5)
        var inPlace = input
        try layer.apply(to: &inPlace, in: context)
        #expect(inPlace == output)
    }

    /// A map large enough to be split over threads, values past SiLU's ±88 clamps included.
    @Test func siluOnAMapSplitOverThreadsMatchesTheReference() throws {
        var rng = SeededGenerator(seed: 11)
        let input = Tensor(shape: [1, 3, 211, 211], storage: rng.floats(3 * 211 * 211, in: -120...120))
        let output = try ElementwiseActivation(.silu)(input, in: try ComputeContext(precision: .fp32, threads: 2))
        #expect(relativeMaxError(output.storage, Ops.silu(input).storage) <= 1e-5)
        #expect(output.storage.allSatisfy { $0.isFinite })
    }
}

/// Large maps are convolved in bands of rows; the bands must join into the whole-map result.
@Suite struct ConvolutionRowBandTests {
    @Test(arguments: [(3, 1, 1), (3, 2, 0), (1, 0, 0)])
    func aBandedConvolutionMatchesTheReference(kernel: Int, padTop: Int, padBottom: Int) throws {
        var rng = SeededGenerator(seed: UInt64(kernel * 10 + padTop))
        let (c, h, w, o) = (3, 150, 300, 5)
        let input = rng.floats(c * h * w)
        let weights = rng.floats(o * c * kernel * kernel, in: -0.3...0.3), bias = rng.floats(o)
        let conv = Conv2d(weights: weights, bias: bias, outChannels: o, inChannels: c, kernel: (kernel, kernel),
                          padding: (padTop, kernel / 2, padBottom, kernel / 2))
        let bands = conv.rowBands(input: Tensor(zeros: [1, c, h, w]), outputHeight: h + padTop + padBottom - kernel + 1)
        #expect(bands.count >= 3)   // a first, a middle and a last band
        let context = try ComputeContext(precision: .fp32, threads: 1)
        let output = try conv(Tensor(nchw: input, shape: [1, c, h, w]), in: context)
        let expected = ReferenceOps.conv2d(input: input, n: 1, c: c, h: h, w: w, weights: weights, bias: bias,
                                           outChannels: o, kh: kernel, kw: kernel, stride: (1, 1),
                                           padding: (padTop, kernel / 2, padBottom, kernel / 2))
        #expect(output.shape == [1, o, expected.oh, expected.ow])
        #expect(relativeMaxError(output.nchwValues(), expected.values) <= 1e-5)
    }
}
