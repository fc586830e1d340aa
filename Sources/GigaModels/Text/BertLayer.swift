import GigaEngine

/// One post-LayerNorm BERT layer (Hugging Face `encoder.layer.{i}`, the twin's `BertLayer`):
///
///     x = LN(x + dense(attention(query(x), key(x), value(x), key mask)))
///     x = LN(x + output(GELU(intermediate(x))))
///
/// Attention: `heads` heads of `hidden / heads`, scale 1/√(head width); GELU is the erf form,
/// fused into the intermediate matmul.
final class BertLayer {
    let heads: Int
    let query, key, value, attentionOutput, intermediate, output: Linear
    let attentionNorm, outputNorm: LayerNormParameters

    init(_ weights: WeightStore, index: Int, config: MiniLMConfig) throws {
        let p = "encoder.layer.\(index)"
        let (d, inner) = (config.hidden, config.intermediate)
        heads = config.heads
        query = try weights.linear("\(p).attention.self.query", in: d, out: d)
        key = try weights.linear("\(p).attention.self.key", in: d, out: d)
        value = try weights.linear("\(p).attention.self.value", in: d, out: d)
        attentionOutput = try weights.linear("\(p).attention.output.dense", in: d, out: d)
        attentionNorm = try weights.layerNorm("\(p).attention.output.LayerNorm", dim: d, eps: config.layerNormEps)
        intermediate = try weights.linear("\(p).intermediate.dense", in: d, out: inner, activation: .gelu)
        output = try weights.linear("\(p).output.dense", in: inner, out: d)
        outputNorm = try weights.layerNorm("\(p).output.LayerNorm", dim: d, eps: config.layerNormEps)
    }

    /// `x` [1, T, hidden] → [1, T, hidden]; `keyMask` has T values (`false` = padding).
    func callAsFunction(_ x: Tensor, keyMask: [Bool], in context: ComputeContext) throws -> Tensor {
        let attended = try Ops.attention(query: query(x, in: context), key: key(x, in: context),
                                         value: value(x, in: context), heads: heads, keyMask: keyMask)
        let h = try attentionNorm(Ops.add(x, attentionOutput(attended, in: context)))
        return try outputNorm(Ops.add(h, output(intermediate(h, in: context), in: context)))
    }
}
