import Foundation
import GigaEngine
import Testing
@testable import GigaModels

/// MiniLMEncoder (the shipped fp16 all-MiniLM-L6-v2, computed in fp32) against
/// sentence-transformers and the PyTorch twin (Training/fixtures/text_encoder.py).
@Suite struct TextEncoderTests {
    @Test func sentenceEmbeddingsMatchSentenceTransformers() throws {
        let fixture = try TextEncoderFixture.load()
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TextEncoderFixture.vocabularyPath, maxLength: fixture.maxLength)
        let encoder = try MiniLMEncoder(modelFile: TextEncoderFixture.weightsPath)
        let context = try ComputeContext(precision: .fp32, threads: 2)
        var worst: Float = 1
        for (prompt, expected) in zip(fixture.prompts, fixture.embeddings) {
            let embedding = try encoder.encode(tokenizer.encode(prompt), in: context).sentenceEmbedding
            let cosine = zip(embedding, expected).reduce(0) { $0 + $1.0 * $1.1 }   // both unit length
            worst = min(worst, cosine)
            #expect(cosine >= 0.9999, "prompt \(prompt.debugDescription): cosine \(cosine)")
        }
        print("text encoder: worst sentence-embedding cosine vs sentence-transformers \(worst) over \(fixture.prompts.count) prompts")
    }

    @Test func hiddenStatesMatchTheTwin() throws {
        let fixture = try TextEncoderFixture.load()
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TextEncoderFixture.vocabularyPath, maxLength: fixture.maxLength)
        let encoder = try MiniLMEncoder(modelFile: TextEncoderFixture.weightsPath)
        let context = try ComputeContext(precision: .fp32, threads: 2)
        #expect(fixture.hiddenPrompts.count == 3)
        for index in fixture.hiddenPrompts {
            let prompt = tokenizer.encode(fixture.prompts[index])
            let features = try encoder.tokenFeatures(prompt, in: context)
            #expect(features.shape == [1, fixture.maxLength, 384])
            let error = textRelativeMaxError(features.storage, try fixture.hidden(index))
            #expect(error <= 1e-3, "prompt \(fixture.prompts[index].debugDescription): relative max error \(error)")
            print("text encoder: hidden state of \(fixture.prompts[index].debugDescription): relative max error \(error)")
            // Padded positions are zero; real ones are not.
            for (t, real) in prompt.mask.enumerated() {
                let row = features.storage[(t * 384)..<((t + 1) * 384)]
                #expect(row.contains { $0 != 0 } == real)
            }
        }
    }

    @Test func unpaddedPromptGivesTheSameRealTokenFeatures() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TextEncoderFixture.vocabularyPath)
        let encoder = try MiniLMEncoder(modelFile: TextEncoderFixture.weightsPath)
        let context = try ComputeContext(precision: .fp32, threads: 2)
        let padded = try encoder.tokenFeatures(tokenizer.encode("a red maple leaf with dew drops, close-up"), in: context)
        let short = tokenizer.encode("a red maple leaf with dew drops, close-up", padded: false)
        let unpadded = try encoder.tokenFeatures(short, in: context)
        #expect(unpadded.shape == [1, short.ids.count, 384])
        #expect(textRelativeMaxError(unpadded.storage, Array(padded.storage.prefix(unpadded.count))) <= 1e-5)
    }

    @Test func missingWeightsFileIsAnErrorNamingTheFile() {
        let path = "/nonexistent/text-encoder/model.safetensors"
        #expect { try MiniLMEncoder(modelFile: path) } throws: { error in
            (error as? ModelError)?.message.contains(path) == true
        }
    }

    @Test func weightsFileMissingATensorIsAnErrorNamingIt() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-minilm-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        // A tiny config with word and position embeddings only.
        let config = #"{"vocab_size":4,"hidden":2,"layers":1,"heads":1,"intermediate":4,"max_positions":8,"type_vocab":2,"layer_norm_eps":1e-12}"#
        var writer = SafetensorsWriter(metadata: ["config": config])
        writer.add("embeddings.word_embeddings.weight", shape: [4, 2], values: [Float](repeating: 0, count: 8))
        writer.add("embeddings.position_embeddings.weight", shape: [8, 2], values: [Float](repeating: 0, count: 16))
        try writer.write(to: url.path)
        #expect { try MiniLMEncoder(modelFile: url.path) } throws: { error in
            let message = (error as? ModelError)?.message ?? ""
            return message.contains(url.path) && message.contains("embeddings.token_type_embeddings.weight")
        }
    }

    @Test func strictConfigNamesTheBadField() {
        let good = #"{"vocab_size":4,"hidden":2,"layers":1,"heads":1,"intermediate":4,"max_positions":8,"type_vocab":2,"layer_norm_eps":1e-12}"#
        #expect(throws: Never.self) { try MiniLMConfig(json: good, source: "m.safetensors") }
        for (json, field) in [(good.replacingOccurrences(of: #""heads":1,"#, with: ""), "heads"),
                              (good.replacingOccurrences(of: "}", with: #","dropout":0.1}"#), "dropout"),
                              (good.replacingOccurrences(of: #""heads":1"#, with: #""heads":3"#), "heads")] {
            #expect { try MiniLMConfig(json: json, source: "m.safetensors") } throws: { error in
                let message = (error as? ModelError)?.message ?? ""
                return message.contains("m.safetensors") && message.contains(field)
            }
        }
    }
}

/// The directory-level TextEncoder.
@Suite struct TextEncoderDirectoryTests {
    @Test func nilPromptIsTheEmptyPrompt() throws {
        let encoder = try TextEncoder(directory: TextEncoderFixture.modelDirectory.path)
        let context = try ComputeContext(precision: .fp32, threads: 2)
        let none = try encoder.encode(nil, in: context)
        #expect(none.tokenFeatures.shape == [1, 32, 384])
        #expect(none.mask == [true, true] + [Bool](repeating: false, count: 30))
        #expect(none.tokenFeatures == (try encoder.encode("", in: context)).tokenFeatures)
    }

    @Test func directoryWithoutVocabularyNamesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-te-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect { try TextEncoder(directory: directory.path) } throws: { error in
            (error as? ModelError)?.message.contains(directory.appendingPathComponent("vocab.txt").path) == true
        }
    }
}
