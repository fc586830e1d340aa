import Foundation
import Testing
@testable import GigaEngine

/// Conv2d and Linear (oneDNN) against PyTorch (Training/fixtures/engine_conv_linear.py).
@Suite struct ConvLinearFixtureTests {
    private let fixture: EngineFixture

    init() throws { fixture = try EngineFixture("conv-linear.safetensors") }

    /// name, kernel, stride, padding, activation — as the fixture script's CONV_CASES.
    static let convCases: [(String, Int, Int, Int, Activation)] = [
        ("conv3x3", 3, 1, 1, .none), ("conv1x1", 1, 1, 0, .none), ("conv7x7", 7, 1, 3, .none),
        ("conv3x3_stride2_odd", 3, 2, 1, .none), ("conv3x3_leaky", 3, 1, 1, .leakyReLU(slope: 0.2)),
        ("conv3x3_silu", 3, 1, 1, .silu), ("conv3x3_gelu", 3, 1, 1, .gelu),
    ]

    private func conv(_ name: String, _ kernel: Int, _ stride: Int, _ padding: Int, _ activation: Activation) throws -> Conv2d {
        let shape = try fixture.file.entry("\(name).weight").shape
        return Conv2d(weights: try fixture.floats("\(name).weight"), bias: try fixture.floats("\(name).bias"),
                      outChannels: shape[0], inChannels: shape[1], kernelSize: kernel, stride: stride,
                      padding: padding, activation: activation)
    }

    @Test(arguments: convCases)
    func convMatchesPyTorch(name: String, kernel: Int, stride: Int, padding: Int, activation: Activation) throws {
        let layer = try conv(name, kernel, stride, padding, activation)
        let output = try layer(fixture.tensor("\(name).input"), in: ComputeContext(precision: .fp32))
        try fixture.expectMatches(output, "\(name).output", tolerance: 1e-4)
    }

    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: this CPU has no bf16 instructions"), arguments: convCases)
    func convInBF16IsWithinTolerance(name: String, kernel: Int, stride: Int, padding: Int, activation: Activation) throws {
        let layer = try conv(name, kernel, stride, padding, activation)
        let output = try layer(fixture.tensor("\(name).input"), in: ComputeContext(precision: .bf16))
        try fixture.expectMatches(output, "\(name).output", tolerance: 2e-2)
    }

    @Test(arguments: [("linear_tokens", Activation.none), ("linear_vector", .leakyReLU(slope: 0.2))])
    func linearMatchesPyTorch(name: String, activation: Activation) throws {
        let shape = try fixture.file.entry("\(name).weight").shape
        let layer = Linear(weight: try fixture.floats("\(name).weight"), bias: try fixture.floats("\(name).bias"),
                           inFeatures: shape[1], outFeatures: shape[0], activation: activation)
        try fixture.expectMatches(try layer(fixture.tensor("\(name).input"), in: ComputeContext(precision: .fp32)),
                                  "\(name).output", tolerance: 1e-4)
        if ComputeContext.supportsBF16 {
            try fixture.expectMatches(try layer(fixture.tensor("\(name).input"), in: ComputeContext(precision: .bf16)),
                                      "\(name).output", tolerance: 2e-2)
        }
        #expect(throws: EngineError.self) { try layer(Tensor(zeros: [2, shape[1] + 1]), in: ComputeContext()) }
    }
}
