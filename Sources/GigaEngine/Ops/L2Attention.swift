import Foundation

extension Ops {
    /// GigaGAN's self-attention with tied query/key and negative squared-L2 logits (paper Eq. 5
    /// and §1.4 of the notes), on already projected tokens.
    ///
    /// The caller projects the tokens x once with the shared query/key weight and once with the
    /// value weight (`queryKey = x·W_qkᵀ`, `value = x·W_vᵀ`, e.g. with `Linear`); queries and keys
    /// are then the same vectors. Per batch and head, with q_i the head's slice of token i:
    ///
    ///     logits_ij = -scale · ||q_i − q_j||²        (= -scale · torch.cdist(q, q)²)
    ///     p_i       = softmax_j(logits_ij)           (max-subtracted, Float32)
    ///     out_i     = Σ_j p_ij · v_j
    ///
    /// which matches `softmax(-scale * torch.cdist(q, q, p=2) ** 2, dim=-1) @ v` per head. The
    /// squared distance is summed directly as Σ_c (q_i,c − q_j,c)² (exact, never negative) rather
    /// than expanded as ||q_i||² − 2 q_i·q_j + ||q_j||², which cancels badly for nearby tokens.
    ///
    /// Layouts (row-major, channels head-major: channel = head · d + j):
    /// - `queryKey` [B, T, heads·d], `value` [B, T, heads·dv]; result [B, T, heads·dv].
    ///
    /// - Parameters:
    ///   - heads: number of heads; both channel counts must be multiples of it.
    ///   - scale: logit scale; default `1/sqrt(d)`.
    /// - Throws: `EngineError` on any shape mismatch or when there are no tokens.
    ///
    /// Runs on the calling thread with plain loops in a fixed summation order.
    public static func l2Attention(queryKey: Tensor, value: Tensor, heads: Int, scale: Float? = nil) throws -> Tensor {
        let shape = try AttentionShape(query: queryKey, key: queryKey, value: value, heads: heads, op: "l2Attention")
        let scale = shape.logitScale(scale)
        let d = shape.headWidth, tk = shape.keys
        return attend(query: queryKey, key: queryKey, value: value, shape: shape) { logits, keysT, q, _ in
            // ||q_i − k_j||² summed over c in order, contiguous over j.
            for j in 0..<tk { logits[j] = 0 }
            for c in 0..<d { accumulateSquaredDifference(into: logits, keysT + c * tk, value: q[c], count: tk) }
            for j in 0..<tk { logits[j] *= -scale }
        }
    }
}
