import Foundation
import Testing
@testable import GigaEngine

/// `AttentionLayer` (oneDNN products) against PyTorch's fixture and against `Ops.attention` /
/// `Ops.l2Attention`, the plain-loop references.
@Suite struct AttentionLayerTests {
    private let fixture: EngineFixture
    private let context: ComputeContext

    init() throws {
        fixture = try EngineFixture("attention-adaptive.safetensors")
        context = try ComputeContext(precision: .fp32, threads: 1)
    }

    private static func tokens(_ shape: [Int], seed: UInt64, spread: Float = 1) -> Tensor {
        var random = SplitMix64(seed: seed)
        return Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in Float.random(in: -spread...spread, using: &random) })
    }

    @Test func matchesPyTorchWithAndWithoutMasks() throws {
        let layer = AttentionLayer()
        let q = try fixture.tensor("attention.query"), k = try fixture.tensor("attention.key"), v = try fixture.tensor("attention.value")
        let plain = try layer.attention(query: q, key: k, value: v, heads: 3, in: context)
        #expect(relativeMaxError(plain.storage, try fixture.tensor("attention.output").storage) <= 1e-4)
        let masked = try layer.attention(query: q, key: k, value: v, heads: 3, keyMask: fixture.mask("attention.mask"), in: context)
        #expect(relativeMaxError(masked.storage, try fixture.tensor("attention.masked.output").storage) <= 1e-4)
        let fullyMasked = try layer.attention(query: q, key: k, value: v, heads: 3, keyMask: fixture.mask("attention.fullmask"),
                                              in: context)
        #expect(relativeMaxError(fullyMasked.storage, try fixture.tensor("attention.fullmask.output").storage) <= 1e-4)
        let narrow = try layer.attention(query: q, key: k, value: fixture.tensor("attention.value5"), heads: 3, in: context)
        #expect(relativeMaxError(narrow.storage, try fixture.tensor("attention.value5.output").storage) <= 1e-4)
        let scaled = try layer.attention(query: q, key: k, value: v, heads: 3, scale: 0.61, in: context)
        #expect(relativeMaxError(scaled.storage, try fixture.tensor("attention.scaled.output").storage) <= 1e-4)
    }

    @Test func l2AttentionMatchesPyTorchsCdist() throws {
        let layer = AttentionLayer()
        let qk = try fixture.tensor("l2attention.querykey"), v = try fixture.tensor("l2attention.value")
        let output = try layer.l2Attention(queryKey: qk, value: v, heads: 3, in: context)
        #expect(relativeMaxError(output.storage, try fixture.tensor("l2attention.output").storage) <= 1e-4)
        let scaled = try layer.l2Attention(queryKey: qk, value: v, heads: 3, scale: 0.23, in: context)
        #expect(relativeMaxError(scaled.storage, try fixture.tensor("l2attention.scaled.output").storage) <= 1e-4)
    }

    /// Sequences long enough that the queries run in several blocks (the last one shorter), with
    /// nearby tokens of large norm, where an expanded distance would cancel badly.
    @Test func longSequencesInBlocksMatchTheReference() throws {
        let layer = AttentionLayer()
        let (t, heads) = (1100, 2)
        #expect(heads * t * t > AttentionLayer.logitBudget, "the test must cross a block boundary")
        let base = Self.tokens([1, t, heads * 8], seed: 3, spread: 0.2)
        let offset = Self.tokens([1, 1, heads * 8], seed: 4, spread: 6)
        let qk = Tensor(shape: base.shape, storage: base.storage.enumerated().map { $0.element + offset.storage[$0.offset % (heads * 8)] })
        let v = Self.tokens([1, t, heads * 4], seed: 5)
        let l2 = try layer.l2Attention(queryKey: qk, value: v, heads: heads, in: context)
        #expect(relativeMaxError(l2.storage, try Ops.l2Attention(queryKey: qk, value: v, heads: heads).storage) <= 1e-4)
        let q = Self.tokens([2, 700, heads * 8], seed: 6), k = Self.tokens([2, t, heads * 8], seed: 7)
        let values = Self.tokens([2, t, heads * 4], seed: 8)
        let mask = (0..<(2 * t)).map { $0 % 7 != 3 }
        let dot = try layer.attention(query: q, key: k, value: values, heads: heads, keyMask: mask, in: context)
        let expected = try Ops.attention(query: q, key: k, value: values, heads: heads, keyMask: mask)
        #expect(relativeMaxError(dot.storage, expected.storage) <= 1e-4)
    }

    @Test func refusesMismatchedShapesAndMasks() throws {
        let layer = AttentionLayer()
        let q = Self.tokens([1, 5, 6], seed: 1), k = Self.tokens([1, 4, 6], seed: 2), v = Self.tokens([1, 4, 3], seed: 3)
        #expect(throws: EngineError.self) { try layer.attention(query: q, key: k, value: v, heads: 4, in: context) }
        #expect(throws: EngineError.self) { try layer.attention(query: q, key: k, value: v, heads: 3, keyMask: [true], in: context) }
        #expect(throws: EngineError.self) { try layer.attention(query: q, key: q, value: v, heads: 3, in: context) }
    }

    /// The layer's row softmax (AVX-512 where the CPU has it) against the reference loop, on rows
    /// off the 16-lane steps with logits far below their maximum, which both take as exactly 0.
    @Test(arguments: [1, 37, 256])
    func rowSoftmaxMatchesTheReference(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
        var fast = rng.floats(count, in: -150...40)
        var reference = fast
        fast.withUnsafeMutableBufferPointer { AttentionLayer.softmax($0.baseAddress!, count: count) }
        reference.withUnsafeMutableBufferPointer { softmaxInPlace($0.baseAddress!, count: count) }
        for (a, r) in zip(fast, reference) {
            #expect(abs(a - r) <= 1e-6 * max(r, 1e-30) + 1e-9)
            #expect((a == 0) == (r == 0))
        }
        #expect(abs(fast.reduce(0, +) - 1) < 1e-5)
    }
}
