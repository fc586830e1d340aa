import Foundation
import Testing
import GigaEngine
@testable import GigaModels

/// The committed ncnn graphs of Tests/Fixtures/models/ncnn run by the interpreter match PyPI
/// ncnn's fp32 outputs (made by Training/fixtures/ncnn_parity.py) to 1e-3.
@Suite struct NCNNParityTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/models/ncnn")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func maxAbsError(_ actual: Tensor, _ expected: Tensor) -> Float {
        zip(actual.storage, expected.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// realesr-animevideov3 (real weights) at 2x, 3x and 4x on a real photo crop.
    @Test(arguments: [2, 3, 4])
    func animeVideoV3MatchesNCNN(scale: Int) throws {
        let fixture = try SafetensorsFile(path: Self.path("animevideov3-parity.safetensors"))
        let input = Tensor(nchw: try fixture.floats("input"), shape: try fixture.entry("input").shape)
        let expected = Tensor(nchw: try fixture.floats("x\(scale)"), shape: try fixture.entry("x\(scale)").shape)
        let net = try NCNNNet(paramPath: Self.path("realesr-animevideov3-x\(scale).param"),
                              binPath: Self.path("realesr-animevideov3-x4.bin"))
        let output = try net.run(input, context: ComputeContext(precision: .fp32, threads: 2))
        #expect(output.shape == expected.shape)
        try #require(output.shape == expected.shape)
        let error = Self.maxAbsError(output, expected)
        #expect(error <= 1e-3, "max abs error \(error)")
    }

    /// Seeded random-weight graphs: RRDBNet's structure, and every other supported layer type
    /// (fp32, fp16 and quantisation-table weights).
    @Test(arguments: ["rrdb-random", "layers-random"])
    func randomGraphMatchesNCNN(stem: String) throws {
        let fixture = try SafetensorsFile(path: Self.path("\(stem)-parity.safetensors"))
        let input = Tensor(nchw: try fixture.floats("input"), shape: try fixture.entry("input").shape)
        let expected = Tensor(nchw: try fixture.floats("output"), shape: try fixture.entry("output").shape)
        let net = try NCNNNet(paramPath: Self.path("\(stem).param"))
        let output = try net.run(input, context: ComputeContext(precision: .fp32, threads: 2))
        #expect(output.shape == expected.shape)
        try #require(output.shape == expected.shape)
        let error = Self.maxAbsError(output, expected)
        #expect(error <= 1e-3, "max abs error \(error)")
    }
}
