import Foundation

extension Ops {
    /// Multi-head scaled dot-product attention on token tensors, as PyTorch's
    /// `F.scaled_dot_product_attention(q, k, v, attn_mask:, scale:)` after splitting heads.
    ///
    /// Layouts (row-major, channels head-major: channel = head · d + j, which is what
    /// `b n (h d) -> b h n d` produces and undoes):
    /// - `query` [B, Tq, heads·d], `key` [B, Tk, heads·d], `value` [B, Tk, heads·dv]
    ///   (dv may differ from d, as in SDPA);
    /// - result [B, Tq, heads·dv].
    ///
    /// A rank-4 feature map [N, C, H, W] becomes tokens with `reshaped([N, H*W, C])` (free, since
    /// rank-4 tensors are stored NHWC); tokens are then in row-major (y, x) order.
    ///
    /// For each batch, head and query i: `logits_j = scale · (q_i · k_j)`, where keys with
    /// `keyMask[b·Tk + j] == false` get `-Float.greatestFiniteMagnitude` instead (PyTorch's
    /// key-padding semantics, `masked_fill(~mask, -finfo.max)` as lucidrains' cross-attention does);
    /// `p = softmax(logits)` (max-subtracted, Float32); `out_i = Σ_j p_j · v_j`.
    /// A query whose keys are all masked therefore attends uniformly to all keys (SDPA's boolean
    /// mask would give NaN there).
    ///
    /// - Parameters:
    ///   - heads: number of heads; query, key and value channels must be multiples of it.
    ///   - scale: logit scale; default `1/sqrt(d)` as SDPA.
    ///   - keyMask: optional key-padding mask [B, Tk] (row-major, `B·Tk` values); `true` = attend.
    /// - Throws: `EngineError` on any shape mismatch or when there are no keys.
    ///
    /// Runs on the calling thread with plain loops in a fixed summation order (results do not
    /// depend on thread count); meant for the low-resolution stages where attention is used.
    public static func attention(query: Tensor, key: Tensor, value: Tensor, heads: Int,
                                 scale: Float? = nil, keyMask: [Bool]? = nil) throws -> Tensor {
        let shape = try AttentionShape(query: query, key: key, value: value, heads: heads, op: "attention", keyMask: keyMask)
        let scale = shape.logitScale(scale)
        let d = shape.headWidth, tk = shape.keys
        return attend(query: query, key: key, value: value, shape: shape) { logits, keysT, q, batch in
            // logits_j = Σ_c q_c · k_j,c, accumulated over c in order; the inner loop runs over
            // contiguous keys.
            for j in 0..<tk { logits[j] = 0 }
            for c in 0..<d { accumulateScaled(into: logits, keysT + c * tk, factor: q[c], count: tk) }
            for j in 0..<tk { logits[j] *= scale }
            if let keyMask { shape.mask(logits, batch: batch, keyMask: keyMask) }
        }
    }

    /// The loop every attention form shares: for each batch, head and query, `fillLogits` writes
    /// the logits over all keys — given the keys packed transposed ([d, Tk], contiguous over keys),
    /// the query's d channels and the batch index — then a max-subtracted softmax weights the sum
    /// of the values.
    static func attend(query: Tensor, key: Tensor, value: Tensor, shape: AttentionShape,
                       fillLogits: (_ logits: UnsafeMutablePointer<Float>, _ keysT: UnsafePointer<Float>,
                                    _ query: UnsafePointer<Float>, _ batch: Int) -> Void) -> Tensor {
        let heads = shape.heads, d = shape.headWidth
        var output = Tensor(zeros: [shape.batch, shape.queries, heads * shape.valueWidth])
        var scratch = AttentionScratch(shape)
        query.storage.withUnsafeBufferPointer { q in
            key.storage.withUnsafeBufferPointer { k in
                value.storage.withUnsafeBufferPointer { v in
                    output.storage.withUnsafeMutableBufferPointer { out in
                        for b in 0..<shape.batch {
                            for h in 0..<heads {
                                scratch.pack(keys: k, values: v, batch: b, head: h)
                                for i in 0..<shape.queries {
                                    let qBase = (b * shape.queries + i) * heads * d + h * d
                                    scratch.logits.withUnsafeMutableBufferPointer { logits in
                                        scratch.keysT.withUnsafeBufferPointer { kT in
                                            fillLogits(logits.baseAddress!, kT.baseAddress!, q.baseAddress! + qBase, b)
                                        }
                                    }
                                    scratch.softmaxWeightedSum(into: out, row: b * shape.queries + i, head: h)
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}

/// Validated sizes of an attention call.
struct AttentionShape {
    var batch, queries, keys, heads, headWidth, valueWidth: Int

    /// Checks the tensors (and a key-padding mask [B, Tk], if any) for an attention call.
    init(query: Tensor, key: Tensor, value: Tensor, heads: Int, op: String, keyMask: [Bool]? = nil) throws {
        guard query.shape.count == 3, key.shape.count == 3, value.shape.count == 3 else {
            throw EngineError("\(op) expects token tensors [B, T, C]; got query \(query.shape), key \(key.shape), value \(value.shape)")
        }
        guard heads >= 1 else { throw EngineError("\(op): heads must be at least 1, not \(heads)") }
        guard key.shape[0] == query.shape[0], value.shape[0] == query.shape[0] else {
            throw EngineError("\(op): batch sizes differ: query \(query.shape), key \(key.shape), value \(value.shape)")
        }
        guard key.shape[1] == value.shape[1] else {
            throw EngineError("\(op): key \(key.shape) and value \(value.shape) have different token counts")
        }
        guard key.shape[1] >= 1 else { throw EngineError("\(op): there are no keys to attend to") }
        guard query.shape[2] == key.shape[2] else {
            throw EngineError("\(op): query \(query.shape) and key \(key.shape) have different channel counts")
        }
        guard query.shape[2] >= heads, query.shape[2] % heads == 0, value.shape[2] >= heads, value.shape[2] % heads == 0 else {
            throw EngineError("\(op): query channels \(query.shape[2]) and value channels \(value.shape[2]) must be positive multiples of \(heads) heads")
        }
        batch = query.shape[0]
        queries = query.shape[1]
        keys = key.shape[1]
        self.heads = heads
        headWidth = query.shape[2] / heads
        valueWidth = value.shape[2] / heads
        if let keyMask, keyMask.count != batch * keys {
            throw EngineError("\(op): keyMask has \(keyMask.count) values, expected [B, Tk] = \(batch * keys)")
        }
    }

    /// The logit scale: `requested`, or SDPA's default 1/√d.
    func logitScale(_ requested: Float?) -> Float { requested ?? 1 / Float(headWidth).squareRoot() }

    /// Gives the keys `keyMask` leaves out of batch item `batch` the logit -greatestFiniteMagnitude
    /// (PyTorch's `masked_fill(~mask, -finfo.max)`), in one row of `keys` logits.
    func mask(_ row: UnsafeMutablePointer<Float>, batch: Int, keyMask: [Bool]) {
        for j in 0..<keys where !keyMask[batch * keys + j] { row[j] = -Float.greatestFiniteMagnitude }
    }
}

/// Per-call buffers shared by the attention ops: one head's keys transposed to [d, Tk] and
/// values packed to [Tk, dv] (so inner loops are contiguous), the logits of one query, and an
/// accumulator of width dv. Allocated once per call.
struct AttentionScratch {
    let shape: AttentionShape
    var keysT: [Float]
    var values: [Float]
    var logits: [Float]
    var accumulator: [Float]

    init(_ shape: AttentionShape) {
        self.shape = shape
        keysT = [Float](repeating: 0, count: shape.headWidth * shape.keys)
        values = [Float](repeating: 0, count: shape.keys * shape.valueWidth)
        logits = [Float](repeating: 0, count: shape.keys)
        accumulator = [Float](repeating: 0, count: shape.valueWidth)
    }

    /// Copies head `head` of batch `batch` out of key [B, Tk, heads·d] and value [B, Tk, heads·dv].
    mutating func pack(keys k: UnsafeBufferPointer<Float>, values v: UnsafeBufferPointer<Float>, batch b: Int, head h: Int) {
        let (tk, d, dv, heads) = (shape.keys, shape.headWidth, shape.valueWidth, shape.heads)
        keysT.withUnsafeMutableBufferPointer { kT in
            for j in 0..<tk {
                let base = (b * tk + j) * heads * d + h * d
                for c in 0..<d { kT[c * tk + j] = k[base + c] }
            }
        }
        values.withUnsafeMutableBufferPointer { packed in
            for j in 0..<tk {
                let base = (b * tk + j) * heads * dv + h * dv
                for c in 0..<dv { packed[j * dv + c] = v[base + c] }
            }
        }
    }

    /// Turns `logits` into max-subtracted softmax weights and writes `Σ_j p_j · v_j` into
    /// `out[row, head·dv ..< (head+1)·dv]` (out is [rows, heads·dv]). Sums run over j in order.
    mutating func softmaxWeightedSum(into out: UnsafeMutableBufferPointer<Float>, row: Int, head: Int) {
        let (tk, dv) = (shape.keys, shape.valueWidth)
        logits.withUnsafeMutableBufferPointer { p in
            softmaxInPlace(p.baseAddress!, count: tk)
            values.withUnsafeBufferPointer { v in
                accumulator.withUnsafeMutableBufferPointer { acc in
                    for c in 0..<dv { acc[c] = 0 }
                    for j in 0..<tk {
                        let weight = p[j]
                        if weight == 0 { continue }   // masked keys: exp underflowed to exactly 0
                        accumulateScaled(into: acc.baseAddress!, v.baseAddress! + j * dv, factor: weight, count: dv)
                    }
                    let outBase = row * shape.heads * dv + head * dv
                    for c in 0..<dv { out[outBase + c] = acc[c] }
                }
            }
        }
    }
}

/// Max-subtracted softmax of `count` logits in place. The exponentials run in a loop of their own
/// (it vectorises; libm's expf is a call per value), then their sum in order. Below e^-88 a weight
/// is exactly 0, as expf gives for masked keys.
@inline(__always)
func softmaxInPlace(_ p: UnsafeMutablePointer<Float>, count: Int) {
    var maximum = -Float.infinity
    for j in 0..<count { maximum = max(maximum, p[j]) }
    for j in 0..<count {
        let x = p[j] - maximum
        p[j] = x < -88 ? 0 : Ops.fastExp(x)
    }
    var sum: Float = 0
    for j in 0..<count { sum += p[j] }
    let inverse = 1 / sum
    for j in 0..<count { p[j] *= inverse }
}

/// `destination[i] += factor * source[i]` for i in 0..<count, eight lanes at a time; every
/// element gets the same unfused multiply and add as the scalar tail, so results do not depend
/// on where the SIMD body ends.
@inline(__always)
func accumulateScaled(into destination: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>,
                      factor: Float, count: Int) {
    var i = 0
    let f = SIMD8<Float>(repeating: factor)
    while i + 8 <= count {
        let s = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self)
        let d = UnsafeRawPointer(destination + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(destination + i).storeBytes(of: d + f * s, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        destination[i] += factor * source[i]
        i += 1
    }
}

/// `destination[i] += (value - source[i])²` for i in 0..<count, eight lanes at a time (unfused,
/// as the scalar tail).
@inline(__always)
func accumulateSquaredDifference(into destination: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>,
                                 value: Float, count: Int) {
    var i = 0
    let v = SIMD8<Float>(repeating: value)
    while i + 8 <= count {
        let diff = v - UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self)
        let d = UnsafeRawPointer(destination + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(destination + i).storeBytes(of: d + diff * diff, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        let diff = value - source[i]
        destination[i] += diff * diff
        i += 1
    }
}
