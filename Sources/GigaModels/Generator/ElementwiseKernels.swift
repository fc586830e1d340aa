import Foundation
import GigaEngine

/// Fused element-wise passes of the residual blocks on rank-4 tensors stored NHWC (channels
/// innermost), each computed in the same order as the PyTorch twin. Plain SiLU is `Ops.silu`.
enum ElementwiseKernels {
    /// `silu(x + bias[c])`, i.e. `F.silu(conv(x) + bias)`.
    static func addBiasSiLU(_ x: Tensor, bias: [Float]) -> Tensor {
        let c = x.channels, count = x.count
        var values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            x.storage.withUnsafeBufferPointer { src in
                bias.withUnsafeBufferPointer { b in
                    var i = 0
                    while i < count {
                        for k in 0..<c { out[i + k] = src[i + k] + b[k] }
                        i += c
                    }
                }
            }
            initialized = count
        }
        values.withUnsafeMutableBufferPointer { siluInPlace($0) }
        return Tensor(shape: x.shape, storage: values)
    }

    /// `(skip + (branch + bias[c])) · gain`, the end of a residual block.
    static func residual(skip: Tensor, branch: Tensor, bias: [Float], gain: Float) throws -> Tensor {
        guard skip.shape == branch.shape else {
            throw ModelError("residual block: skip \(skip.shape) and branch \(branch.shape) differ")
        }
        let c = branch.channels, count = branch.count
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            skip.storage.withUnsafeBufferPointer { s in
                branch.storage.withUnsafeBufferPointer { h in
                    bias.withUnsafeBufferPointer { b in
                        var i = 0
                        while i < count {
                            for k in 0..<c { out[i + k] = (s[i + k] + (h[i + k] + b[k])) * gain }
                            i += c
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: branch.shape, storage: values)
    }

    /// SiLU of every element, in place.
    static func siluInPlace(_ values: UnsafeMutableBufferPointer<Float>) {
        for i in values.indices { values[i] = Ops.siluValue(values[i]) }
    }
}
