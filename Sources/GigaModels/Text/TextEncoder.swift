import Foundation
import GigaEngine

/// The tokenizer and the frozen MiniLM together, loaded from one directory (`Models/text-encoder`:
/// `vocab.txt` and `model.safetensors`), as the twin's `TextEncoder`. Runs once per image.
public final class TextEncoder {
    /// The WordPiece tokenizer (prompts are padded to its `maxLength`).
    public let tokenizer: WordPieceTokenizer
    /// The BERT encoder.
    public let model: MiniLMEncoder

    /// Loads `directory/vocab.txt` and `directory/model.safetensors`.
    /// - Throws: `ModelError` naming the file that is missing or wrong.
    public init(directory: String, maxLength: Int = WordPieceTokenizer.defaultMaxLength) throws {
        let base = URL(fileURLWithPath: directory)
        tokenizer = try WordPieceTokenizer(vocabularyFile: base.appendingPathComponent("vocab.txt").path, maxLength: maxLength)
        model = try MiniLMEncoder(modelFile: base.appendingPathComponent("model.safetensors").path)
        guard tokenizer.tokens.count == model.config.vocabularySize else {
            throw ModelError("\(directory): vocab.txt has \(tokenizer.tokens.count) tokens but model.safetensors expects \(model.config.vocabularySize)")
        }
        guard maxLength <= model.config.maxPositions else {
            throw ModelError("\(directory): maxLength \(maxLength) exceeds the model's \(model.config.maxPositions) positions")
        }
    }

    /// Token features [1, maxLength, hidden] (zero at padding) and mask of `prompt`; nil is the
    /// empty prompt, `[CLS][SEP]`.
    public func encode(_ prompt: String?, in context: ComputeContext) throws -> TextEncoding {
        try model.encode(tokenizer.encode(prompt ?? ""), in: context)
    }
}
