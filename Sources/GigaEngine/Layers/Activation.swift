import CDNNLShim

/// An activation that heavy ops can apply as a fused oneDNN post-op (after the bias).
public enum Activation: Sendable, Equatable, Hashable {
    case none
    /// max(x, 0) + slope * min(x, 0); slope 0.2 is GigaGAN's LeakyReLU.
    case leakyReLU(slope: Float)
    /// x * sigmoid(x).
    case silu
    /// The exact GELU: x * Φ(x) with the error function.
    case gelu

    var shimKind: gs_activation {
        switch self {
        case .none: GS_ACT_NONE
        case .leakyReLU: GS_ACT_RELU
        case .silu: GS_ACT_SILU
        case .gelu: GS_ACT_GELU_ERF
        }
    }

    var shimAlpha: Float {
        if case .leakyReLU(let slope) = self { return slope }
        return 0
    }
}
