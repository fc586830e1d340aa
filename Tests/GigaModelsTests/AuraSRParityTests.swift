import Foundation
import GigaEngine
import Testing
@testable import GigaModels

/// Files under Tests/Fixtures/models/aurasr (written by Training/fixtures/aurasr_parity.py with
/// fal's aura-sr 0.0.4).
enum AuraSRFixture {
    static func path(_ fileName: String) -> String {
        GeneratorFixture.path("aurasr/\(fileName)")
    }

    /// The reduced config's random weights, in fal's format (config.json beside it).
    static var weights: String { path("model.safetensors") }

    static func parity() throws -> SafetensorsFile { try SafetensorsFile(path: path("parity.safetensors")) }
}

/// The Swift AuraSR against fal's `UnetUpsampler` on the reduced random-weight config: same
/// files, same z, input noise off on both sides.
@Suite struct AuraSRParityTests {
    let aura: AuraSR
    let fixture: SafetensorsFile

    init() throws {
        aura = try AuraSR(weightsPath: AuraSRFixture.weights)
        fixture = try AuraSRFixture.parity()
    }

    private func run(_ conditioning: AuraSRConditioning, _ precision: Precision = .fp32, noise: Tensor? = nil) throws -> Tensor {
        try aura.forwardTile(GeneratorFixture.tensor(fixture, "input"), conditioning: conditioning, noise: noise,
                             context: ComputeContext(precision: precision, threads: 2))
    }

    @Test func styleVectorMatches() throws {
        let c = try aura.condition(z: fixture.floats("z"))
        let error = GeneratorFixture.maxAbsDifference(c.w, try fixture.floats("w"))
        #expect(error <= 1e-5, "w: max abs error \(error)")
    }

    @Test func fp32OutputMatchesFal() throws {
        let output = try run(try aura.condition(z: fixture.floats("z")))
        #expect(output.shape == [1, 3, 64, 64])
        let reference = try fixture.floats("output")
        let error = GeneratorFixture.maxAbsDifference(output.nchwValues(), reference)
        print("AuraSR fp32 parity: max abs error \(error) (output range \(reference.min()!) … \(reference.max()!))")
        #expect(error <= 1e-3, "max abs error \(error)")
    }

    @Test(.enabled(if: ComputeContext.supportsBF16, "skipped: this CPU has no bf16 instructions"))
    func bf16IsWithin40dBOfFP32() throws {
        let c = try aura.condition(z: fixture.floats("z"))
        let reference = try run(c).storage, bf16 = try run(c, .bf16).storage
        var squares: Double = 0
        for (a, b) in zip(reference, bf16) { squares += Double(a - b) * Double(a - b) }
        let psnr = 10 * log10(1 / (squares / Double(reference.count)))
        print("AuraSR bf16 vs fp32: PSNR \(psnr) dB")
        #expect(psnr >= 40, "bf16 PSNR \(psnr) dB against fp32")
    }

    @Test func styleMattersAndConditioningsSwitchBack() throws {
        let z = try fixture.floats("z")
        let first = try aura.condition(z: z)
        let a = try run(first)
        let other = try aura.condition(z: z.reversed())     // re-prepares every adaptive conv
        let b = try run(other)
        #expect(GeneratorFixture.maxAbsDifference(a.storage, b.storage) > 0.05)
        #expect(try run(first) == a, "running the first conditioning again re-prepares its kernels")
        let twin = try AuraSR(weightsPath: AuraSRFixture.weights)
        #expect(throws: ModelError.self, "a conditioning belongs to the instance that made it") {
            try twin.forwardTile(GeneratorFixture.tensor(fixture, "input"), conditioning: first, noise: nil,
                                 context: ComputeContext(precision: .fp32, threads: 1))
        }
    }

    @Test func batchedTilesMatchSingleTiles() throws {
        let c = try aura.condition(z: fixture.floats("z"))
        let input = try GeneratorFixture.tensor(fixture, "input")
        let flipped = Tensor(nchw: input.nchwValues().reversed(), shape: input.shape)
        let batch = Tensor(shape: [2, 3, 16, 16], storage: input.storage + flipped.storage)
        let context = try ComputeContext(precision: .fp32, threads: 2)
        let both = try aura.forwardTile(batch, conditioning: c, noise: nil, context: context)
        let one = try aura.forwardTile(input, conditioning: c, noise: nil, context: context)
        let two = try aura.forwardTile(flipped, conditioning: c, noise: nil, context: context)
        #expect(GeneratorFixture.maxAbsDifference(both.storage, one.storage + two.storage) <= 1e-5)
    }

    @Test func inputNoiseIsScaledBy0001AndInputClamped() throws {
        let c = try aura.condition(z: fixture.floats("z"))
        let clean = try run(c)
        let input = try GeneratorFixture.tensor(fixture, "input")
        let noise = Tensor(shape: input.shape, storage: (0..<input.count).map { Float(($0 * 7919) % 13) / 6 - 1 })
        let noisy = try run(c, noise: noise)
        let change = GeneratorFixture.maxAbsDifference(clean.storage, noisy.storage)
        #expect(change > 0 && change < 0.1, "0.001 · noise changes the output a little: \(change)")
        let expected = zip(input.storage, noise.storage).map { min(max($0 + 0.001 * $1, 0), 1) }
        #expect(AuraSR.noisedInput(input, noise).storage == expected)
        let outOfRange = Tensor(shape: [1, 3, 1, 2], storage: [-0.5, 0.25, 1.5, 0, 1, 2])
        #expect(AuraSR.noisedInput(outOfRange, nil).storage == [0, 0.25, 1, 0, 1, 1])
    }

    @Test func wrongInputsAreRefused() throws {
        let c = try aura.condition(z: fixture.floats("z"))
        let context = try ComputeContext(precision: .fp32, threads: 1)
        #expect(throws: ModelError.self) { try aura.condition(z: [1, 2, 3]) }
        #expect(throws: ModelError.self) { try aura.forwardTile(Tensor(zeros: [1, 3, 32, 32]), conditioning: c, noise: nil, context: context) }
        #expect(throws: ModelError.self) {
            try aura.forwardTile(Tensor(zeros: [1, 3, 16, 16]), conditioning: c, noise: Tensor(zeros: [1, 3, 8, 8]), context: context)
        }
    }
}
