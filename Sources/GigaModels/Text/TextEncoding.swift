import GigaEngine

/// What the frozen text encoder makes of one prompt.
public struct TextEncoding: Sendable {
    /// The last hidden state [1, T, hidden]: one feature vector per token, zero at padded
    /// positions. This is what the generator's text transformer consumes.
    public var tokenFeatures: Tensor
    /// `true` for real tokens, T values.
    public var mask: [Bool]

    /// Creates an encoding.
    public init(tokenFeatures: Tensor, mask: [Bool]) {
        self.tokenFeatures = tokenFeatures
        self.mask = mask
    }

    /// The sentence embedding as sentence-transformers computes it for all-MiniLM-L6-v2: the mean
    /// of the real tokens' features, divided by its L2 norm (floored at 1e-12). Used to check the
    /// encoder against Python; the generator uses the token features.
    public var sentenceEmbedding: [Float] {
        let width = tokenFeatures.shape.last ?? 0
        var sum = [Float](repeating: 0, count: width)
        var count: Float = 0
        tokenFeatures.storage.withUnsafeBufferPointer { x in
            for (t, real) in mask.enumerated() where real {
                for c in 0..<width { sum[c] += x[t * width + c] }
                count += 1
            }
        }
        let mean = sum.map { $0 / max(count, 1e-9) }
        let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return mean.map { $0 / max(norm, 1e-12) }
    }
}
