import CKernels

/// Multi-head attention with its two matrix products on oneDNN: the optimised path of
/// `Ops.attention` and `Ops.l2Attention` (the references, with the same layouts, masks and
/// results to float rounding; `AttentionLayerTests`).
///
/// Per batch item and block of queries: the logits of every head come from one strided product
/// (q·kᵀ, heads read in place from the token tensors), the softmax runs here row by row
/// (max-subtracted; `gs_softmax_in_place` where the CPU has AVX-512), and one more product writes p·v straight into the heads' channels
/// of the result. Query blocks keep the logits under `logitBudget` floats, so long sequences
/// need no quadratic buffer. Primitives are made per shape and kept, as `Conv2d` does; like the
/// other layers, an instance serves one thread at a time.
public final class AttentionLayer {
    /// The layer's name in profiles.
    public var name: String
    /// The most logits (floats) one block of queries may hold.
    public static let logitBudget = 1 << 21

    /// One row's softmax: `gs_softmax_in_place` where the CPU has AVX-512, else the reference's loop.
    static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int) {
        if gs_softmax_in_place(row, Int64(count)) != 0 { softmaxInPlace(row, count: count) }
    }

    private var products: [StridedProduct.Layout: StridedProduct] = [:]
    private var logits: [Float] = []

    public init(name: String = "attention") {
        self.name = name
    }

    /// `Ops.attention(query:key:value:heads:scale:keyMask:)` on oneDNN products.
    public func attention(query: Tensor, key: Tensor, value: Tensor, heads: Int, scale: Float? = nil,
                          keyMask: [Bool]? = nil, in context: ComputeContext) throws -> Tensor {
        let shape = try AttentionShape(query: query, key: key, value: value, heads: heads, op: "attention", keyMask: keyMask)
        return try attend(query: query, key: key, value: value, shape: shape, logitScale: shape.logitScale(scale),
                          context: context) { row, b, _ in
            if let keyMask { shape.mask(row, batch: b, keyMask: keyMask) }
        }
    }

    /// `Ops.l2Attention(queryKey:value:heads:scale:)` on oneDNN products.
    ///
    /// `-scale·||q_i − q_j||²` differs from `2·scale·q_i·q_j − scale·||q_j||²` only by a term
    /// constant along the softmax's row, so the product computes the latter: no cancellation of
    /// the large ||q_i||² (the reference sums the distance directly).
    public func l2Attention(queryKey: Tensor, value: Tensor, heads: Int, scale: Float? = nil,
                            in context: ComputeContext) throws -> Tensor {
        let shape = try AttentionShape(query: queryKey, key: queryKey, value: value, heads: heads, op: "l2Attention")
        let scale = shape.logitScale(scale)
        let (t, d) = (shape.keys, shape.headWidth)
        // scale·||q_j||² per batch, head and token.
        var squaredNorms = [Float](repeating: 0, count: shape.batch * heads * t)
        queryKey.storage.withUnsafeBufferPointer { q in
            for b in 0..<shape.batch {
                for j in 0..<t {
                    for h in 0..<heads {
                        let base = (b * t + j) * heads * d + h * d
                        var sum: Float = 0
                        for c in 0..<d { sum += q[base + c] * q[base + c] }
                        squaredNorms[(b * heads + h) * t + j] = scale * sum
                    }
                }
            }
        }
        return try attend(query: queryKey, key: queryKey, value: value, shape: shape, logitScale: 2 * scale,
                          context: context) { row, b, h in
            squaredNorms.withUnsafeBufferPointer { norms in
                let base = (b * heads + h) * t
                for j in 0..<t { row[j] -= norms[base + j] }
            }
        }
    }

    /// The loop both forms share; `adjust` edits one row of logits (batch, head) before its softmax.
    private func attend(query: Tensor, key: Tensor, value: Tensor, shape: AttentionShape, logitScale: Float,
                        context: ComputeContext,
                        adjust: (_ row: UnsafeMutablePointer<Float>, _ batch: Int, _ head: Int) -> Void) throws -> Tensor {
        let (heads, d, dv, tq, tk) = (shape.heads, shape.headWidth, shape.valueWidth, shape.queries, shape.keys)
        let block = max(1, min(tq, Self.logitBudget / (heads * tk)))
        if logits.count < heads * block * tk { logits = [Float](repeating: 0, count: heads * block * tk) }
        var output = Tensor(uninitialized: [shape.batch, tq, heads * dv])
        try query.storage.withUnsafeBufferPointer { q in
            try key.storage.withUnsafeBufferPointer { k in
                try value.storage.withUnsafeBufferPointer { v in
                    try output.storage.withUnsafeMutableBufferPointer { out in
                        try logits.withUnsafeMutableBufferPointer { p in
                            let p = p.baseAddress!
                            for b in 0..<shape.batch {
                                for start in stride(from: 0, to: tq, by: block) {
                                    let rows = min(block, tq - start)
                                    let qs = q.baseAddress! + (b * tq + start) * heads * d
                                    let ks = k.baseAddress! + b * tk * heads * d
                                    let vs = v.baseAddress! + b * tk * heads * dv
                                    let os = out.baseAddress! + (b * tq + start) * heads * dv
                                    // logits[h, i, j] = scale · q[i, h·d + c] · k[j, h·d + c]
                                    try run(StridedProduct.Layout(batch: [1, heads], m: rows, k: d, n: tk,
                                                                  a: [tq * heads * d, d, heads * d, 1], b: [tk * heads * d, d, 1, heads * d],
                                                                  c: [heads * rows * tk, rows * tk, tk, 1], scale: logitScale),
                                            qs, ks, p, context: context)
                                    for h in 0..<heads {
                                        for i in 0..<rows {
                                            let row = p + (h * rows + i) * tk
                                            adjust(row, b, h)
                                            Self.softmax(row, count: tk)
                                        }
                                    }
                                    // out[i, h·dv + c] = Σ_j p[h, i, j] · v[j, h·dv + c]
                                    try run(StridedProduct.Layout(batch: [1, heads], m: rows, k: tk, n: dv,
                                                                  a: [heads * rows * tk, rows * tk, tk, 1], b: [tk * heads * dv, dv, heads * dv, 1],
                                                                  c: [tq * heads * dv, dv, heads * dv, 1], scale: 1),
                                            p, vs, os, context: context)
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    private func run(_ layout: StridedProduct.Layout, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                     _ c: UnsafeMutablePointer<Float>, context: ComputeContext) throws {
        let product: StridedProduct
        if let cached = products[layout] {
            product = cached
        } else {
            product = try StridedProduct(layout, context: context)
            products[layout] = product
        }
        try context.primitive(name, kind: "matmul \(layout.batch[1])×[\(layout.m)×\(layout.k)]·[\(layout.k)×\(layout.n)]",
                              flops: 2 * product.multiplyAdds) {
            try product.execute(a, b, c, threads: context.threads)
        }
    }
}
