import Foundation
import Testing
@testable import GigaEngine

/// Attention ops against PyTorch (Training/fixtures/engine_attention_adaptive.py).
@Suite struct AttentionTests {
    private let fixture: EngineFixture

    init() throws { fixture = try EngineFixture("attention-adaptive.safetensors") }

    @Test func matchesScaledDotProductAttention() throws {
        let q = try fixture.tensor("attention.query"), k = try fixture.tensor("attention.key"), v = try fixture.tensor("attention.value")
        let expected = try fixture.tensor("attention.output")
        let output = try Ops.attention(query: q, key: k, value: v, heads: 3)
        #expect(output.shape == [2, 37, 24])
        #expect(relativeMaxError(output.storage, expected.storage) <= 1e-4)
        // The heads really are separate: one head fewer gives a different answer.
        let wrong = try Ops.attention(query: q, key: k, value: v, heads: 1)
        #expect(relativeMaxError(wrong.storage, expected.storage) > 1e-2)
    }

    @Test func honoursAnExplicitScale() throws {
        let output = try Ops.attention(query: fixture.tensor("attention.query"), key: fixture.tensor("attention.key"),
                                       value: fixture.tensor("attention.value"), heads: 3, scale: 0.61)
        #expect(relativeMaxError(output.storage, try fixture.tensor("attention.scaled.output").storage) <= 1e-4)
    }

    @Test func keyPaddingMaskMatchesSDPAsBooleanMask() throws {
        let output = try Ops.attention(query: fixture.tensor("attention.query"), key: fixture.tensor("attention.key"),
                                       value: fixture.tensor("attention.value"), heads: 3, keyMask: fixture.mask("attention.mask"))
        #expect(relativeMaxError(output.storage, try fixture.tensor("attention.masked.output").storage) <= 1e-4)
    }

    @Test func fullyMaskedRowsAttendUniformlyAsMaskedFillDoes() throws {
        let output = try Ops.attention(query: fixture.tensor("attention.query"), key: fixture.tensor("attention.key"),
                                       value: fixture.tensor("attention.value"), heads: 3, keyMask: fixture.mask("attention.fullmask"))
        #expect(output.storage.allSatisfy { $0.isFinite })
        #expect(relativeMaxError(output.storage, try fixture.tensor("attention.fullmask.output").storage) <= 1e-4)
    }

    @Test func valueHeadsMayBeNarrowerThanQueryHeads() throws {
        let output = try Ops.attention(query: fixture.tensor("attention.query"), key: fixture.tensor("attention.key"),
                                       value: fixture.tensor("attention.value5"), heads: 3)
        #expect(output.shape == [2, 37, 15])
        #expect(relativeMaxError(output.storage, try fixture.tensor("attention.value5.output").storage) <= 1e-4)
    }

    @Test func l2AttentionMatchesCdistReference() throws {
        let qk = try fixture.tensor("l2attention.querykey"), v = try fixture.tensor("l2attention.value")
        let output = try Ops.l2Attention(queryKey: qk, value: v, heads: 3)
        #expect(output.shape == [2, 29, 18])
        #expect(relativeMaxError(output.storage, try fixture.tensor("l2attention.output").storage) <= 1e-4)
        let scaled = try Ops.l2Attention(queryKey: qk, value: v, heads: 3, scale: 0.23)
        #expect(relativeMaxError(scaled.storage, try fixture.tensor("l2attention.scaled.output").storage) <= 1e-4)
        // Not the dot-product attention of the same tensors.
        let dot = try Ops.attention(query: qk, key: qk, value: v, heads: 3)
        #expect(relativeMaxError(dot.storage, try fixture.tensor("l2attention.output").storage) > 1e-2)
    }

    @Test func featureMapTokensAreAFreeReshape() throws {
        // A [1, C, H, W] map viewed as [1, H*W, C] tokens attends like the same tokens given directly.
        var rng = SeededGenerator(seed: 21)
        let (c, h, w) = (6, 3, 5)
        let nchw = rng.floats(c * h * w)
        let map = Tensor(nchw: nchw, shape: [1, c, h, w])
        var tokens = [Float](repeating: 0, count: nchw.count)
        for ch in 0..<c { for p in 0..<(h * w) { tokens[p * c + ch] = nchw[ch * h * w + p] } }
        let a = try Ops.l2Attention(queryKey: map.reshaped([1, h * w, c]), value: map.reshaped([1, h * w, c]), heads: 2)
        let b = try Ops.l2Attention(queryKey: Tensor(shape: [1, h * w, c], storage: tokens),
                                    value: Tensor(shape: [1, h * w, c], storage: tokens), heads: 2)
        #expect(a.storage == b.storage)
    }

    @Test func shapeMismatchesAreErrors() throws {
        let q = Tensor(zeros: [1, 4, 6]), k = Tensor(zeros: [1, 3, 6]), v = Tensor(zeros: [1, 3, 6])
        #expect(throws: EngineError.self) { try Ops.attention(query: q, key: k, value: v, heads: 4) }          // 6 % 4
        #expect(throws: EngineError.self) { try Ops.attention(query: q, key: k, value: v, heads: 0) }
        #expect(throws: EngineError.self) { try Ops.attention(query: q, key: Tensor(zeros: [1, 3, 3]), value: v, heads: 3) }
        #expect(throws: EngineError.self) { try Ops.attention(query: q, key: k, value: Tensor(zeros: [1, 2, 6]), heads: 2) }
        #expect(throws: EngineError.self) { try Ops.attention(query: q, key: k, value: Tensor(zeros: [2, 3, 6]), heads: 2) }
        #expect(throws: EngineError.self) { try Ops.attention(query: q, key: Tensor(zeros: [1, 0, 6]), value: Tensor(zeros: [1, 0, 6]), heads: 2) }
        #expect(throws: EngineError.self) { try Ops.attention(query: Tensor(zeros: [1, 6, 2, 2]), key: k, value: v, heads: 2) }
        #expect(throws: EngineError.self) { try Ops.attention(query: q, key: k, value: v, heads: 2, keyMask: [true, false]) }
        #expect(throws: EngineError.self) { try Ops.l2Attention(queryKey: q, value: v, heads: 2) }            // 4 vs 3 tokens
        #expect(throws: EngineError.self) { try Ops.l2Attention(queryKey: q, value: Tensor(zeros: [1, 4, 5]), heads: 2) }
    }
}
