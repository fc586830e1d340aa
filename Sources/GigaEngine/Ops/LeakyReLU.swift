extension Ops {
    /// Leaky ReLU, `x` for x ≥ 0 and `slope · x` below, element-wise on a tensor of any rank and
    /// layout; matches `torch.nn.functional.leaky_relu(x, negative_slope=slope)`. GigaGAN's style
    /// network uses slope 0.2.
    public static func leakyReLU(_ input: Tensor, slope: Float = 0.2) -> Tensor {
        mapElements(input) { x in x >= 0 ? x : slope * x }
    }
}
