import Foundation

/// The shape of the frozen BERT text encoder. The default is all-MiniLM-L6-v2's.
///
/// Stored as JSON in the weights file's `__metadata__["config"]` by
/// `Training/gigagan/convert_text_encoder.py`, with the twin's field names (`MINILM_CONFIG`).
public struct MiniLMConfig: Sendable, Equatable {
    /// Vocabulary size (rows of the word embedding).
    public var vocabularySize = 30522
    /// Width of the token features.
    public var hidden = 384
    /// Transformer layers.
    public var layers = 6
    /// Attention heads (hidden must be a multiple).
    public var heads = 12
    /// Width of each layer's feed-forward hidden layer.
    public var intermediate = 1536
    /// Rows of the position embedding: the longest prompt in tokens.
    public var maxPositions = 512
    /// Rows of the token-type embedding (only type 0 is used).
    public var typeVocabularySize = 2
    /// LayerNorm epsilon.
    public var layerNormEps: Float = 1e-12

    /// all-MiniLM-L6-v2.
    public init() {}

    /// The JSON field name of each setting, in the twin's spelling.
    static let fieldNames = ["vocab_size", "hidden", "layers", "heads", "intermediate", "max_positions",
                             "type_vocab", "layer_norm_eps"]

    /// Parses the twin's config JSON strictly: every field present, no unknown field, sizes
    /// positive, hidden divisible by heads. `source` (the file) is named in errors.
    public init(json: String, source: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw ModelError("\(source): the text-encoder config is not a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !Self.fieldNames.contains($0) }) {
            throw ModelError("\(source): unknown text-encoder config field '\(unknown)'")
        }
        func number(_ field: String) throws -> NSNumber {
            guard let value = object[field] as? NSNumber else {
                throw ModelError("\(source): text-encoder config field '\(field)' is missing or not a number")
            }
            return value
        }
        func size(_ field: String) throws -> Int {
            let value = try number(field)
            guard value.doubleValue == value.doubleValue.rounded(), value.intValue >= 1 else {
                throw ModelError("\(source): text-encoder config field '\(field)' must be a positive integer, not \(value)")
            }
            return value.intValue
        }
        vocabularySize = try size("vocab_size")
        hidden = try size("hidden")
        layers = try size("layers")
        heads = try size("heads")
        intermediate = try size("intermediate")
        maxPositions = try size("max_positions")
        typeVocabularySize = try size("type_vocab")
        layerNormEps = try number("layer_norm_eps").floatValue
        guard hidden % heads == 0 else {
            throw ModelError("\(source): text-encoder config field 'hidden' (\(hidden)) is not a multiple of 'heads' (\(heads))")
        }
        guard layerNormEps > 0 else {
            throw ModelError("\(source): text-encoder config field 'layer_norm_eps' must be positive, not \(layerNormEps)")
        }
    }
}
