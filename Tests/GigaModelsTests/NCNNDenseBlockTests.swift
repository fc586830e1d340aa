import Foundation
import Testing
@testable import GigaEngine
@testable import GigaModels

/// A dense block as RRDBNet builds it (each convolution reads the concatenation of the block's
/// input and every earlier output), wide enough for the bf16 Winograd kernel: in bf16 its
/// concatenations are handed to the convolutions as pieces and never written out, the pieces'
/// Winograd transforms are kept for the later convolutions, and the output stays as close to
/// fp32 as bf16 allows.
@Suite struct NCNNDenseBlockTests {
    static let channels = 32

    /// data → c1; concat(data, c1) → c2; concat(data, c1, c2) → output; leaky ReLU on c1, c2.
    static func net() throws -> NCNNNet {
        let c = channels
        let lines = [
            "Input in 0 1 data",
            "Split s0 1 3 data d0 d1 d2",
            "Convolution c1 1 1 d0 c1 0=\(c) 1=3 4=1 5=1 6=\(c * c * 9) 9=2 -23310=1,2.000000e-01",
            "Split s1 1 2 c1 c1a c1b",
            "Concat cat1 2 1 d1 c1a cat1 0=0",
            "Convolution c2 1 1 cat1 c2 0=\(c) 1=3 4=1 5=1 6=\(2 * c * c * 9) 9=2 -23310=1,2.000000e-01",
            "Concat cat2 3 1 d2 c1b c2 cat2 0=0",
            "Convolution c3 1 1 cat2 output 0=\(c) 1=3 4=1 5=1 6=\(3 * c * c * 9)",
        ]
        var random = SplitMix64(seed: 21)
        var bin: [UInt8] = []
        for inputs in [c, 2 * c, 3 * c] {
            let scale = 1 / Float(inputs * 9).squareRoot()
            bin += HostileNCNNTests.bytes(tag: 0, floats: (0..<(c * inputs * 9)).map { _ in Float.random(in: -1...1, using: &random) * scale })
            bin += HostileNCNNTests.bytes(floats: (0..<c).map { _ in Float.random(in: -0.1...0.1, using: &random) })
        }
        let param = HostileNCNNTests.param(lines, blobs: 11)
        return try NCNNNet(param: NCNNParam(text: param, source: "dense-block.param"), weights: bin, source: "dense-block.param")
    }

    static func input() -> Tensor {
        var random = SplitMix64(seed: 4)
        return Tensor(shape: [1, channels, 19, 26], storage: (0..<(channels * 19 * 26)).map { _ in Float.random(in: 0...1, using: &random) })
    }

    /// The output, the stages that ran and what each convolution ran as.
    static func run(_ precision: Precision) throws -> (output: Tensor, stages: [String], convolutions: [String]) {
        let context = try ComputeContext(precision: precision, threads: 2)
        let profiler = LayerProfiler(clock: .wall)
        context.profiler = profiler
        let output = try net().run(input(), context: context)
        return (output, profiler.stages.map(\.name), profiler.layers.map(\.kind))
    }

    @Test(.enabled(if: ComputeContext.supportsBF16 && OwnBF16Convolution.isSupported,
                   "skipped: this CPU has no AVX-512 BF16 for the Winograd kernel"))
    func bf16SkipsTheConcatenationsAndStaysNearFP32() throws {
        let (reference, _, fp32Convolutions) = try Self.run(.fp32)
        let (output, bf16Stages, bf16Convolutions) = try Self.run(.bf16)
        #expect(fp32Convolutions.count == 3 && !fp32Convolutions.contains { $0.hasSuffix("winograd") }, "\(fp32Convolutions)")
        #expect(bf16Convolutions.count == 3 && bf16Convolutions.allSatisfy { $0.hasSuffix("winograd") }, "\(bf16Convolutions)")
        #expect(!bf16Stages.contains("Concat"), "bf16 hands the pieces to the convolutions: \(bf16Stages)")
        let groups = Set(try Self.net().convolutionInputGroups.values.map { $0.sorted() })
        #expect(groups.map(\.count).sorted() == [3, 4], "data and its 3 Split copies, c1 and its 2: \(groups)")
        var signal = 0.0, noise = 0.0
        for (a, r) in zip(output.storage, reference.storage) { signal += Double(r * r); noise += Double((a - r) * (a - r)) }
        let snr = 10 * log10(signal / noise)
        #expect(output.shape == reference.shape && snr >= 40, "bf16 \(snr) dB against fp32")
    }
}
