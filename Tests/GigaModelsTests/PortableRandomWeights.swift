import Foundation
import GigaEngine

/// A random-weight safetensors file made from its layout and seed rather than committed: the
/// same values as Training/fixtures/portable_random.py makes for the twin, bit for bit. Every
/// value is one draw of a SplitMix64 stream over the tensors in name order: the top 24 bits give
/// u in [0, 1), and the value is `offset + halfWidth · (2u − 1)` in Double, rounded to Float and
/// stored as float16.
enum PortableRandomWeights {
    private struct Layout: Decodable {
        struct Entry: Decodable {
            var name: String
            var shape: [Int]
            var offset: Double
            var half_width: Double
        }
        var seed: UInt64
        var metadata: [String: String]
        var tensors: [Entry]
    }

    /// Writes the file the layout at `layoutPath` describes to a temporary folder (once per test
    /// process) and returns its path.
    static func file(forLayout layoutPath: String) throws -> String {
        try lock.withLock {
            if let made = made[layoutPath] { return made }
            let layout = try JSONDecoder().decode(Layout.self, from: Data(contentsOf: URL(fileURLWithPath: layoutPath)))
            var writer = SafetensorsWriter(metadata: layout.metadata)
            var random = SplitMix64(seed: layout.seed)
            for entry in layout.tensors {
                let count = entry.shape.reduce(1, *)
                let values = (0..<count).map { _ in
                    let u = Double(random.next() >> 40) / 16_777_216
                    return Float(entry.offset + entry.half_width * (u * 2 - 1))
                }
                writer.add(entry.name, shape: entry.shape, values: values, dtype: .f16)
            }
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("gigascale-\(getpid())-" + URL(fileURLWithPath: layoutPath).deletingPathExtension()
                    .deletingPathExtension().lastPathComponent + ".safetensors").path
            try writer.write(to: path)
            made[layoutPath] = path
            return path
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: [String: String] = [:]
}
