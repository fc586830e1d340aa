import GigaEngine

/// Reads the text encoder's tensors from a safetensors file, checking each one's shape and
/// turning every failure into a `ModelError` that names the file and the tensor.
struct TextEncoderWeights {
    let file: SafetensorsFile

    /// The tensor `name` as Float32 after checking that its shape is `shape`.
    func floats(_ name: String, _ shape: [Int]) throws -> [Float] {
        try check(name, shape)
        return try file.floats(name)
    }

    /// Throws unless the file has `name` with shape `shape`.
    func check(_ name: String, _ shape: [Int]) throws {
        guard let entry = file.entries[name] else {
            throw ModelError("\(file.path): missing text-encoder tensor '\(name)'")
        }
        guard entry.shape == shape else {
            throw ModelError("\(file.path): text-encoder tensor '\(name)' has shape \(entry.shape), expected \(shape)")
        }
    }

    /// A `Linear` from `<prefix>.weight` [out, in] and `<prefix>.bias` [out].
    func linear(_ prefix: String, in inFeatures: Int, out outFeatures: Int, activation: Activation = .none) throws -> Linear {
        Linear(weight: try floats("\(prefix).weight", [outFeatures, inFeatures]),
               bias: try floats("\(prefix).bias", [outFeatures]),
               inFeatures: inFeatures, outFeatures: outFeatures, activation: activation)
    }

    /// A LayerNorm's `<prefix>.weight` and `<prefix>.bias`, both [width].
    func layerNorm(_ prefix: String, width: Int, eps: Float) throws -> LayerNormParameters {
        LayerNormParameters(weight: try floats("\(prefix).weight", [width]), bias: try floats("\(prefix).bias", [width]), eps: eps)
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
