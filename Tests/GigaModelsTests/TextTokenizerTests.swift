import Foundation
import Testing
@testable import GigaModels

/// WordPieceTokenizer against the Hugging Face tokenizer (Training/fixtures/text_encoder.py).
@Suite struct TextTokenizerTests {
    @Test func idsMatchHuggingFaceOnEveryFixturePrompt() throws {
        let fixture = try TextEncoderFixture.load()
        #expect(fixture.prompts.count >= 50)
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TextEncoderFixture.vocabularyPath, maxLength: fixture.maxLength)
        var mismatches = 0
        for (prompt, expected) in zip(fixture.prompts, fixture.ids) {
            let encoded = tokenizer.encode(prompt)
            if encoded.realIDs != expected { mismatches += 1 }
            #expect(encoded.realIDs == expected, "prompt \(prompt.debugDescription)")
            #expect(encoded.ids.count == fixture.maxLength)
            #expect(encoded.mask == (0..<fixture.maxLength).map { $0 < expected.count })
        }
        #expect(mismatches == 0)
    }

    @Test func vocabularyHasTheSpecialTokens() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TextEncoderFixture.vocabularyPath)
        #expect(tokenizer.tokens.count == 30522)
        #expect((tokenizer.padID, tokenizer.unknownID, tokenizer.classID, tokenizer.separatorID) == (0, 100, 101, 102))
    }

    @Test func emptyAndWhitespaceOnlyPromptsAreClassAndSeparator() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TextEncoderFixture.vocabularyPath)
        for prompt in ["", "   ", "\t\n\r ", "\u{200B}\u{00AD}"] {
            #expect(tokenizer.encode(prompt, padded: false).ids == [101, 102], "\(prompt.debugDescription)")
        }
    }

    @Test func truncatesToMaxLengthKeepingSeparator() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TextEncoderFixture.vocabularyPath, maxLength: 6)
        let encoded = tokenizer.encode("one two three four five six seven")
        #expect(encoded.ids.count == 6)
        #expect(encoded.ids.first == tokenizer.classID && encoded.ids.last == tokenizer.separatorID)
        #expect(encoded.ids == [tokenizer.classID] + tokenizer.pieces("one two three four") + [tokenizer.separatorID])
        #expect(encoded.mask.allSatisfy { $0 })
    }

    @Test func wordPieceIsGreedyLongestFirstWithUnknownFallback() throws {
        let tokenizer = try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "una", "##ffable", "x"])
        #expect(tokenizer.pieces("unaffable") == [7, 8])            // "una" + "##ffable", not "un" + "##aff" + "##able"
        #expect(tokenizer.pieces("unaffablez") == [1])              // unmatched remainder: the whole word is [UNK]
        #expect(tokenizer.pieces("UnAffable, x") == [7, 8, 1, 9])   // lower-cased; "," is a word of its own, unknown
        #expect(tokenizer.pieces(String(repeating: "x", count: 101)) == [1])
    }

    @Test func normalizerStripsAccentsSplitsPunctuationAndCJK() {
        #expect(BertTextNormalizer.words("Crème BRÛLÉE, s'il-vous-plaît!") == ["creme", "brulee", ",", "s", "'", "il", "-", "vous", "-", "plait", "!"])
        #expect(BertTextNormalizer.words("日本の桜") == ["日", "本", "の", "桜"])    // kana are not CJK ideographs
        #expect(BertTextNormalizer.words("ΟΔΟΣ") == ["οδοσ"])                       // no final sigma
        #expect(BertTextNormalizer.words("a\u{0085}b\u{2028}c") == ["ab", "c"])     // NEL is a control; LS a space
    }

    @Test func missingVocabularyIsAnErrorNamingTheFile() {
        let path = "/nonexistent/text-encoder/vocab.txt"
        #expect { try WordPieceTokenizer(vocabularyFile: path) } throws: { error in
            (error as? ModelError)?.message.contains(path) == true
        }
    }

    @Test func vocabularyWithoutSpecialTokensIsRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-vocab-\(UUID().uuidString).txt")
        try "[PAD]\r\n[CLS]\r\n[SEP]\r\nhello\r\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect { try WordPieceTokenizer(vocabularyFile: url.path) } throws: { error in
            let message = (error as? ModelError)?.message ?? ""
            return message.contains(url.path) && message.contains("[UNK]")
        }
        #expect(throws: ModelError.self) { try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"], maxLength: 1) }
    }
}
