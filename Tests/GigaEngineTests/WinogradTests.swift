import Foundation
import GigaEngine
import Testing

/// Winograd 3×3 convolutions agree with direct ones, run where oneDNN has them, and step aside
/// where it does not.
@Suite struct WinogradTests {
    private static let hasAVX512 = ComputeContext.instructionSet.hasPrefix("avx512")

    private static func layer(_ channels: Int, activation: Activation = .none) -> Conv2d {
        var random = SplitMix64(seed: 7)
        let weights = (0..<(channels * channels * 9)).map { _ in Float.random(in: -0.1...0.1, using: &random) }
        let bias = (0..<channels).map { _ in Float.random(in: -0.05...0.05, using: &random) }
        return Conv2d(weights: weights, bias: bias, outChannels: channels, inChannels: channels, kernelSize: 3,
                      padding: 1, activation: activation)
    }

    private static func input(_ channels: Int, side: Int) -> Tensor {
        var random = SplitMix64(seed: 11)
        return Tensor(shape: [1, channels, side, side], storage: (0..<(channels * side * side)).map { _ in Float.random(in: 0...1, using: &random) })
    }

    /// PSNR of `b` against `a`, with the reference's range as the peak.
    private static func psnr(_ a: Tensor, _ b: Tensor) -> Double {
        let peak = Double(a.storage.max()! - a.storage.min()!)
        let mse = zip(a.storage, b.storage).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(a.storage.count)
        return mse == 0 ? .infinity : 10 * log10(peak * peak / mse)
    }

    private static let oneDNNHasWinograd = ComputeContext.oneDNNVersion.hasPrefix("2.")

    /// oneDNN 3 removed its Winograd convolutions: asked for one there, the layer runs direct.
    @Test(.enabled(if: hasAVX512, "oneDNN has Winograd kernels only on AVX-512"))
    func agreesWithDirectTo60dB() throws {
        let input = Self.input(64, side: 48)
        let direct = try ComputeContext(precision: .fp32, threads: 1)
        let winograd = try ComputeContext(precision: .fp32, threads: 1)
        winograd.convolutionAlgorithm = .winograd(minimumChannels: 32)
        let reference = Self.layer(64), tested = Self.layer(64)
        let expected = try reference(input, in: direct)
        let got = try tested(input, in: winograd)
        #expect(tested.implementations.contains { $0.contains("wino") } == Self.oneDNNHasWinograd,
                "oneDNN \(ComputeContext.oneDNNVersion): \(tested.implementations)")
        #expect(!reference.implementations.contains { $0.contains("wino") })
        #expect(Self.psnr(expected, got) >= 60, "PSNR \(Self.psnr(expected, got)) dB")
    }

    /// Narrow layers, a leaky ReLU (oneDNN 2.x fuses only a plain ReLU into Winograd) and an
    /// accumulated destination run direct whatever the context asks.
    @Test func stepsAsideWhereItCannotOrShouldNotRun() throws {
        let context = try ComputeContext(precision: .fp32, threads: 1)
        context.convolutionAlgorithm = .winograd(minimumChannels: 32)
        let narrow = Self.layer(16)
        _ = try narrow(Self.input(16, side: 32), in: context)
        #expect(!narrow.implementations.contains { $0.contains("wino") }, "\(narrow.implementations)")

        let leaky = Self.layer(64, activation: .leakyReLU(slope: 0.2))
        _ = try leaky(Self.input(64, side: 32), in: context)
        if ComputeContext.oneDNNVersion.hasPrefix("2.") {
            #expect(!leaky.implementations.contains { $0.contains("wino") }, "\(leaky.implementations)")
        }

        let wide = Self.layer(64), reference = Self.layer(64)
        let input = Self.input(64, side: 32)
        var sum = Tensor(shape: [1, 64, 32, 32], storage: [Float](repeating: 0.5, count: 64 * 32 * 32))
        var expected = sum
        try wide(input, addingTo: &sum, in: context)
        try reference(input, addingTo: &expected, in: try ComputeContext(precision: .fp32, threads: 1))
        #expect(!wide.implementations.contains { $0.contains("wino") }, "\(wide.implementations)")
        #expect(sum.storage == expected.storage)
    }
}
