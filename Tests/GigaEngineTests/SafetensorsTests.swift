import Foundation
import Testing
@testable import GigaEngine

@Suite struct SafetensorsTests {
    private func temporaryFile(_ bytes: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString).safetensors").path
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A file from a raw header string and data section, for malformed cases.
    private func rawFile(header: String, data: Data = Data(), declaredLength: UInt64? = nil) -> Data {
        var file = Data()
        let json = Data(header.utf8)
        withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(data)
        return file
    }

    private func expectError(_ bytes: Data, _ phrase: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try SafetensorsFile(path: path)
            Issue.record("accepted a file that should fail with '\(phrase)'", sourceLocation: sourceLocation)
        } catch let error as SafetensorsError {
            #expect(error.description.hasPrefix(path + ": "), sourceLocation: sourceLocation)
            #expect(error.detail.contains(phrase), "\(error.detail)", sourceLocation: sourceLocation)
        }
    }

    @Test func roundTripsEveryDTypeAndTheMetadata() throws {
        let values: [Float] = [0, 1, -2.5, 0.1, 65504, 1e-7, -0, 3.140625]
        var writer = SafetensorsWriter(metadata: ["config": #"{"width": 64}"#])
        writer.add("a.weight", shape: [2, 4], values: values, dtype: .f32)
        writer.add("b.half", shape: [8], values: values, dtype: .f16)
        writer.add("c.brain", shape: [4, 2], values: values, dtype: .bf16)
        writer.add("empty", shape: [0, 3], values: [], dtype: .f32)
        let path = try temporaryFile(try writer.serialized())
        defer { try? FileManager.default.removeItem(atPath: path) }

        let file = try SafetensorsFile(path: path)
        #expect(file.names == ["a.weight", "b.half", "c.brain", "empty"])
        #expect(file.metadata == ["config": #"{"width": 64}"#])
        #expect(try file.floats("a.weight") == values)
        #expect(try file.entry("c.brain").shape == [4, 2])
        #expect(try file.floats("b.half") == values.map { HalfPrecision.float(fromHalfBits: HalfPrecision.halfBits(from: $0)) })
        #expect(try file.floats("c.brain") == values.map { HalfPrecision.float(fromBFloat16Bits: HalfPrecision.bfloat16Bits(from: $0)) })
        #expect(try file.floats("empty").isEmpty)
        #expect(throws: SafetensorsError.self) { try file.floats("missing") }
    }

    @Test func halfPrecisionConversionsAreExactWhereRepresentable() {
        for bits in UInt16.min...UInt16.max {
            let value = HalfPrecision.float(fromHalfBits: bits)
            if value.isNaN { continue }
            #expect(HalfPrecision.halfBits(from: value) == bits)
        }
        #expect(HalfPrecision.halfBits(from: 1 + 0x1p-11) == 0x3C00)   // tie rounds to even
        #expect(HalfPrecision.halfBits(from: 1e6) == 0x7C00)
        #expect(HalfPrecision.bfloat16Bits(from: 1 + 0x1p-8) == 0x3F80)  // tie rounds to even
        #expect(HalfPrecision.float(fromBFloat16Bits: HalfPrecision.bfloat16Bits(from: -3.5)) == -3.5)
    }

    @Test func truncatedFilesAreClearErrors() throws {
        var writer = SafetensorsWriter()
        writer.add("w", shape: [16], values: (0..<16).map(Float.init))
        let good = try writer.serialized()
        try expectError(good.prefix(5), "shorter than the 8-byte header length")
        try expectError(good.prefix(40), "truncated: the header claims")
        try expectError(good.prefix(good.count - 3), "outside the")
    }

    @Test func hostileHeadersAreRefused() throws {
        try expectError(rawFile(header: "{}", declaredLength: 4 << 30), "exceeds the 100 MB limit")
        try expectError(rawFile(header: "[1, 2]"), "not a JSON object")
        try expectError(rawFile(header: #"{"w": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}"#, data: Data(count: 8)), "dtype I64 is not supported")
        try expectError(rawFile(header: #"{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, data: Data(count: 8)), "needs 12 bytes but data_offsets span 8")
        try expectError(rawFile(header: #"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}"#, data: Data(count: 8)), "outside the 8-byte data section")
        try expectError(rawFile(header: #"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}"#, data: Data(count: 8)), "reversed")
        try expectError(rawFile(header: #"{"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}"#, data: Data(count: 8)), "negative dimension")
        try expectError(rawFile(header: #"{"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 8]}}"#, data: Data(count: 8)), "overflows")
        try expectError(rawFile(header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}"#, data: Data(count: 12)), "overlap")
        try expectError(rawFile(header: #"{"__metadata__": {"k": 3}}"#), "__metadata__ must map strings to strings")
        try expectError(Data(), "shorter than the 8-byte header length")
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: SafetensorsError(path: "/nonexistent.safetensors", "cannot open: No such file or directory")) {
            try SafetensorsFile(path: "/nonexistent.safetensors")
        }
    }
}
