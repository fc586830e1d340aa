import Foundation

extension Ops {
    /// Softmax over the logical last dimension, `exp(x − max) / Σ exp(x − max)`; matches
    /// `F.softmax(x, dim=-1)`. For row-major tensors (e.g. attention logits [B·heads, Tq, Tk]) that
    /// dimension is contiguous. For a rank-4 [N, C, H, W] tensor it is W, which NHWC storage keeps
    /// at a stride of C; it is handled too, C values at a time. Subtracting the maximum keeps large
    /// logits finite. Throws on a rank-0 tensor.
    public static func softmax(_ input: Tensor) throws -> Tensor {
        guard let last = input.shape.last else { throw EngineError("softmax needs a tensor of rank 1 or more") }
        guard input.count > 0 else { return input }
        // A block holds `lanes` interleaved rows of `length` values each (element i of lane l at i·lanes + l).
        let (length, lanes) = input.shape.count == 4 ? (input.width, input.channels) : (last, 1)
        let blockSize = length * lanes
        let blocks = input.count / blockSize
        var maxima = [Float](repeating: 0, count: lanes)
        var sums = [Float](repeating: 0, count: lanes)
        let values = [Float](unsafeUninitializedCapacity: input.count) { out, initialized in
            input.storage.withUnsafeBufferPointer { src in
                maxima.withUnsafeMutableBufferPointer { m in
                    sums.withUnsafeMutableBufferPointer { s in
                        for block in 0..<blocks {
                            let base = block * blockSize
                            for l in 0..<lanes { m[l] = src[base + l]; s[l] = 0 }
                            for i in 1..<length {
                                let row = base + i * lanes
                                for l in 0..<lanes where src[row + l] > m[l] { m[l] = src[row + l] }
                            }
                            for i in 0..<length {
                                let row = base + i * lanes
                                for l in 0..<lanes {
                                    let e = exp(src[row + l] - m[l])
                                    out[row + l] = e
                                    s[l] += e
                                }
                            }
                            for l in 0..<lanes { s[l] = 1 / s[l] }
                            for i in 0..<length {
                                let row = base + i * lanes
                                for l in 0..<lanes { out[row + l] *= s[l] }
                            }
                        }
                    }
                }
            }
            initialized = input.count
        }
        return Tensor(shape: input.shape, storage: values)
    }
}
