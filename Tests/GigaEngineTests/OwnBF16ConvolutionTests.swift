import Foundation
import Testing
@testable import GigaEngine

/// Gigascale's own bf16 kernels (Winograd F(2×2, 3×3) from 32 channels, direct below) against
/// fp32 direct convolution: as close as oneDNN's bf16 direct convolution is, on odd sizes,
/// channel counts off their blocks, every epilogue and several threads.
@Suite(.enabled(if: OwnBF16Convolution.isSupported, "skipped: this CPU has no AVX-512 BF16 for Gigascale's own kernels"))
struct OwnBF16ConvolutionTests {
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
        // The direct kernel: a 16-channel 512 px stage's shape, odd channels, a partial group of
        // 16 outputs, rows narrower than its 16-pixel step.
        Case(inChannels: 16, outChannels: 16, height: 37, width: 53, activation: .silu, threads: 2),
        Case(inChannels: 9, outChannels: 20, height: 11, width: 7, activation: .leakyReLU(slope: 0.2), accumulate: true,
             scale: 0.70710678),
        Case(batch: 2, inChannels: 24, outChannels: 8, height: 5, width: 19, bias: false, final: .silu, threads: 2),
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
        context.bf16OwnKernels = winograd
        if c.accumulate { try conv(input, addingTo: &output, in: context) } else { try conv(input, into: &output, in: context) }
        return (output.storage, conv.hasRunOwnKernel)
    }

    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: no bf16"), arguments: cases)
    func agreesWithFP32AsWellAsDirectBF16Does(_ c: Case) throws {
        let reference = try Self.run(c, precision: .fp32, winograd: true)
        let oneDNN = try Self.run(c, precision: .bf16, winograd: false)
        let own = try Self.run(c, precision: .bf16, winograd: true)
        #expect(!reference.usedWinograd && !oneDNN.usedWinograd && own.usedWinograd)
        let oneDNNSNR = Self.snr(oneDNN.values, reference.values), ownSNR = Self.snr(own.values, reference.values)
        #expect(ownSNR >= 40, "own kernel \(ownSNR) dB against fp32")
        #expect(ownSNR >= oneDNNSNR - 6, "own kernel \(ownSNR) dB, oneDNN bf16 direct \(oneDNNSNR) dB")
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
            #expect(convolution.hasRunOwnKernel)
            let differing = zip(kept.storage, plain.storage).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(count) pieces: \(differing) of \(plain.count) values differ")
        }
        #expect(caches[0]!.isReady && caches[1]!.isReady == (secondPieceChannels % 16 == 0))
    }

    /// The direct kernel reading `Ops.upsampleBilinear2x`'s enlargement (and SiLU of it) as it
    /// loads rows, and adding the enlargement of a residual in its epilogue, gives bit for bit
    /// what it gives on the enlargements written out: odd half sizes, a one-pixel map, channels
    /// off the 16-output groups, several threads and images.
    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: no bf16"),
          arguments: [(16, 16, 19, 27, 2, 2), (9, 20, 5, 3, 1, 1), (24, 24, 1, 1, 2, 1)])
    func enlargementsReadInPlaceChangeNoBit(_ shape: (Int, Int, Int, Int, Int, Int)) throws {
        let (inChannels, outChannels, height, width, threads, batch) = shape
        var random = SplitMix64(seed: 13)
        func map(_ channels: Int, _ h: Int, _ w: Int) -> Tensor {
            Tensor(shape: [batch, channels, h, w], storage: random.floats(batch * channels * h * w, in: -2...2))
        }
        let conv1 = Conv2d(weights: random.floats(outChannels * inChannels * 9, in: -0.2...0.2),
                           bias: random.floats(outChannels, in: -0.2...0.2), outChannels: outChannels,
                           inChannels: inChannels, kernelSize: 3, padding: 1, activation: .silu)
        let conv2 = Conv2d(weights: random.floats(outChannels * outChannels * 9, in: -0.2...0.2),
                           bias: random.floats(outChannels, in: -0.2...0.2), outChannels: outChannels,
                           inChannels: outChannels, kernelSize: 3, padding: 1, outputScale: 0.70710678, finalActivation: .silu)
        let context = try ComputeContext(precision: .bf16, threads: threads)
        #expect(conv1.fusesEnlargement(in: context) && conv2.fusesEnlargement(in: context))
        func differing(_ a: Tensor, _ b: Tensor) -> Int {
            a.shape != b.shape ? -1 : zip(a.storage, b.storage).filter { $0.bitPattern != $1.bitPattern }.count
        }

        let x = map(inChannels, height, width)
        let fusedInput = try conv1(enlarging: x, silu: true, in: context)
        let writtenInput = try conv1(Ops.upsampleBilinear2x(x, withSiLU: true).silu!, in: context)
        #expect(differing(fusedInput, writtenInput) == 0)
        let plainInput = try conv1(enlarging: x, silu: false, in: context)
        #expect(differing(plainInput, try conv1(Ops.upsampleBilinear2x(x, withSiLU: false).enlarged, in: context)) == 0)

        let residual = map(outChannels, height, width), h = map(outChannels, 2 * height, 2 * width)
        let fusedSum = try conv2(h, addingEnlarged: residual, in: context)
        var writtenSum = try Ops.upsampleBilinear2x(residual, withSiLU: false).enlarged
        try conv2(h, addingTo: &writtenSum, in: context)
        #expect(differing(fusedSum, writtenSum) == 0)
    }

    /// Only the direct kernel in bf16 fuses enlargements; elsewhere the calls say so.
    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: no bf16"))
    func enlargementsAreRefusedWhereTheKernelCannotFuseThem() throws {
        var random = SplitMix64(seed: 3)
        func conv(_ channels: Int) -> Conv2d {
            Conv2d(weights: random.floats(channels * channels * 9, in: -0.1...0.1), bias: nil, outChannels: channels,
                   inChannels: channels, kernelSize: 3, padding: 1)
        }
        let narrow = conv(16), wide = conv(32)
        let bf16 = try ComputeContext(precision: .bf16), fp32 = try ComputeContext(precision: .fp32)
        #expect(narrow.fusesEnlargement(in: bf16) && !narrow.fusesEnlargement(in: fp32) && !wide.fusesEnlargement(in: bf16))
        let x = Tensor(shape: [1, 32, 4, 4], storage: random.floats(512, in: -1...1))
        #expect(throws: EngineError.self) { try wide(enlarging: x, silu: true, in: bf16) }
        #expect(throws: EngineError.self) { try narrow(enlarging: x, silu: true, in: bf16) }   // 32 channels into a 16-channel conv
    }

    /// Winograd from 32 channels in and out, the direct kernel from 8, oneDNN otherwise.
    @Test func eachShapeGoesToItsKernel() {
        func algorithm(_ inChannels: Int, _ outChannels: Int, kernel: Int = 3, stride: Int = 1,
                       activation: Activation = .none) -> OwnBF16Convolution.Algorithm? {
            let pad = kernel / 2
            return OwnBF16Convolution.algorithm(inChannels: inChannels, outChannels: outChannels, kernel: (kernel, kernel),
                                                stride: (stride, stride), padding: (pad, pad, pad, pad), activation: activation)
        }
        #expect(algorithm(64, 32) == .winograd)
        #expect(algorithm(16, 64) == .direct && algorithm(16, 16) == .direct && algorithm(8, 20) == .direct)
        #expect(algorithm(3, 64) == nil && algorithm(64, 3) == nil)
        #expect(algorithm(64, 64, stride: 2) == nil && algorithm(64, 64, kernel: 1) == nil)
        #expect(algorithm(64, 64, activation: .gelu) == nil && algorithm(16, 16, activation: .gelu) == nil)
    }
}
