import Foundation
import Testing
@testable import GigaEngine

/// A PyTorch fixture file in Tests/Fixtures/engine (written by Training/fixtures/*.py), read with
/// the engine's own safetensors reader. Tensors are stored in PyTorch order and converted to the
/// engine's storage order on the way in.
struct EngineFixture {
    let file: SafetensorsFile

    init(_ fileName: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/engine").appendingPathComponent(fileName).path
        file = try SafetensorsFile(path: path)
    }

    /// The tensor `name` (NCHW in the file, NHWC storage for rank 4).
    func tensor(_ name: String) throws -> Tensor {
        Tensor(nchw: try file.floats(name), shape: try file.entry(name).shape)
    }

    /// The raw values of `name`, in PyTorch order.
    func floats(_ name: String) throws -> [Float] { try file.floats(name) }

    /// A one-element tensor's value.
    func scalar(_ name: String) throws -> Float {
        let values = try file.floats(name)
        try #require(values.count == 1)
        return values[0]
    }

    /// A 0/1 tensor as booleans (masks are stored as F32).
    func mask(_ name: String) throws -> [Bool] { try file.floats(name).map { $0 != 0 } }

    /// Checks shape and values (in PyTorch order) of `actual` against the tensor `name`.
    func expectMatches(_ actual: Tensor, _ name: String, tolerance: Float = 1e-4,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try tensor(name)
        #expect(actual.shape == expected.shape, "\(name)", sourceLocation: sourceLocation)
        guard actual.shape == expected.shape else { return }
        let error = relativeMaxError(actual.nchwValues(), expected.nchwValues())
        #expect(error <= tolerance, "\(name): relative max error \(error)", sourceLocation: sourceLocation)
    }
}
