import Foundation

extension Ops {
    /// The exact GELU, `x · Φ(x) = x/2 · (1 + erf(x/√2))`, element-wise on a tensor of any rank and
    /// layout; matches `torch.nn.functional.gelu` with its default `approximate='none'` (not the
    /// tanh approximation).
    public static func gelu(_ input: Tensor) -> Tensor {
        let invSqrt2: Float = 0.707_106_781_186_547_524
        return mapElements(input) { x in 0.5 * x * (1 + erf(x * invSqrt2)) }
    }
}
