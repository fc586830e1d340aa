extension Ops {
    /// SiLU (swish), `x · sigmoid(x) = x / (1 + e^(-x))`, element-wise on a tensor of any rank and
    /// layout; matches `torch.nn.functional.silu` within 2e-6 relative (see `siluValue`).
    public static func silu(_ input: Tensor) -> Tensor {
        mapElements(input, siluValue)
    }

    /// SiLU of one value: `v / (1 + e^-v)` with the libm-free `fastExp`. e^-v is taken as infinite
    /// below v = −88, so the result is −0 there as with libm, not v · e^-88.
    @inlinable
    public static func siluValue(_ v: Float) -> Float {
        let e = v < -88 ? Float.infinity : fastExp(-v)
        return v / (1 + e)
    }
}
