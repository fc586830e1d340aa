import Testing
@testable import GigaEngine

/// The fused bilinear ×2 + SiLU pass against the two ops it replaces: odd sizes, one-pixel
/// images, channel counts off the 16-lane vectors, two images, and SiLU's extremes.
@Suite struct UpsampleBilinear2xTests {
    @Test(arguments: [(1, 3, 5, 7), (2, 16, 4, 3), (1, 20, 1, 1), (1, 33, 6, 2)])
    func matchesUpsampleBilinearThenSiLU(shape: (batch: Int, channels: Int, height: Int, width: Int)) throws {
        var random = SplitMix64(seed: 5)
        let count = shape.batch * shape.channels * shape.height * shape.width
        var values = random.floats(count, in: -12...12)
        for (i, extreme) in [-100, -88.5, -87, 0, -0.0, 1e-30, 88, 100, 3e38].enumerated() where i < count { values[i] = Float(extreme) }
        let input = Tensor(shape: [shape.batch, shape.channels, shape.height, shape.width], storage: values)
        let (enlarged, activated) = try Ops.upsampleBilinear2x(input, withSiLU: true)
        let reference = try Ops.upsampleBilinear(input, height: 2 * shape.height, width: 2 * shape.width)
        #expect(enlarged.shape == reference.shape)
        let differing = zip(enlarged.storage, reference.storage).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(reference.count) enlarged values differ")
        let silu = Ops.silu(reference)
        let worst = zip(try #require(activated).storage, silu.storage).map { abs($0 - $1) / max(abs($1), 1e-30) }.max() ?? 0
        #expect(worst <= 1e-6, "largest relative SiLU difference \(worst)")
        #expect(try Ops.upsampleBilinear2x(input, withSiLU: false).silu == nil)
    }

    @Test func refusesANonImage() {
        #expect(throws: EngineError.self) { try Ops.upsampleBilinear2x(Tensor(zeros: [4, 4]), withSiLU: true) }
    }
}
