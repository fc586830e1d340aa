import CDNNLShim

/// Owns one oneDNN primitive with prepared weights, a convolution or a matmul: the two differ
/// only in how they are described (see `gs_weighted` in the C shim); running, re-weighting and
/// freeing are the same calls.
final class WeightedPrimitive {
    private let handle: OpaquePointer
    let context: ComputeContext   // kept alive while the primitive lives
    /// What it computes, for error messages: "conv2d …" or "matmul …".
    let label: String

    /// A convolution with PyTorch-ordered weights [out, in, kh, kw].
    convenience init(context: ComputeContext, convolution params: inout gs_conv_params, weights: [Float], bias: [Float]?) throws {
        let label = "conv2d \(params.out_channels)x\(params.in_channels)x\(params.kernel_height)x\(params.kernel_width) on \(params.in_height)x\(params.in_width)"
        try self.init(context: context, label: label, weights: weights, bias: bias) { w, b, handle, err, len in
            gs_conv_create(context.handle, &params, w, b, handle, err, len)
        }
    }

    /// A matmul with a constant right-hand side [k, n], row-major.
    convenience init(context: ComputeContext, matmul params: inout gs_matmul_params, weights: [Float], bias: [Float]?) throws {
        let label = "matmul [\(params.m), \(params.k)] x [\(params.k), \(params.n)]"
        try self.init(context: context, label: label, weights: weights, bias: bias) { w, b, handle, err, len in
            gs_matmul_create(context.handle, &params, w, b, handle, err, len)
        }
    }

    private init(context: ComputeContext, label: String, weights: [Float], bias: [Float]?,
                 create: (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<OpaquePointer?>,
                          UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
        var handle: OpaquePointer?
        try checkedShimCall(label) { err, len in
            weights.withUnsafeBufferPointer { w in
                withOptionalPointer(bias) { b in create(w.baseAddress, b, &handle, err, len) }
            }
        }
        self.handle = handle!
        self.context = context
        self.label = label
    }

    deinit { gs_weighted_destroy(handle) }

    /// The implementation oneDNN chose, e.g. "brg:avx512_core".
    var implementation: String { String(cString: gs_weighted_implementation(handle)) }

    /// Replaces weights and bias (same shapes).
    func setWeights(_ weights: [Float], bias: [Float]?) throws {
        try checkedShimCall("\(label): new weights") { err, len in
            weights.withUnsafeBufferPointer { w in
                withOptionalPointer(bias) { b in gs_weighted_set_weights(handle, w.baseAddress, b, err, len) }
            }
        }
    }

    func execute(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, threads: Int) throws {
        try checkedShimCall(label) { gs_weighted_execute(handle, src, dst, Int32(threads), $0, $1) }
    }
}

/// Calls `body` with a pointer to the array's elements, or nil when there is no array.
@inline(__always)
func withOptionalPointer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
    guard let values else { return try body(nil) }
    return try values.withUnsafeBufferPointer { try body($0.baseAddress) }
}
