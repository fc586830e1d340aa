import Testing
import GigaEngine

@Suite struct SplitMix64Tests {
    /// The first outputs for seed 0 of the reference implementation (Vigna's splitmix64.c).
    @Test func matchesThePublishedSequence() {
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
    }

    /// `mix(key)` is the first output of a generator seeded with `key`: what PositionalNoise
    /// relies on to hash a pixel position without keeping a sequence.
    @Test(arguments: [0, 1, 0xDEAD_BEEF, UInt64.max] as [UInt64])
    func mixIsTheFirstOutputOfThatSeed(_ key: UInt64) {
        var random = SplitMix64(seed: key)
        #expect(SplitMix64.mix(key) == random.next())
    }
}
