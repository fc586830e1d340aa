import Foundation
import GigaEngine
import Testing
@testable import GigaModels

/// fal's config.json, the tensor layout it implies, and every way a file pair can be wrong.
@Suite struct AuraSRLoadingTests {
    /// A copy of the fixture's weights (edited) with a config.json (edited) beside it.
    private func writeCopy(editWeights: (inout GeneratorEditedWeights) -> Void = { _ in },
                           editConfig: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        var weights = try GeneratorEditedWeights(from: AuraSRFixture.weights)
        editWeights(&weights)
        let path = try weights.write("model.safetensors")
        let data = try Data(contentsOf: URL(fileURLWithPath: AuraSRFixture.path("config.json")))
        var config = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        editConfig(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: AuraSR.configPath(forWeights: path)))
        return path
    }

    private func loadError(editWeights: (inout GeneratorEditedWeights) -> Void = { _ in },
                           editConfig: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let path = try writeCopy(editWeights: editWeights, editConfig: editConfig)
        do {
            _ = try AuraSR(weightsPath: path)
        } catch let error as ModelError {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            #expect(error.message.contains(folder), "the error names the file: \(error.message)")
            return error.message
        }
        Issue.record("loading succeeded")
        return ""
    }

    @Test func realConfigGivesFalsLayout() throws {
        let config = try AuraSRConfig.load(path: AuraSRFixture.path("real-config.json"))
        #expect(config.scale == 4 && config.inputImageSize == 64 && config.sizeMultiple == 8)
        #expect(config.skipConnectScale == 0.4 && config.numConvKernels == 4 && config.styleNetwork.depth == 4)
        #expect(config.modulationCount == 33_048)
        let layout = AuraSRLayout(config)
        let data = try Data(contentsOf: URL(fileURLWithPath: AuraSRFixture.path("real-layout.json")))
        let reference = try JSONSerialization.jsonObject(with: data) as! [String: [Int]]
        let ours = Dictionary(uniqueKeysWithValues: layout.tensors.map { ($0.name, $0.shape) })
        #expect(ours.count == layout.tensors.count, "no name twice")
        #expect(Set(ours.keys).symmetricDifference(reference.keys).sorted() == [])
        #expect(ours == reference)
        #expect(layout.tensors.count == 268 && layout.parameterCount == 617_554_917)
    }

    @Test func reducedConfigLayoutIsTheFixtureFile() throws {
        let config = try AuraSRConfig.load(path: AuraSRFixture.path("config.json"))
        #expect(config.scale == 4 && config.inputImageSize == 16)
        #expect(config.encoderStages.map(\.attentionDepth) == [nil, 1, nil])
        #expect(config.decoderStages.map(\.attentionDepth) == [3, 2, nil, 1, nil])
        try AuraSRLayout(config).check(against: SafetensorsFile(path: AuraSRFixture.weights))
    }

    @Test func missingConfigJSONIsNamed() throws {
        let path = try GeneratorEditedWeights(from: AuraSRFixture.weights).write("model.safetensors")
        #expect { try AuraSR(weightsPath: path) } throws: { error in
            let message = (error as? ModelError)?.message ?? ""
            return message.contains(path) && message.contains("config.json") && message.contains("does not exist")
        }
    }

    @Test func tensorsMissingUnexpectedAndMisshapenAreListedWithCounts() throws {
        let message = try loadError(editWeights: { w in
            for j in 0..<6 { w.tensors["ups.1.0.\(j).block1.proj.weights"] = nil }
            w.tensors["extra.one"] = ([1], [0])
            w.tensors["final_to_rgb.weight"] = ([3, 5, 1, 1], [Float](repeating: 0, count: 15))
        })
        #expect(message.contains("6 missing tensor(s): 'ups.1.0.0.block1.proj.weights' [4, 8, 16, 3, 3]"), "\(message)")
        #expect(message.contains("and 1 more"), "lists five, then counts: \(message)")
        #expect(message.contains("1 unexpected tensor(s): 'extra.one'"), "\(message)")
        #expect(message.contains("'final_to_rgb.weight' is [3, 5, 1, 1], expected [3, 4, 1, 1]"), "\(message)")
    }

    @Test func configThatDoesNotFitTheWeightsIsCaught() throws {
        let message = try loadError(editConfig: { $0["num_conv_kernels"] = 2 })
        #expect(message.contains("wrong shape") && message.contains("[2, "), "\(message)")
    }

    @Test func unknownConfigFieldIsNamed() throws {
        let message = try loadError(editConfig: { $0["dropout"] = 0.1 })
        #expect(message.contains("unknown AuraSR config field(s) 'dropout'"), "\(message)")
        let nested = try loadError(editConfig: { $0["style_network"] = ["dim_in": 32, "dim_out": 32, "depth": 2, "width": 3] })
        #expect(nested.contains("unknown AuraSR config style_network field(s) 'width'"), "\(nested)")
    }

    @Test func missingRequiredFieldIsNamed() throws {
        let message = try loadError(editConfig: { $0["input_image_size"] = nil })
        #expect(message.contains("missing required field(s): input_image_size"), "\(message)")
    }

    @Test func mistypedFieldIsNamed() throws {
        let message = try loadError(editConfig: { $0["full_attn"] = [1, 0, 0, 1, 1] })
        #expect(message.contains("'full_attn'") && message.contains("true or false"), "\(message)")
        let style = try loadError(editConfig: { $0["style_network"] = ["dim_in": "32"] })
        #expect(style.contains("'style_network.dim_in'") && style.contains("an integer"), "\(style)")
    }

    @Test func unsupportedOrInconsistentConfigsAreRefused() throws {
        #expect(try loadError(editConfig: { $0["unconditional"] = false }).contains("only unconditional models"))
        #expect(try loadError(editConfig: { $0["image_size"] = 128 }).contains("image_size 128 must be"))
        #expect(try loadError(editConfig: { $0["down_dim_mults"] = [2, 4, 4] }).contains("does not match up width"))
        #expect(try loadError(editConfig: { $0["attn_depths"] = [1, 1] }).contains("one entry per up stage"))
    }

    @Test func omittedFieldsTakeFalsDefaults() throws {
        let json = #"{"dim": 64, "image_size": 256, "input_image_size": 64, "style_network": {}, "skip_connect_scale": null}"#
        let config = try AuraSRConfig.decode(json: Data(json.utf8), source: "inline")
        #expect(config.styleNetwork == AuraSRConfig.StyleNetwork(dimIn: 128, dimOut: 512, depth: 8, lrMul: 0.1, dimTextLatent: 0))
        #expect(config.skipConnectScale == 0.5.squareRoot() && config.upDims == [64, 64, 128, 256, 512, 1024])
        #expect(config.downDims == [128, 256, 512, 1024] && config.midAttnDepth == 4)
    }
}

/// Telling Gigascale's GigaGAN files, fal's AuraSR files and everything else apart.
@Suite struct WeightsFormatTests {
    @Test func knownFormatsAreRecognised() throws {
        #expect(try WeightsFormat.detect(path: AuraSRFixture.weights) == .auraSR)
        #expect(try WeightsFormat.detect(path: GeneratorFixture.tinyWeights) == .gigagan)
        // safetensors' PyTorch convention stamps {"format": "pt"}: still AuraSR.
        var stamped = try GeneratorEditedWeights(from: AuraSRFixture.weights)
        stamped.metadata = ["format": "pt"]
        #expect(try WeightsFormat.detect(path: stamped.write("model.safetensors")) == .auraSR)
    }

    @Test func otherFilesGetOneErrorNamingWhatIsMissingAndUnexpected() throws {
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        writer.add("model.conv_first.weight", shape: [2, 3, 1, 1], values: [Float](repeating: 0.5, count: 6))
        writer.add("model.body.0.weight", shape: [2], values: [1, 2])
        writer.add("init_conv.weight", shape: [1], values: [1])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gigamodels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("esrgan.safetensors").path
        try writer.write(to: path)
        #expect { try WeightsFormat.detect(path: path) } throws: { error in
            let message = (error as? ModelError)?.message ?? ""
            print(message)
            return message.hasPrefix("\(path): not a weights file Gigascale knows")
                && message.contains("format 'gigascale-gigagan' (its __metadata__ format is 'pt')")
                && message.contains("lacks 5 of them: 'mid_block1.block1.proj.weights'")
                && message.contains("2 of its 3 tensors belong to neither format: 'model.body.0.weight', 'model.conv_first.weight'")
                && !message.contains("\n")
        }
    }
}
