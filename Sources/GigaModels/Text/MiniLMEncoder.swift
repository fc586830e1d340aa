import Foundation
import GigaEngine

/// The frozen text encoder: all-MiniLM-L6-v2, a 6-layer BERT (the twin's `MiniLM` in
/// `Training/gigagan/text_encoder.py`), loaded from `Models/text-encoder/model.safetensors`
/// (fp16, Hugging Face `BertModel` tensor names) and run in Float32.
///
///     x = LN(word_embeddings[id] + position_embeddings[t] + token_type_embeddings[0])
///     x = layer_5(…layer_0(x))          (see `BertLayer`)
///
/// The output is the last hidden state, zeroed at padded positions (the twin's `TextEncoder.encode`);
/// no pooling is applied to what the generator receives.
///
/// The config comes from the file's `__metadata__["config"]` when present (the converted file),
/// otherwise all-MiniLM-L6-v2's, so the package's original fp32 `model.safetensors` loads too
/// (its extra tensors, such as the pooler, are ignored). Word-embedding rows are converted only
/// when a prompt uses them. Use one encoder from one thread at a time.
public final class MiniLMEncoder {
    /// The encoder's shape.
    public let config: MiniLMConfig
    /// The weights file.
    public let path: String

    private let file: SafetensorsFile
    private let wordEmbeddings: SafetensorsEntry
    private let positionEmbeddings: [Float]     // [maxPositions, hidden]
    private let tokenTypeEmbedding: [Float]     // row 0 of [typeVocabularySize, hidden]
    private let embeddingNorm: LayerNormParameters
    private let layers: [BertLayer]

    /// Loads `path`.
    /// - Throws: `ModelError` naming the file when it is missing or unreadable, and naming the
    ///   tensor or config field when one is missing, misshapen or invalid.
    public convenience init(modelFile path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelError("\(path): text-encoder weights file does not exist")
        }
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(path: path)
        } catch let error as SafetensorsError {
            throw ModelError("text-encoder weights: \(error.description)")
        }
        try self.init(file: file)
    }

    /// Builds the encoder from an open weights file.
    public init(file: SafetensorsFile) throws {
        let config = try file.metadata["config"].map { try MiniLMConfig(json: $0, source: file.path) } ?? MiniLMConfig()
        let weights = WeightStore(file)
        let d = config.hidden
        _ = try weights.entry("embeddings.word_embeddings.weight", shape: [config.vocabularySize, d])
        self.config = config
        self.path = file.path
        self.file = file
        wordEmbeddings = try file.entry("embeddings.word_embeddings.weight")
        positionEmbeddings = try weights.floats("embeddings.position_embeddings.weight", shape: [config.maxPositions, d])
        tokenTypeEmbedding = Array(try weights.floats("embeddings.token_type_embeddings.weight",
                                                      shape: [config.typeVocabularySize, d]).prefix(d))
        embeddingNorm = try weights.layerNorm("embeddings.LayerNorm", dim: d, eps: config.layerNormEps)
        layers = try (0..<config.layers).map { try BertLayer(weights, index: $0, config: config) }
    }

    /// The last hidden state of `prompt`: [1, T, hidden] with T = `prompt.ids.count`, padded
    /// positions masked out of attention and set to zero.
    /// - Throws: `ModelError` for an id outside the vocabulary, an empty prompt or one longer
    ///   than `config.maxPositions`; `EngineError` from the ops.
    public func tokenFeatures(_ prompt: TokenizedPrompt, in context: ComputeContext) throws -> Tensor {
        let t = prompt.ids.count, d = config.hidden
        guard t >= 1, t <= config.maxPositions else {
            throw ModelError("\(path): a prompt must have 1 to \(config.maxPositions) tokens, not \(t)")
        }
        if let bad = prompt.ids.first(where: { $0 < 0 || $0 >= config.vocabularySize }) {
            throw ModelError("\(path): token id \(bad) is outside the vocabulary of \(config.vocabularySize)")
        }
        var x = try embeddingNorm(embed(prompt.ids))
        for layer in layers {
            x = try layer(x, keyMask: prompt.mask, in: context)
        }
        for (position, real) in prompt.mask.enumerated() where !real {
            for c in 0..<d { x.storage[position * d + c] = 0 }
        }
        return x
    }

    /// Token features and mask of `prompt` (see `TextEncoding.sentenceEmbedding` for the pooled vector).
    public func encode(_ prompt: TokenizedPrompt, in context: ComputeContext) throws -> TextEncoding {
        TextEncoding(tokenFeatures: try tokenFeatures(prompt, in: context), mask: prompt.mask)
    }

    /// word_embeddings[id] + position_embeddings[t] + token_type_embeddings[0], [1, T, hidden].
    private func embed(_ ids: [Int]) throws -> Tensor {
        let d = config.hidden
        let table = try file.rawBytes(wordEmbeddings.name)
        let dtype = wordEmbeddings.dtype
        var x = Tensor(uninitialized: [1, ids.count, d])
        x.storage.withUnsafeMutableBufferPointer { out in
            for (t, id) in ids.enumerated() {
                for c in 0..<d {
                    let word = Self.element(table, dtype, id * d + c)
                    out[t * d + c] = word + positionEmbeddings[t * d + c] + tokenTypeEmbedding[c]
                }
            }
        }
        return x
    }

    /// Element `index` of a raw little-endian tensor, widened to Float.
    private static func element(_ bytes: UnsafeRawBufferPointer, _ dtype: DType, _ index: Int) -> Float {
        switch dtype {
        case .f32:
            Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
        case .f16:
            HalfPrecision.float(fromHalfBits: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
        case .bf16:
            HalfPrecision.float(fromBFloat16Bits: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
        }
    }
}
