import Foundation
import Testing
@testable import GigaEngine

/// The basic ops against PyTorch's outputs in Tests/Fixtures/engine/basic-ops.safetensors
/// (written by Training/fixtures/engine_basic_ops.py).
@Suite struct BasicOpsTests {
    private let fixture: EngineFixture

    init() throws { fixture = try EngineFixture("basic-ops.safetensors") }

    // MARK: Element-wise

    /// The libm-free exp inside SiLU, against libm over the whole range and its edges.
    @Test func siluMatchesLibmEverywhere() {
        var inputs = stride(from: Float(-100), through: 100, by: 0.0037).map { $0 }
        inputs += [0, -0.0, 1e-30, -1e-30, 88, -88, 89, -89, 1000, -1000, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        let fast = Ops.silu(Tensor(shape: [inputs.count], storage: inputs)).storage
        let worst = zip(inputs, fast).map { x, y -> (excess: Float, x: Float, y: Float) in
            let reference = x / (1 + Foundation.exp(-x))
            return (abs(y - reference) - (2e-6 * abs(reference) + 1e-30), x, y)
        }.max { $0.excess < $1.excess }!
        #expect(worst.excess <= 0, "silu(\(worst.x)) = \(worst.y), libm gives \(worst.x / (1 + Foundation.exp(-worst.x)))")
    }

    @Test func activationsMatchPyTorch() throws {
        let input = try fixture.tensor("act.input")
        try fixture.expectMatches(Ops.silu(input), "act.silu")
        try fixture.expectMatches(Ops.gelu(input), "act.gelu")
        try fixture.expectMatches(Ops.leakyReLU(input, slope: 0.2), "act.leaky_relu")
        try fixture.expectMatches(Ops.leakyReLU(input), "act.leaky_relu")
    }

    @Test func activationsWorkOnAnyRank() throws {
        let tokens = Tensor(shape: [2, 3], storage: [-2, -0.5, 0, 0.5, 2, 40])
        #expect(Ops.leakyReLU(tokens).storage == [-0.4, -0.1, 0, 0.5, 2, 40])
        #expect(Ops.silu(tokens).shape == [2, 3])
        #expect(Ops.gelu(tokens).storage[5] == 40)
    }

    @Test func arithmeticMatchesPyTorch() throws {
        let a = try fixture.tensor("add.a"), b = try fixture.tensor("add.b")
        try fixture.expectMatches(Ops.add(a, b), "add.output")
        try fixture.expectMatches(Ops.scale(a, by: fixture.scalar("scale.factor")), "scale.output")
        try fixture.expectMatches(Ops.addScaled(a, b, scale: fixture.scalar("add_scaled.factor")), "add_scaled.output")
    }

    @Test func arithmeticRefusesDifferentShapes() throws {
        let a = Tensor(zeros: [1, 2, 3, 4]), b = Tensor(zeros: [1, 2, 4, 3])
        #expect(throws: EngineError.self) { try Ops.add(a, b) }
        #expect(throws: EngineError.self) { try Ops.addScaled(a, b.reshaped([24]), scale: 1) }
    }

    // MARK: Concatenation

    @Test func concatChannelsMatchesTorchCat() throws {
        let parts = try ["a", "b", "c"].map { try fixture.tensor("concat_channels.\($0)") }
        try fixture.expectMatches(Ops.concatChannels(parts), "concat_channels.output", tolerance: 0)
    }

    @Test func concatLastDimensionMatchesTorchCat() throws {
        let parts = try ["a", "b"].map { try fixture.tensor("concat_last.\($0)") }
        try fixture.expectMatches(Ops.concatLastDimension(parts), "concat_last.output", tolerance: 0)
    }

    @Test func concatenationRefusesMismatchedShapes() {
        #expect(throws: EngineError.self) { try Ops.concatChannels([]) }
        #expect(throws: EngineError.self) { try Ops.concatChannels([Tensor(zeros: [1, 2, 3, 4]), Tensor(zeros: [1, 2, 3, 5])]) }
        #expect(throws: EngineError.self) { try Ops.concatChannels([Tensor(zeros: [1, 2, 3])]) }
        #expect(throws: EngineError.self) { try Ops.concatLastDimension([Tensor(zeros: [2, 3]), Tensor(zeros: [3, 3])]) }
        #expect(throws: EngineError.self) { try Ops.concatLastDimension([Tensor(zeros: [1, 2, 3, 4])]) }
    }

    // MARK: Normalisation

    @Test func rmsNormOverChannelsMatchesPyTorch() throws {
        let output = try Ops.rmsNorm(fixture.tensor("rmsnorm.input"), gamma: fixture.floats("rmsnorm.gamma"))
        try fixture.expectMatches(output, "rmsnorm.output")
        // The all-zero pixel stays zero (the 1e-12 clamp, not a division by zero).
        #expect(output.storage.prefix(13).allSatisfy { $0 == 0 })
    }

    @Test func rmsNormOverTokensMatchesPyTorch() throws {
        let output = try Ops.rmsNorm(fixture.tensor("rmsnorm_tokens.input"), gamma: fixture.floats("rmsnorm_tokens.gamma"))
        try fixture.expectMatches(output, "rmsnorm_tokens.output")
    }

    @Test func layerNormOverTokensMatchesPyTorch() throws {
        let output = try Ops.layerNorm(fixture.tensor("layernorm_tokens.input"), weight: fixture.floats("layernorm_tokens.weight"),
                                       bias: fixture.floats("layernorm_tokens.bias"), eps: 1e-5)
        try fixture.expectMatches(output, "layernorm_tokens.output")
    }

    @Test func layerNormOverChannelsMatchesPyTorch() throws {
        let output = try Ops.layerNorm(fixture.tensor("layernorm_channels.input"), weight: fixture.floats("layernorm_channels.weight"),
                                       bias: fixture.floats("layernorm_channels.bias"))
        try fixture.expectMatches(output, "layernorm_channels.output")
    }

    @Test func layerNormWithoutAffineIsZeroMeanUnitVariance() throws {
        let output = try Ops.layerNorm(Tensor(shape: [1, 4], storage: [1, 2, 3, 4]), weight: nil, bias: nil, eps: 0)
        let expected: [Float] = [-1.5, -0.5, 0.5, 1.5].map { $0 / Float(1.25).squareRoot() }
        #expect(relativeMaxError(output.storage, expected) <= 1e-6)
    }

    @Test func normsRefuseParametersOfTheWrongLength() {
        let map = Tensor(zeros: [1, 5, 2, 3])
        #expect(throws: EngineError.self) { try Ops.rmsNorm(map, gamma: [Float](repeating: 1, count: 3)) }
        #expect(throws: EngineError.self) { try Ops.layerNorm(map, weight: nil, bias: [Float](repeating: 0, count: 3)) }
        #expect(throws: EngineError.self) { try Ops.rmsNorm(Tensor(shape: [], storage: [1]), gamma: [1]) }
    }

    // MARK: Softmax

    @Test func softmaxMatchesPyTorch() throws {
        let output = try Ops.softmax(fixture.tensor("softmax.input"))
        try fixture.expectMatches(output, "softmax.output")
        #expect(output.storage.allSatisfy { $0.isFinite })
    }

    @Test func softmaxOverTheWidthOfARank4TensorMatchesPyTorch() throws {
        try fixture.expectMatches(Ops.softmax(fixture.tensor("softmax_rank4.input")), "softmax_rank4.output")
    }

    // MARK: Resampling

    @Test func upsampleNearestMatchesPyTorch() throws {
        let input = try fixture.tensor("upsample_nearest.input")
        try fixture.expectMatches(Ops.upsampleNearest(input, factor: 2), "upsample_nearest.x2", tolerance: 0)
        try fixture.expectMatches(Ops.upsampleNearest(input, factor: 3), "upsample_nearest.x3", tolerance: 0)
        #expect(throws: EngineError.self) { try Ops.upsampleNearest(input, factor: 0) }
    }

    @Test func upsampleBilinearByTwoMatchesPyTorch() throws {
        let input = try fixture.tensor("upsample_bilinear.input")
        try fixture.expectMatches(Ops.upsampleBilinear(input, height: 8, width: 12), "upsample_bilinear.x2")
    }

    @Test func bilinearResizeToOddAndSmallerSizesMatchesPyTorch() throws {
        let input = try fixture.tensor("resize_bilinear.input")
        try fixture.expectMatches(Ops.upsampleBilinear(input, height: 12, width: 9), "resize_bilinear.12x9")
        try fixture.expectMatches(Ops.upsampleBilinear(input, height: 4, width: 3), "resize_bilinear.4x3")
        #expect(throws: EngineError.self) { try Ops.upsampleBilinear(input, height: 0, width: 3) }
    }

    @Test func pixelShuffleMatchesPyTorch() throws {
        try fixture.expectMatches(Ops.pixelShuffle(fixture.tensor("pixel_shuffle2.input"), factor: 2), "pixel_shuffle2.output", tolerance: 0)
        try fixture.expectMatches(Ops.pixelShuffle(fixture.tensor("pixel_shuffle3.input"), factor: 3), "pixel_shuffle3.output", tolerance: 0)
        #expect(throws: EngineError.self) { try Ops.pixelShuffle(Tensor(zeros: [1, 6, 2, 2]), factor: 2) }
    }

    @Test func addPixelShuffledIsShuffleThenAdd() throws {
        let residual = try fixture.tensor("pixel_shuffle2.input")
        let shuffled = try Ops.pixelShuffle(residual, factor: 2)
        let anchor = Tensor(shape: shuffled.shape, storage: (0..<shuffled.count).map { Float($0 % 7) - 3 })
        var output = anchor
        try Ops.addPixelShuffled(residual, factor: 2, to: &output)
        #expect(output.storage == (try Ops.add(anchor, shuffled)).storage)
        var wrong = Tensor(zeros: [1, 1, 2, 2])
        #expect(throws: EngineError.self) { try Ops.addPixelShuffled(residual, factor: 2, to: &wrong) }
    }

    @Test func bicubicUpsamplingMatchesPyTorch() throws {
        let input = try fixture.tensor("bicubic.input")
        try fixture.expectMatches(Ops.upsampleBicubic(input, scale: 3), "bicubic.x3", tolerance: 1e-5)
        try fixture.expectMatches(Ops.upsampleBicubic(input, scale: 8), "bicubic.x8", tolerance: 1e-5)
        #expect(try Ops.upsampleBicubic(input, scale: 1).storage == input.storage)
        #expect(throws: EngineError.self) { try Ops.upsampleBicubic(Tensor(zeros: [3, 4]), scale: 2) }
        #expect(throws: EngineError.self) { try Ops.upsampleBicubic(input, scale: 0) }
    }

    @Test func concatenationWithAScaledSecondMatchesPyTorch() throws {
        let a = try fixture.tensor("concat_scaled.a"), b = try fixture.tensor("concat_scaled.b")
        try fixture.expectMatches(Ops.concatChannels(a, b, scalingSecondBy: 0.7071), "concat_scaled.output", tolerance: 1e-6)
        // The same as scaling, then concatenating, to the last bit.
        #expect(try Ops.concatChannels(a, b, scalingSecondBy: 0.7071) == Ops.concatChannels([a, Ops.scale(b, by: 0.7071)]))
        #expect(throws: EngineError.self) { try Ops.concatChannels(a, Tensor(zeros: [2, 6, 3, 4]), scalingSecondBy: 1) }
    }

    // MARK: Blur and pooling

    @Test func blur121MatchesReflectPaddedDepthwiseConv() throws {
        try fixture.expectMatches(Ops.blur121(fixture.tensor("blur.input")), "blur.output")
        try fixture.expectMatches(Ops.blur121(fixture.tensor("blur_small.input")), "blur_small.output")
        #expect(throws: EngineError.self) { try Ops.blur121(Tensor(zeros: [1, 3, 1, 5])) }
    }

    @Test func blur121KeepsConstantMaps() throws {
        let constant = Tensor(shape: [1, 3, 4, 5], storage: [Float](repeating: 2.5, count: 60))
        #expect(try Ops.blur121(constant).storage == constant.storage)
    }

    @Test func maxPool2x2MatchesPyTorch() throws {
        try fixture.expectMatches(Ops.maxPool2x2(fixture.tensor("maxpool.input")), "maxpool.output", tolerance: 0)
        #expect(throws: EngineError.self) { try Ops.maxPool2x2(Tensor(zeros: [1, 3, 1, 4])) }
    }

    @Test func maxPool2x2PropagatesNaN() throws {
        let input = Tensor(shape: [1, 1, 2, 2], storage: [1, .nan, 3, 2])
        #expect(try Ops.maxPool2x2(input).storage[0].isNaN)
    }
}
