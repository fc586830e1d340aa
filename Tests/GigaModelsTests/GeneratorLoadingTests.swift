import Foundation
import GigaEngine
import Testing
@testable import GigaModels

/// Files under Tests/Fixtures/models (written by Training/fixtures/generator_parity.py).
enum GeneratorFixture {
    static func path(_ fileName: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/models").appendingPathComponent(fileName).path
    }

    /// The `tiny` config's random-weight file.
    static var tinyWeights: String { path("gigagan-tiny.safetensors") }

}

extension GeneratorFixture {
    /// The tensor `name` of `file` in the engine's layout (NCHW in the file → NHWC storage for rank 4).
    static func tensor(_ file: SafetensorsFile, _ name: String) throws -> Tensor {
        Tensor(nchw: try file.floats(name), shape: try file.entry(name).shape)
    }

    static func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    /// NCHW values [1, C, H, W] split into even rows [1, C, H/2, W] and odd rows.
    static func splitRows(_ values: [Float], channels: Int, height: Int, width: Int) -> (even: [Float], odd: [Float]) {
        var even: [Float] = [], odd: [Float] = []
        for c in 0..<channels {
            for y in 0..<height {
                let row = values[((c * height + y) * width)..<((c * height + y + 1) * width)]
                if y % 2 == 0 { even += row } else { odd += row }
            }
        }
        return (even, odd)
    }
}

/// A copy of a safetensors file with some tensors or metadata changed, in a fresh temporary folder.
struct GeneratorEditedWeights {
    var tensors: [String: (shape: [Int], values: [Float])] = [:]
    var metadata: [String: String]

    init(from path: String) throws {
        let file = try SafetensorsFile(path: path)
        metadata = file.metadata
        for name in file.names { tensors[name] = (try file.entry(name).shape, try file.floats(name)) }
    }

    /// The config JSON as a mutable dictionary, and back.
    var config: [String: Any] {
        get { (try? JSONSerialization.jsonObject(with: Data(metadata["config"]!.utf8))) as? [String: Any] ?? [:] }
        set { metadata["config"] = String(decoding: try! JSONSerialization.data(withJSONObject: newValue, options: [.sortedKeys]), as: UTF8.self) }
    }

    /// Writes the file and returns its path.
    func write(_ fileName: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gigamodels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var writer = SafetensorsWriter(metadata: metadata)
        for (name, t) in tensors { writer.add(name, shape: t.shape, values: t.values) }
        let path = folder.appendingPathComponent(fileName).path
        try writer.write(to: path)
        return path
    }
}

/// Load-time validation: every broken weights file gives a `ModelError` naming the problem.
@Suite struct GeneratorLoadingTests {
    private func loadError(_ edit: (inout GeneratorEditedWeights) -> Void) throws -> ModelError {
        var weights = try GeneratorEditedWeights(from: GeneratorFixture.tinyWeights)
        edit(&weights)
        let path = try weights.write("edited.safetensors")
        do {
            _ = try Generator(path: path)
        } catch let error as ModelError {
            #expect(error.message.contains(path), "the error names the file: \(error.message)")
            return error
        }
        Issue.record("loading succeeded")
        return ModelError("")
    }

    @Test func unchangedCopyLoads() throws {
        let path = try GeneratorEditedWeights(from: GeneratorFixture.tinyWeights).write("copy.safetensors")
        #expect(try Generator(path: path).config.name == "tiny")
    }

    @Test func missingTensorIsNamed() throws {
        let error = try loadError { $0.tensors["decoder.2.blocks.0.conv1.affine.weight"] = nil }
        #expect(error.message.contains("missing tensor 'decoder.2.blocks.0.conv1.affine.weight'"), "\(error)")
        #expect(error.message.contains("[10, 8]"), "expected shape: \(error)")
    }

    @Test func wrongShapeIsNamedWithBothShapes() throws {
        let error = try loadError { $0.tensors["to_rgb.weight"] = ([3, 5, 1, 1], [Float](repeating: 0, count: 15)) }
        #expect(error.message.contains("'to_rgb.weight'"), "\(error)")
        #expect(error.message.contains("[3, 5, 1, 1]") && error.message.contains("[3, 4, 1, 1]"), "\(error)")
    }

    @Test func unusedTensorsAreListed() throws {
        let error = try loadError {
            $0.tensors["decoder.9.up.weight"] = ([1], [0])
            $0.tensors["extra"] = ([2], [0, 0])
        }
        #expect(error.message.contains("'decoder.9.up.weight'") && error.message.contains("'extra'"), "\(error)")
    }

    @Test func unknownConfigFieldIsNamed() throws {
        let error = try loadError { $0.config["dropout"] = 0.1 }
        #expect(error.message.contains("unknown generator config field(s): dropout"), "\(error)")
    }

    @Test func missingConfigFieldIsNamed() throws {
        let error = try loadError { $0.config["skip_gain"] = nil }
        #expect(error.message.contains("missing generator config field(s): skip_gain"), "\(error)")
    }

    @Test func mistypedConfigFieldIsNamed() throws {
        let error = try loadError { $0.config["tile"] = "64" }
        #expect(error.message.contains("'tile'") && error.message.contains("an int"), "\(error)")
    }

    @Test func inconsistentConfigIsRefused() throws {
        let error = try loadError { $0.config["decoder_widths"] = [8, 4, 4] }
        #expect(error.message.contains("decoder_widths needs 3 + log2(scale / subpixel_scale) = 6 entries"), "\(error)")
    }

    @Test func aSubPixelHeadShortensTheDecoder() throws {
        let error = try loadError { $0.config["subpixel_scale"] = 4 }
        #expect(error.message.contains("decoder_widths needs 3 + log2(scale / subpixel_scale) = 4 entries"), "\(error)")
        let odd = try loadError { $0.config["subpixel_scale"] = 3 }
        #expect(odd.message.contains("subpixel_scale must be 1, 2, 4 or 8"), "\(odd)")
    }

    @Test func filesWithoutTheSubPixelFieldHaveNoSubPixelHead() throws {
        let generator = try Generator(path: GeneratorFixture.tinyWeights)
        #expect(generator.config.subpixelScale == 1 && generator.config.toRGBKernelSize == 1)
        let shuffled = try Generator(path: GeneratorFixture.path("gigagan-tiny-subpixel.safetensors"))
        #expect(shuffled.config.subpixelScale == 4 && shuffled.config.upStageCount == 4)
    }

    @Test func otherFormatsAreRefused() throws {
        let error = try loadError { $0.metadata["format"] = "aura-sr" }
        #expect(error.message.contains("not a gigascale-gigagan weights file"), "\(error)")
        let noConfig = try loadError { $0.metadata["config"] = nil }
        #expect(noConfig.message.contains("no 'config'"), "\(noConfig)")
    }

    @Test func configRoundTripsThroughJSON() throws {
        let config = try Generator(path: GeneratorFixture.tinyWeights).config
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        #expect(json.contains("\"encoder_widths\""))
        #expect(try GeneratorConfig.decode(json: json, source: "round trip") == config)
        #expect(config.upStageCount == 6 && config.skipSource(forDecoderStage: 0) == 2
                && config.skipSource(forDecoderStage: 2) == 0 && config.skipSource(forDecoderStage: 3) == nil)
    }
}
