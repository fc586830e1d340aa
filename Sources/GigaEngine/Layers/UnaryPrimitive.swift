import CDNNLShim

/// Owns one oneDNN single-input, single-output float32 primitive (element-wise)
/// and the context it was created on.
final class UnaryPrimitive {
    private let handle: OpaquePointer
    let context: ComputeContext   // kept alive while the primitive lives

    /// Creates the primitive with `create`, a shim constructor; `what` names it in errors.
    init(context: ComputeContext, what: String,
         create: (inout OpaquePointer?, UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
        var handle: OpaquePointer?
        try checkedShimCall(what) { err, len in create(&handle, err, len) }
        self.handle = handle!
        self.context = context
    }

    deinit { gs_unary_destroy(handle) }

    func execute(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, threads: Int) throws {
        try checkedShimCall("oneDNN primitive") { gs_unary_execute(handle, src, dst, Int32(threads), $0, $1) }
    }
}
