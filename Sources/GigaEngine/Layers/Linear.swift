import CDNNLShim

/// A fully connected layer, `y = x Wᵀ + b` as PyTorch's `nn.Linear`, run as a oneDNN matmul on
/// the last dimension of any tensor (so [N, tokens, C] token tensors go through in one call).
public final class Linear {
    /// Input features.
    public let inFeatures: Int
    /// Output features.
    public let outFeatures: Int
    /// Fused activation.
    public let activation: Activation
    /// The layer's name in profiles (its weights' name where a model sets it).
    public var name = "linear"
    private let weightsKN: [Float]     // transposed to [in, out] once
    private let bias: [Float]?
    private var primitives: [Key: WeightedPrimitive] = [:]

    private struct Key: Hashable { var rows: Int, bf16: Bool }

    /// Creates the layer from PyTorch's weight [out, in] and bias [out].
    public init(weight: [Float], bias: [Float]?, inFeatures: Int, outFeatures: Int, activation: Activation = .none) {
        precondition(weight.count == inFeatures * outFeatures, "weight must be [\(outFeatures), \(inFeatures)]")
        precondition(bias.map { $0.count == outFeatures } ?? true, "bias must have \(outFeatures) values")
        var transposed = [Float](repeating: 0, count: weight.count)
        for o in 0..<outFeatures { for i in 0..<inFeatures { transposed[i * outFeatures + o] = weight[o * inFeatures + i] } }
        self.weightsKN = transposed
        self.bias = bias
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.activation = activation
    }

    /// Applies the layer to the last dimension of `input` (rank 1 to 3, row-major).
    public func callAsFunction(_ input: Tensor, in context: ComputeContext) throws -> Tensor {
        guard (1...3).contains(input.shape.count), input.shape.last == inFeatures else {
            throw EngineError("linear expects [..., \(inFeatures)] of rank 1 to 3, got \(input.shape)")
        }
        let rows = input.count / inFeatures
        let key = Key(rows: rows, bf16: context.precision == .bf16)
        let primitive: WeightedPrimitive
        if let cached = primitives[key] {
            primitive = cached
        } else {
            var params = gs_matmul_params(batch: 1, m: Int64(rows), k: Int64(inFeatures), n: Int64(outFeatures),
                                          has_bias: bias == nil ? 0 : 1, activation: activation.shimKind,
                                          activation_alpha: activation.shimAlpha, use_bf16: key.bf16 ? 1 : 0)
            primitive = try WeightedPrimitive(context: context, matmul: &params, weights: weightsKN, bias: bias)
            primitives[key] = primitive
        }
        var output = Tensor(uninitialized: Array(input.shape.dropLast()) + [outFeatures])
        func run() throws {
            try input.storage.withUnsafeBufferPointer { src in
                try output.storage.withUnsafeMutableBufferPointer { dst in
                    try primitive.execute(src.baseAddress!, dst.baseAddress!, threads: context.threads)
                }
            }
        }
        try context.primitive(name, kind: "matmul \(rows)x\(inFeatures)→\(outFeatures)",
                              flops: 2.0 * Double(rows * inFeatures * outFeatures), run)
        return output
    }
}
