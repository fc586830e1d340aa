import Foundation
import GigaEngine
@testable import GigaModels

/// Paths of the shipped text encoder and its fixture (Training/fixtures/text_encoder.py), found
/// through #filePath.
enum TextEncoderFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let modelDirectory = repositoryRoot.appendingPathComponent("Models/text-encoder")
    static let vocabularyPath = modelDirectory.appendingPathComponent("vocab.txt").path
    static let weightsPath = modelDirectory.appendingPathComponent("model.safetensors").path
    static let fixturePath = repositoryRoot.appendingPathComponent("Tests/Fixtures/models/text-encoder.safetensors").path

    /// The fixture: prompts, Hugging Face ids (real tokens only), reference embeddings and hidden states.
    struct Contents {
        let file: SafetensorsFile
        let prompts: [String]
        let hiddenPrompts: [Int]
        let maxLength: Int
        let ids: [[Int]]
        let embeddings: [[Float]]

        func hidden(_ index: Int) throws -> [Float] { try file.floats("hidden.\(index)") }
    }

    static func load() throws -> Contents {
        let file = try SafetensorsFile(path: fixturePath)
        struct Header: Decodable { let prompts: [String]; let hidden_prompts: [Int]; let max_length: Int }
        let header = try JSONDecoder().decode(Header.self, from: Data((file.metadata["fixture"] ?? "").utf8))
        let n = header.prompts.count, t = header.max_length
        let ids = try file.floats("ids"), mask = try file.floats("mask"), embeddings = try file.floats("embeddings")
        let width = embeddings.count / n
        return Contents(
            file: file, prompts: header.prompts, hiddenPrompts: header.hidden_prompts, maxLength: t,
            ids: (0..<n).map { p in (0..<t).filter { mask[p * t + $0] != 0 }.map { Int(ids[p * t + $0]) } },
            embeddings: (0..<n).map { Array(embeddings[($0 * width)..<(($0 + 1) * width)]) })
    }
}

/// max |a − e| / max(max |e|, 1), as the engine tests measure.
func textRelativeMaxError(_ actual: [Float], _ expected: [Float]) -> Float {
    precondition(actual.count == expected.count)
    let scale = max(expected.map(abs).max() ?? 0, 1)
    return zip(actual, expected).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}
