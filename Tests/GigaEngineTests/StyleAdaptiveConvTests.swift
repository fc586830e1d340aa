import Foundation
import Testing
@testable import GigaEngine

/// StyleAdaptiveConv against a PyTorch reimplementation of AdaptiveConv2DMod
/// (Training/fixtures/engine_attention_adaptive.py).
@Suite struct StyleAdaptiveConvTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var styles: Int
        var testDescription: String { name }
    }

    /// N 3, 13 → 19, 3x3 on 11x9; N 1 (no mixing), 7 → 5, 1x1 on 6x10; N 4, 6 → 9, 5x5 on 7x12.
    static let cases = [Case(name: "adaconv.k3", styles: 2), Case(name: "adaconv.k1", styles: 1),
                        Case(name: "adaconv.k5", styles: 1)]

    private let fixture: EngineFixture

    init() throws { fixture = try EngineFixture("attention-adaptive.safetensors") }

    func layer(_ name: String) throws -> StyleAdaptiveConv {
        try StyleAdaptiveConv(weights: fixture.tensor("\(name).weights"))
    }

    func prepare(_ layer: StyleAdaptiveConv, _ name: String, style: Int) throws {
        try layer.prepare(kernelLogits: fixture.floats("\(name).style\(style).kernel_logits"),
                          modulation: fixture.floats("\(name).style\(style).modulation"))
    }

    @Test(arguments: cases)
    func preparedKernelMatchesPyTorch(_ t: Case) throws {
        let layer = try layer(t.name)
        for style in 0..<t.styles {
            try prepare(layer, t.name, style: style)
            let expected = try fixture.floats("\(t.name).style\(style).prepared")
            let prepared = try #require(layer.preparedWeights)
            #expect(relativeMaxError(prepared, expected) <= 1e-5)
        }
    }

    @Test(arguments: cases)
    func outputMatchesPyTorchInFP32(_ t: Case) throws {
        let layer = try layer(t.name)
        let input = try fixture.tensor("\(t.name).input")
        let context = try ComputeContext(precision: .fp32)
        // Styles in turn through one layer: re-preparing replaces the cached primitive's weights.
        for style in 0..<t.styles {
            try prepare(layer, t.name, style: style)
            let expected = try fixture.tensor("\(t.name).style\(style).output")
            let output = try layer(input, in: context)
            #expect(output.shape == expected.shape)
            #expect(relativeMaxError(output.storage, expected.storage) <= 1e-4)
        }
        #expect(layer.cachedPrimitiveCount == 1)
    }

    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: this CPU has no bf16 instructions"), arguments: cases)
    func bf16IsCloseWhereTheCPUHasIt(_ t: Case) throws {
        let layer = try layer(t.name)
        try prepare(layer, t.name, style: 0)
        let output = try layer(fixture.tensor("\(t.name).input"), in: ComputeContext(precision: .bf16))
        #expect(relativeMaxError(output.storage, try fixture.tensor("\(t.name).style0.output").storage) <= 2e-2)
    }

    @Test func aSingleKernelIgnoresItsLogit() throws {
        let layer = try layer("adaconv.k1")
        let modulation = try fixture.floats("adaconv.k1.style0.modulation")
        try layer.prepare(kernelLogits: [7], modulation: modulation)
        let a = try #require(layer.preparedWeights)
        try layer.prepare(kernelLogits: [-3], modulation: modulation)
        #expect(layer.preparedWeights == a)
    }

    @Test func demodulationClampsInsteadOfAddingEps() throws {
        // One output channel with all-zero weights stays zero (clamped norm), one tiny channel is
        // scaled to unit norm exactly as 1/sqrt(max(Σw², 1e-8)).
        let tiny: [Float] = [3e-5, 4e-5]   // Σw² = 2.5e-9 < 1e-8
        let layer = try StyleAdaptiveConv(weights: [0, 0] + tiny + [3, 4], kernelCount: 1, outChannels: 3,
                                          inChannels: 2, kernelSize: 1)
        try layer.prepare(kernelLogits: [0], modulation: [0, 0])
        let w = try #require(layer.preparedWeights)
        #expect(w[0] == 0 && w[1] == 0)
        #expect(abs(w[2] - 3e-5 / 1e-4) < 1e-6 && abs(w[3] - 4e-5 / 1e-4) < 1e-6)
        #expect(abs(w[4] - 0.6) < 1e-6 && abs(w[5] - 0.8) < 1e-6)
    }

    @Test func misuseIsAnError() throws {
        let bank = [Float](repeating: 0.5, count: 2 * 3 * 4 * 9)
        #expect(throws: EngineError.self) { try StyleAdaptiveConv(weights: bank, kernelCount: 2, outChannels: 3, inChannels: 4, kernelSize: 2) }
        #expect(throws: EngineError.self) { try StyleAdaptiveConv(weights: bank, kernelCount: 3, outChannels: 3, inChannels: 4, kernelSize: 3) }
        #expect(throws: EngineError.self) { try StyleAdaptiveConv(weights: Tensor(zeros: [2, 3, 4, 3])) }
        let layer = try StyleAdaptiveConv(weights: bank, kernelCount: 2, outChannels: 3, inChannels: 4, kernelSize: 3)
        let context = try ComputeContext()
        #expect(!layer.isPrepared)
        #expect(throws: EngineError.self) { try layer(Tensor(zeros: [1, 4, 5, 5]), in: context) }
        #expect(throws: EngineError.self) { try layer.prepare(kernelLogits: [0], modulation: [0, 0, 0, 0]) }
        #expect(throws: EngineError.self) { try layer.prepare(kernelLogits: [0, 0], modulation: [0, 0, 0]) }
        #expect(throws: EngineError.self) { try layer.prepare(kernelLogits: [0, .nan], modulation: [0, 0, 0, 0]) }
        try layer.prepare(kernelLogits: [0, 1], modulation: [0, 0, 0, 0])
        #expect(throws: EngineError.self) { try layer(Tensor(zeros: [1, 3, 5, 5]), in: context) }
        #expect(try layer(Tensor(zeros: [1, 4, 5, 6]), in: context).shape == [1, 3, 5, 6])
    }
}
