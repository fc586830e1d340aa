import Foundation
import Testing
@testable import GigaImage

/// Shared helpers of the TIFF suites: fixture paths and expectation files.
enum TIFFFixtures {
    static func path(_ name: String) -> String { Fixtures.path("tiff/\(name)") }
    static func broken(_ name: String) -> String { Fixtures.path("broken/\(name)") }

    /// `expected/<name>` as bytes.
    static func expectedBytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path("expected/\(name)"))))
    }

    /// An 8-bit expectation file, one sample per byte.
    static func expected8(_ name: String) throws -> [Int] { try expectedBytes(name).map(Int.init) }

    /// A 16-bit little-endian expectation file.
    static func expected16(_ name: String) throws -> [Int] {
        let b = try expectedBytes(name)
        return stride(from: 0, to: b.count, by: 2).map { Int(b[$0]) | Int(b[$0 + 1]) << 8 }
    }

    /// The image's samples interleaved (colour planes, then alpha), as floats.
    static func interleaved(_ image: Image) -> [Float] {
        var sources = image.planes
        if let alpha = image.alpha { sources.append(alpha) }
        var out: [Float] = []
        out.reserveCapacity(image.pixelCount * sources.count)
        for i in 0..<image.pixelCount { for s in sources { out.append(s[i]) } }
        return out
    }

    /// The image's samples interleaved and quantized to `maxValue` levels.
    static func quantized(_ image: Image, maxValue: Float) -> [Int] {
        interleaved(image).map { Int(($0 * maxValue).rounded()) }
    }

    static func read(_ name: String, applyOrientation: Bool = true) throws -> Image {
        try ImageReader.read(path: path(name), applyOrientation: applyOrientation)
    }

    /// The ImageError thrown by `body`, or a recorded issue.
    static func error(_ body: () throws -> Any) -> ImageError? {
        do {
            _ = try body()
            Issue.record("expected an ImageError, but it succeeded")
        } catch let error as ImageError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }
}
