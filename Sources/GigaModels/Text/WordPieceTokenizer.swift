import Foundation

/// BERT's uncased WordPiece tokenizer, as all-MiniLM-L6-v2 uses it (the Hugging Face tokenizer in
/// the model's `tokenizer.json`, and the twin's `Training/gigagan/tokenizer.py`).
///
/// `encode` gives `[CLS]`, the pieces of `BertTextNormalizer.words(text)` cut to `maxLength − 2`,
/// `[SEP]`, then `[PAD]` (masked out) up to `maxLength`. Each word is split greedily, longest
/// vocabulary prefix first, later pieces looked up with a `##` prefix; a word longer than 100
/// scalars, or with a remainder no piece matches, becomes one `[UNK]`.
public struct WordPieceTokenizer: Sendable {
    /// The generator's prompt length: 32 tokens, `[CLS]` and `[SEP]` included.
    public static let defaultMaxLength = 32
    /// Words longer than this (in Unicode scalars) become `[UNK]` without being split.
    public static let maxScalarsPerWord = 100

    /// Tokens per encoded prompt, `[CLS]` and `[SEP]` included (at least 2).
    public let maxLength: Int
    /// The vocabulary, one token per id.
    public let tokens: [String]
    /// Special token ids.
    public let padID: Int, unknownID: Int, classID: Int, separatorID: Int

    // Token → id. Keys compare by canonical equivalence; the vocabulary and the words looked up
    // are both in NFD, where that is the same as comparing scalars.
    private let ids: [String: Int]

    /// Loads a `vocab.txt` (one token per line, UTF-8; the line number is the id).
    /// - Throws: `ModelError` naming the file when it cannot be read, is not UTF-8, or lacks one
    ///   of `[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`.
    public init(vocabularyFile path: String, maxLength: Int = defaultMaxLength) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw ModelError("\(path): text-encoder vocabulary \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelError("\(path): text-encoder vocabulary is not UTF-8 text")
        }
        // Split on "\n" scalars (a Character would join "\r\n"); no line after a final newline.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var scalars = String.UnicodeScalarView(line)
            if scalars.last == "\r" { scalars.removeLast() }
            return String(scalars)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines, maxLength: maxLength, source: path)
    }

    /// A tokenizer over `tokens` (id = index). `source` names the vocabulary in errors.
    public init(tokens: [String], maxLength: Int = defaultMaxLength, source: String = "vocabulary") throws {
        guard maxLength >= 2 else {
            throw ModelError("\(source): maxLength must be at least 2 (for [CLS] and [SEP]), not \(maxLength)")
        }
        var ids = [String: Int](minimumCapacity: tokens.count)
        for (id, token) in tokens.enumerated() where ids[token] == nil { ids[token] = id }
        func special(_ token: String) throws -> Int {
            guard let id = ids[token] else { throw ModelError("\(source): the vocabulary lacks \(token)") }
            return id
        }
        self.tokens = tokens
        self.ids = ids
        self.maxLength = maxLength
        padID = try special("[PAD]")
        unknownID = try special("[UNK]")
        classID = try special("[CLS]")
        separatorID = try special("[SEP]")
    }

    /// The id of a vocabulary token, if it is one.
    public func id(of token: String) -> Int? { ids[token] }

    /// The piece ids of `text`, without `[CLS]`/`[SEP]` and without truncation.
    public func pieces(_ text: String) -> [Int] {
        BertTextNormalizer.words(text).flatMap(wordPieces)
    }

    /// `[CLS]` + pieces (at most `maxLength − 2`) + `[SEP]`, then, if `padded`, `[PAD]` up to `maxLength`.
    public func encode(_ text: String, padded: Bool = true) -> TokenizedPrompt {
        var result = [classID]
        result += pieces(text).prefix(maxLength - 2)
        result.append(separatorID)
        var mask = [Bool](repeating: true, count: result.count)
        if padded {
            let padding = maxLength - result.count
            result += [Int](repeating: padID, count: padding)
            mask += [Bool](repeating: false, count: padding)
        }
        return TokenizedPrompt(ids: result, mask: mask)
    }

    /// Greedy longest-match-first WordPiece of one word.
    func wordPieces(_ word: String) -> [Int] {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count <= Self.maxScalarsPerWord else { return [unknownID] }
        var result: [Int] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int?
            while start < end {
                var piece = String.UnicodeScalarView()
                if start > 0 { piece.append(contentsOf: "##".unicodeScalars) }
                piece.append(contentsOf: scalars[start..<end])
                if let id = ids[String(piece)] { found = id; break }
                end -= 1
            }
            guard let found else { return [unknownID] }
            result.append(found)
            start = end
        }
        return result
    }
}
