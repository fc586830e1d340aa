import GigaEngine

/// Everything that depends only on (z, prompt), computed once per image by
/// `Generator.condition(z:textTokens:textMask:)` and reused for every tile of that image.
///
/// It holds the styles (kernel logits and modulation) of every adaptive conv rather than the
/// prepared kernels themselves: the kernels live in the generator's layers, which serve one
/// conditioning at a time. `Generator.forwardTile` re-prepares the layers (cheaply) when it is
/// given a conditioning other than the one they were last prepared for.
public struct Conditioning: Sendable {
    /// The style vector w [w_dim].
    public let w: [Float]
    /// The text transformer's global token [text_dim] (fed to the mapping network).
    public let tGlobal: [Float]
    /// The text transformer's per-token output [1, T, text_dim].
    public let tLocal: Tensor
    /// Which of the T text tokens are real (cross-attention key mask).
    public let textMask: [Bool]
    /// Each adaptive conv's style, by module path ("decoder.2.blocks.0.conv1").
    public let styles: [String: ConvStyle]
    /// Each cross-attention module's keys and values, by module path.
    public let crossKV: [String: CrossAttentionKV]

    /// Identifies this conditioning, so the generator knows whether its layers hold its kernels.
    let token: Token
    /// Identifies the generator that made it (its styles and K/V depend on that one's weights).
    let owner: Token

    final class Token: Sendable {}
}
