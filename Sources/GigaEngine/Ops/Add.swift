extension Ops {
    /// Element-wise sum `a + b` of two tensors of the same shape (any rank; both in the engine's
    /// storage order, so no layout conversion happens); matches `a + b` in PyTorch without
    /// broadcasting. Throws when the shapes differ.
    public static func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try zipElements(a, b, operation: "add") { x, y in x + y }
    }
}
