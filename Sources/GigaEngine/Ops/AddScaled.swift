extension Ops {
    /// `a + scale · b` element-wise for two tensors of the same shape (any rank), as used for
    /// residual branches with a gain; matches `a + scale * b` in PyTorch (the product is rounded
    /// before the sum, no fused multiply-add). Throws when the shapes differ.
    public static func addScaled(_ a: Tensor, _ b: Tensor, scale: Float) throws -> Tensor {
        try zipElements(a, b, operation: "addScaled") { x, y in x + scale * y }
    }
}
