import Foundation

extension Ops {
    /// SiLU (swish), `x · sigmoid(x) = x / (1 + e^(-x))`, element-wise on a tensor of any rank and
    /// layout; matches `torch.nn.functional.silu`.
    public static func silu(_ input: Tensor) -> Tensor {
        mapElements(input) { x in x / (1 + exp(-x)) }
    }
}
