import CDNNLShim

/// One oneDNN matrix product of two float32 operands supplied at run time, over a batch of two
/// leading dimensions: `c[i, j] = scale · a[i, j] × b[i, j]` with `a[i, j]` m×k and `b[i, j]` k×n.
/// Every operand is addressed by four element strides (batch, batch, row, column), so slices of
/// a larger tensor (one attention head's channels of every token) are read and written in place.
final class StridedProduct {
    /// The sizes and strides a primitive is made for.
    struct Layout: Hashable {
        var batch: [Int]           // two leading batch sizes
        var m: Int, k: Int, n: Int
        var a: [Int], b: [Int], c: [Int]   // four element strides each
        var scale: Float
    }

    private let handle: OpaquePointer
    let context: ComputeContext   // kept alive while the primitive lives
    let layout: Layout

    init(_ layout: Layout, context: ComputeContext) throws {
        precondition(layout.batch.count == 2 && [layout.a, layout.b, layout.c].allSatisfy { $0.count == 4 })
        func strides(_ s: [Int]) -> (Int64, Int64, Int64, Int64) { (Int64(s[0]), Int64(s[1]), Int64(s[2]), Int64(s[3])) }
        var params = gs_product_params(batch0: Int64(layout.batch[0]), batch1: Int64(layout.batch[1]),
                                       m: Int64(layout.m), k: Int64(layout.k), n: Int64(layout.n),
                                       a_strides: strides(layout.a), b_strides: strides(layout.b),
                                       c_strides: strides(layout.c), scale: layout.scale)
        var made: OpaquePointer?
        try checkedShimCall("matrix product \(layout.m)×\(layout.k) · \(layout.k)×\(layout.n)") { err, len in
            gs_product_create(context.handle, &params, &made, err, len)
        }
        handle = made!
        self.context = context
        self.layout = layout
    }

    deinit { gs_product_destroy(handle) }

    /// Multiply-adds per run (for profiles).
    var multiplyAdds: Double { Double(layout.batch[0] * layout.batch[1] * layout.m * layout.k * layout.n) }

    func execute(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, threads: Int) throws {
        try checkedShimCall("oneDNN matrix product") { gs_product_execute(handle, a, b, c, Int32(threads), $0, $1) }
    }
}
