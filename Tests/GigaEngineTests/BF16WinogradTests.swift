import Foundation
import Testing
@testable import GigaEngine

/// Gigascale's own bf16 Winograd F(2×2, 3×3) kernel against fp32 direct convolution: as close
/// as oneDNN's bf16 direct convolution is, on odd sizes, channel counts off its blocks, every
/// epilogue and several threads.
@Suite(.enabled(if: WinogradConvolution.isSupported, "skipped: this CPU has no AVX-512 BF16 for the Winograd kernel"))
struct BF16WinogradTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var batch = 1
        var inChannels: Int
        var outChannels: Int
        var height: Int
        var width: Int
        var activation: Activation = .none
        var bias = true
        var accumulate = false
        var scale: Float = 1
        var final: Activation = .none
        var threads = 1
        var testDescription: String {
            "\(batch)x\(inChannels)→\(outChannels) @\(height)x\(width) \(activation) bias \(bias) accumulate \(accumulate) scale \(scale) final \(final) threads \(threads)"
        }
    }

    static let cases: [Case] = [
        Case(batch: 2, inChannels: 48, outChannels: 40, height: 37, width: 21, activation: .leakyReLU(slope: 0.2), threads: 2),
        Case(inChannels: 35, outChannels: 64, height: 16, width: 18, activation: .silu, bias: false, accumulate: true,
             scale: 0.70710678),
        Case(inChannels: 128, outChannels: 32, height: 64, width: 64),
        Case(inChannels: 64, outChannels: 96, height: 3, width: 5, activation: .leakyReLU(slope: 0.1), threads: 2),
        Case(inChannels: 64, outChannels: 64, height: 20, width: 12, accumulate: true, scale: 0.70710678, final: .silu),
    ]

    private static func snr(_ actual: [Float], _ reference: [Float]) -> Double {
        var signal = 0.0, noise = 0.0
        for (a, r) in zip(actual, reference) { signal += Double(r * r); noise += Double((a - r) * (a - r)) }
        return 10 * log10(signal / max(noise, 1e-30))
    }

    private static func run(_ c: Case, precision: Precision, winograd: Bool) throws -> (values: [Float], usedWinograd: Bool) {
        var random = SplitMix64(seed: 5)
        let weights = random.floats(c.outChannels * c.inChannels * 9, in: -1...1).map { $0 / Float(c.inChannels * 9).squareRoot() }
        let bias = c.bias ? random.floats(c.outChannels, in: -0.2...0.2) : nil
        let input = Tensor(shape: [c.batch, c.inChannels, c.height, c.width],
                           storage: random.floats(c.batch * c.inChannels * c.height * c.width, in: -0.5...1.5))
        var output = Tensor(shape: [c.batch, c.outChannels, c.height, c.width],
                            storage: random.floats(c.batch * c.outChannels * c.height * c.width))
        let conv = Conv2d(weights: weights, bias: bias, outChannels: c.outChannels, inChannels: c.inChannels, kernelSize: 3,
                          padding: 1, activation: c.activation, outputScale: c.scale, finalActivation: c.final)
        let context = try ComputeContext(precision: precision, threads: c.threads)
        context.bf16Winograd = winograd
        if c.accumulate { try conv(input, addingTo: &output, in: context) } else { try conv(input, into: &output, in: context) }
        return (output.storage, conv.hasRunWinograd)
    }

    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: no bf16"), arguments: cases)
    func agreesWithFP32AsWellAsDirectBF16Does(_ c: Case) throws {
        let reference = try Self.run(c, precision: .fp32, winograd: true)
        let direct = try Self.run(c, precision: .bf16, winograd: false)
        let winograd = try Self.run(c, precision: .bf16, winograd: true)
        #expect(!reference.usedWinograd && !direct.usedWinograd && winograd.usedWinograd)
        let directSNR = Self.snr(direct.values, reference.values), winogradSNR = Self.snr(winograd.values, reference.values)
        #expect(winogradSNR >= 40, "Winograd \(winogradSNR) dB against fp32")
        #expect(winogradSNR >= directSNR - 6, "Winograd \(winogradSNR) dB, oneDNN bf16 direct \(directSNR) dB")
    }

    /// Dense-block reads: a kept transform is filled by the first convolution that reads a piece
    /// and read by the later ones, and every output is bit for bit what the kernel computes
    /// without caches. A piece whose channels are off the 16-channel blocks turns caching off for
    /// that call, with the same result.
    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: no bf16"), arguments: [32, 24])
    func keptInputTransformsChangeNoBit(secondPieceChannels: Int) throws {
        var random = SplitMix64(seed: 9)
        let (height, width) = (37, 21)
        let pieces = [48, secondPieceChannels, 32].map {
            Tensor(shape: [1, $0, height, width], storage: random.floats($0 * height * width, in: -0.5...1.5))
        }
        func conv(_ inChannels: Int) -> Conv2d {
            Conv2d(weights: random.floats(32 * inChannels * 9, in: -0.1...0.1), bias: random.floats(32, in: -0.2...0.2),
                   outChannels: 32, inChannels: inChannels, kernelSize: 3, padding: 1, activation: .leakyReLU(slope: 0.2))
        }
        let convolutions = (1...3).map { count in (conv(pieces.prefix(count).reduce(0) { $0 + $1.channels }), count) }
        let context = try ComputeContext(precision: .bf16, threads: 2)
        let pool = WinogradCachePool()
        let caches: [WinogradInputCache?] = [WinogradInputCache(pool: pool), WinogradInputCache(pool: pool), nil]
        for (convolution, count) in convolutions {
            let parts = Array(pieces.prefix(count))
            let plain = try convolution(concatenationOf: parts, in: context)
            let kept = try convolution(concatenationOf: parts, caches: Array(caches.prefix(count)), in: context)
            #expect(convolution.hasRunWinograd)
            let differing = zip(kept.storage, plain.storage).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(count) pieces: \(differing) of \(plain.count) values differ")
        }
        #expect(caches[0]!.isReady && caches[1]!.isReady == (secondPieceChannels % 16 == 0))
    }

    @Test func narrowOrOtherConvolutionsStayDirect() {
        let ok = WinogradConvolution.eligible(inChannels: 64, outChannels: 32, kernel: (3, 3), stride: (1, 1),
                                              padding: (1, 1, 1, 1), activation: .none)
        #expect(ok)
        #expect(!WinogradConvolution.eligible(inChannels: 16, outChannels: 64, kernel: (3, 3), stride: (1, 1),
                                              padding: (1, 1, 1, 1), activation: .none))
        #expect(!WinogradConvolution.eligible(inChannels: 64, outChannels: 64, kernel: (3, 3), stride: (2, 2),
                                              padding: (1, 1, 1, 1), activation: .none))
        #expect(!WinogradConvolution.eligible(inChannels: 64, outChannels: 64, kernel: (1, 1), stride: (1, 1),
                                              padding: (0, 0, 0, 0), activation: .none))
        #expect(!WinogradConvolution.eligible(inChannels: 64, outChannels: 64, kernel: (3, 3), stride: (1, 1),
                                              padding: (1, 1, 1, 1), activation: .gelu))
    }
}
