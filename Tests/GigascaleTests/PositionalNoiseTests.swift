import Testing
@testable import Gigascale

@Suite struct PositionalNoiseTests {
    @Test func isAPureFunctionOfSeedAndPosition() {
        let a = PositionalNoise(seed: 42), b = PositionalNoise(seed: 42), c = PositionalNoise(seed: 43)
        #expect(a.value(channel: 2, y: 100, x: 7) == b.value(channel: 2, y: 100, x: 7))
        #expect(a.value(channel: 2, y: 100, x: 7) != c.value(channel: 2, y: 100, x: 7))
        #expect(a.value(channel: 0, y: 7, x: 100) != a.value(channel: 0, y: 100, x: 7))
    }

    @Test func isStandardNormal() {
        let noise = PositionalNoise(seed: 1)
        var values: [Double] = []
        for c in 0..<3 { for y in 0..<150 { for x in 0..<150 { values.append(Double(noise.value(channel: c, y: y, x: x))) } } }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
        #expect(values.filter { abs($0) > 3 }.count < values.count / 200)   // ~0.27% beyond 3σ
    }
}
