import Foundation
import GigaEngine
import Testing
@testable import GigaModels

private func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float { GeneratorFixture.maxAbsDifference(a, b) }
private func splitRows(_ v: [Float], channels: Int, height: Int, width: Int) -> (even: [Float], odd: [Float]) {
    GeneratorFixture.splitRows(v, channels: channels, height: height, width: width)
}

/// One config's fixture pair: random weights and the twin's inputs/outputs.
struct GeneratorParityCase: Sendable, CustomTestStringConvertible {
    var name: String
    var weights: String
    var parity: String
    var testDescription: String { name }

    static let tiny = GeneratorParityCase(name: "tiny", weights: "gigagan-tiny.safetensors",
                                          parity: "generator-parity-tiny.safetensors")
    /// A sub-pixel `to_rgb` (3×3 conv, pixel shuffle ×4) on a 16 px tile.
    static let tinySubpixel = GeneratorParityCase(name: "tiny-subpixel", weights: "gigagan-tiny-subpixel.safetensors",
                                                  parity: "generator-parity-tiny-subpixel.safetensors")
    /// Its weights are made from a committed layout and seed (17 MB were once committed).
    static let small = GeneratorParityCase(name: "gigagan-8x-s", weights: "gigagan-8x-s-random.layout.json",
                                           parity: "generator-parity-gigagan-8x-s.safetensors")

    /// The weights file's path (made from its layout first, where the fixture is a layout).
    var weightsPath: String {
        get throws {
            let path = GeneratorFixture.path(weights)
            return weights.hasSuffix(".layout.json") ? try PortableRandomWeights.file(forLayout: path) : path
        }
    }
}

/// A generator with its parity fixture loaded.
struct GeneratorUnderTest {
    let generator: Generator
    let fixture: SafetensorsFile

    init(_ parityCase: GeneratorParityCase) throws {
        generator = try Generator(path: parityCase.weightsPath)
        fixture = try SafetensorsFile(path: GeneratorFixture.path(parityCase.parity))
    }

    func conditioning(zOffset: Float = 0) throws -> Conditioning {
        let tokens = try GeneratorFixture.tensor(fixture, "text_tokens")
        return try generator.condition(z: fixture.floats("z").map { $0 + zOffset }, textTokens: tokens,
                                       textMask: fixture.floats("text_mask").map { $0 != 0 })
    }

    func run(_ conditioning: Conditioning, _ precision: Precision = .fp32) throws -> Tensor {
        try generator.forwardTile(GeneratorFixture.tensor(fixture, "lr"), conditioning: conditioning,
                                  noise: GeneratorFixture.tensor(fixture, "noise"),
                                  context: ComputeContext(precision: precision, threads: 2))
    }
}

/// The Swift generator against its PyTorch twin with random weights (Training/fixtures/
/// generator_parity.py): same file, same z, text features, tile and noise. `tiny` (fp32 weights)
/// exercises every code path; `gigagan-8x-s` (fp16 weights) is the CPU default config.
@Suite struct GeneratorParityTests {
    @Test(arguments: [GeneratorParityCase.tiny, .tinySubpixel, .small])
    func styleVectorMatches(_ parityCase: GeneratorParityCase) throws {
        let model = try GeneratorUnderTest(parityCase)
        let c = try model.conditioning()
        let w = try model.fixture.floats("w"), tGlobal = try model.fixture.floats("t_global")
        #expect(c.w.count == w.count && c.tGlobal.count == tGlobal.count)
        #expect(maxAbsDifference(c.tGlobal, tGlobal) <= 1e-5)
        #expect(maxAbsDifference(c.w, w) <= 1e-4)
    }

    @Test(arguments: [GeneratorParityCase.tiny, .tinySubpixel, .small])
    func fp32OutputMatchesTheTwin(_ parityCase: GeneratorParityCase) throws {
        let model = try GeneratorUnderTest(parityCase)
        let output = try model.run(try model.conditioning())
        let lr = try GeneratorFixture.tensor(model.fixture, "lr")
        let side = lr.height * 8
        #expect(output.shape == [1, 3, side, side])
        let (even, odd) = splitRows(output.nchwValues(), channels: 3, height: side, width: side)
        let evenReference = try model.fixture.floats("output.even_rows")
        let evenError = maxAbsDifference(even, evenReference)
        #expect(evenError <= 1e-3, "even rows (F32 reference): max abs error \(evenError)")
        // Odd rows are stored in F16: allow its rounding (half an ulp, 2^-11 relative) on top.
        let oddReference = try model.fixture.floats("output.odd_rows")
        let oddExcess = zip(odd, oddReference).map { abs($0 - $1) - abs($1) * 0x1p-11 }.max()!
        #expect(oddExcess <= 1e-3, "odd rows (F16 reference): max abs error beyond F16 rounding \(oddExcess)")
        // The residual matters: the output is far from the bicubic anchor alone.
        let anchor = try Ops.upsampleBicubic(lr, scale: 8).nchwValues()
        #expect(maxAbsDifference(splitRows(anchor, channels: 3, height: side, width: side).even, evenReference) > 0.05)
    }

    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: this CPU has no bf16 instructions"),
          arguments: [GeneratorParityCase.tiny, .tinySubpixel, .small])
    func bf16IsWithin40dBOfFP32(_ parityCase: GeneratorParityCase) throws {
        let model = try GeneratorUnderTest(parityCase)
        let c = try model.conditioning()
        let reference = try model.run(c, .fp32).storage, bf16 = try model.run(c, .bf16).storage
        var squares: Double = 0
        for (a, b) in zip(reference, bf16) { squares += Double(a - b) * Double(a - b) }
        let psnr = 10 * log10(1 / (squares / Double(reference.count)))
        #expect(psnr >= 40, "bf16 PSNR \(psnr) dB against fp32")
    }
}

/// Behaviour around the parity numbers, on the `tiny` config.
@Suite struct GeneratorBehaviourTests {
    let model: GeneratorUnderTest
    var generator: Generator { model.generator }
    var fixture: SafetensorsFile { model.fixture }

    init() throws { model = try GeneratorUnderTest(.tiny) }

    private func conditioning(zOffset: Float = 0) throws -> Conditioning { try model.conditioning(zOffset: zOffset) }
    private func run(_ c: Conditioning) throws -> Tensor { try model.run(c) }

    @Test func configComesFromTheMetadata() {
        #expect(generator.config.name == "tiny")
        #expect(generator.config.tile == 64 && generator.config.scale == 8)
        #expect(generator.styleConvs.count == 2 * (4 + 2 + 7))   // 4 encoder, 2 bottleneck, 7 decoder blocks
        #expect(generator.crossAttentions.map(\.name) == ["bottleneck.attn.layers.0.cross_attn",
                                                          "bottleneck.attn.layers.1.cross_attn",
                                                          "decoder.1.attn.layers.0.cross_attn"])
    }

    @Test func conditioningIsReusedAndSwitchedBack() throws {
        let first = try conditioning()
        let a = try run(first)
        let other = try conditioning(zOffset: 0.5)      // re-prepares every adaptive conv
        let b = try run(other)
        #expect(a != b)
        #expect(try run(first) == a, "running the first conditioning again re-prepares its kernels")
        let twin = try GeneratorUnderTest(.tiny)
        #expect(throws: ModelError.self, "a conditioning belongs to the generator that made it") { try twin.run(first) }
    }

    @Test func wrongInputsAreRefused() throws {
        let c = try conditioning()
        let context = try ComputeContext(precision: .fp32, threads: 1)
        // Any tile side that is a multiple of 8 runs; others are refused.
        #expect(try generator.forwardTile(Tensor(zeros: [1, 3, 32, 16]), conditioning: c, noise: nil, context: context).shape
                == [1, 3, 256, 128])
        #expect(throws: ModelError.self) {
            try generator.forwardTile(Tensor(zeros: [1, 3, 36, 32]), conditioning: c, noise: nil, context: context)
        }
        #expect(throws: ModelError.self) {
            try generator.condition(z: [0, 1], textTokens: Tensor(zeros: [1, 3, 384]), textMask: [true, true, true])
        }
        #expect(throws: ModelError.self) {
            try generator.condition(z: [1, 0, 0, 0], textTokens: Tensor(zeros: [1, 3, 384]), textMask: [false, false, false])
        }
        #expect(throws: ModelError.self) {
            try generator.condition(z: [1, 0, 0, 0], textTokens: Tensor(zeros: [1, 17, 384]),
                                    textMask: [Bool](repeating: true, count: 17))
        }
    }
}
