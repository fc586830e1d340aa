extension Ops {
    /// Every element multiplied by `factor` (any rank and layout); matches `x * factor` in PyTorch,
    /// e.g. GigaGAN's skip-connection scale.
    public static func scale(_ input: Tensor, by factor: Float) -> Tensor {
        mapElements(input) { x in x * factor }
    }
}
