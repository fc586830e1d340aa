import Foundation
import Testing
@testable import GigaEngine

/// The safetensors files of Tests/Fixtures/hostile (made by its make-fixtures.sh): each is refused
/// with an error that names the file and the real reason, before any large allocation.
@Suite struct HostileSafetensorsTests {
    private static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")

    @Test(arguments: [
        ("st-header-4gb.safetensors", "header length 4294967296 bytes exceeds the 100 MB limit"),
        ("st-header-past-end.safetensors", "truncated: the header claims 1000 bytes but only 2 follow"),
        ("st-overlap.safetensors", "tensors 'a' and 'b' overlap"),
        ("st-offsets-out-of-file.safetensors", "lie outside the 8-byte data section"),
        ("st-offsets-past-int64.safetensors", "must be whole numbers below 2^63"),
        ("st-offsets-float.safetensors", "must be whole numbers below 2^63"),
        ("st-not-utf8.safetensors", "the header is not a JSON object"),
    ])
    func isRefusedWithItsReason(_ name: String, _ phrase: String) {
        let path = Self.directory.appendingPathComponent(name).path
        do {
            _ = try SafetensorsFile(path: path)
            Issue.record("\(name) was accepted")
        } catch let error as SafetensorsError {
            #expect(error.description.hasPrefix(path + ": "))
            #expect(error.detail.contains(phrase), "\(error.detail)")
        } catch {
            Issue.record("\(name): not a SafetensorsError: \(error)")
        }
    }

    /// A header of 100000 nested arrays (built here: too large to commit) must not exhaust the
    /// parser's stack.
    @Test func deeplyNestedJSONIsAClearError() throws {
        let json = Data(repeating: UInt8(ascii: "["), count: 100_000) + Data(repeating: UInt8(ascii: "]"), count: 100_000)
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nested-\(UUID().uuidString).safetensors").path
        try file.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: SafetensorsError(path: path, "the header is not a JSON object")) { try SafetensorsFile(path: path) }
    }
}
