import Foundation
import Testing
import GigaEngine
@testable import GigaModels

/// Every model of a folder of ncnn models (e.g. the one Models/fetch-ncnn-models.sh fills)
/// against PyPI ncnn's fp32 outputs on real photo tiles, written to FOLDER/parity by
/// `Training/fixtures/ncnn_parity.py models FOLDER`. Runs when GIGASCALE_NCNN_PARITY names
/// the folder; the committed animevideov3 fixture covers CI.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GIGASCALE_NCNN_PARITY"] != nil,
                "set GIGASCALE_NCNN_PARITY to a folder of ncnn models with parity/ outputs"))
struct NCNNModelParityTests {
    static var folder: String { ProcessInfo.processInfo.environment["GIGASCALE_NCNN_PARITY"] ?? "" }

    static var models: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/parity")) ?? []
        return names.filter { $0.hasSuffix(".safetensors") }.map { String($0.dropLast(12)) }.sorted()
    }

    @Test(arguments: models)
    func matchesNCNN(model: String) throws {
        let fixture = try SafetensorsFile(path: "\(Self.folder)/parity/\(model).safetensors")
        let net = try NCNNNet(paramPath: "\(Self.folder)/\(model).param")
        let context = try ComputeContext(precision: .fp32, threads: 2)
        for tile in ["tile0", "tile1"] {
            let input = Tensor(nchw: try fixture.floats(tile), shape: try fixture.entry(tile).shape)
            let expected = Tensor(nchw: try fixture.floats(tile + "_out"), shape: try fixture.entry(tile + "_out").shape)
            let output = try net.run(input, context: context)
            try #require(output.shape == expected.shape)
            let error = zip(output.storage, expected.storage).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
            print("ncnn parity \(model) \(tile): max abs error \(error)")
            #expect(error <= 1e-3, "\(model) \(tile): max abs error \(error)")
        }
    }
}
