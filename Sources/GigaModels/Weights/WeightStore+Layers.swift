import GigaEngine

/// Builders for the engine's layers from PyTorch parameter names (`<prefix>.weight`, `<prefix>.bias`).
extension WeightStore {
    /// `nn.Linear(inFeatures, outFeatures, bias:)` stored under `prefix`.
    func linear(_ prefix: String, in inFeatures: Int, out outFeatures: Int, bias: Bool = true,
                activation: Activation = .none) throws -> Linear {
        let weight = try floats("\(prefix).weight", shape: [outFeatures, inFeatures])
        let bias = bias ? try floats("\(prefix).bias", shape: [outFeatures]) : nil
        let layer = Linear(weight: weight, bias: bias, inFeatures: inFeatures, outFeatures: outFeatures, activation: activation)
        layer.name = prefix
        return layer
    }

    /// `nn.Conv2d(inChannels, outChannels, kernelSize, stride, padding)` with bias, under `prefix`.
    func conv(_ prefix: String, in inChannels: Int, out outChannels: Int, kernelSize: Int,
              stride: Int = 1, padding: Int = 0) throws -> Conv2d {
        let weight = try floats("\(prefix).weight", shape: [outChannels, inChannels, kernelSize, kernelSize])
        let bias = try floats("\(prefix).bias", shape: [outChannels])
        let layer = Conv2d(weights: weight, bias: bias, outChannels: outChannels, inChannels: inChannels,
                           kernelSize: kernelSize, stride: stride, padding: padding)
        layer.name = prefix
        return layer
    }

    /// `nn.LayerNorm(dim, eps=eps)` under `prefix`.
    func layerNorm(_ prefix: String, dim: Int, eps: Float = 1e-5) throws -> LayerNormParameters {
        LayerNormParameters(weight: try floats("\(prefix).weight", shape: [dim]), bias: try floats("\(prefix).bias", shape: [dim]),
                            eps: eps)
    }
}

/// A LayerNorm's affine parameters and epsilon.
struct LayerNormParameters {
    let weight: [Float]
    let bias: [Float]
    let eps: Float

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Ops.layerNorm(x, weight: weight, bias: bias, eps: eps)
    }
}
