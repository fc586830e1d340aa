import Foundation
import Testing
@testable import GigascaleBench

/// Memory follows the output an image needs, whatever its aspect ratio. The tiny GigaGAN runs
/// whole 64-pixel tiles, so a 2000x1 strip is padded to tiles of 512 output rows while its output
/// (16000x8) has 8: a renderer that kept the padded rows would hold 16000 x 512 x 3 floats
/// (98 MB) more than it needs. The strip's peak resident memory, measured by `wait4` on the
/// child alone, must stay within 64 MiB of an 8x8 image's through the same model (a second
/// tile worker and the allocator's slack).
@Suite struct PeakMemoryTests {
    static let weights = CommandRunner.fixture("models/gigagan-tiny.safetensors")

    private static func peakRSS(_ input: String, in tree: TestTree) throws -> Int {
        let name = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        let child = try ChildProcess.run(CommandRunner.executable.path,
                                         arguments: [input, "-o", tree.path(name + "-x8.png"), "--model", weights],
                                         stderrPath: tree.path(name + ".log"))
        #expect(child.succeeded, "\(name): \((try? String(contentsOfFile: tree.path(name + ".log"), encoding: .utf8)) ?? "")")
        return child.peakRSSBytes
    }

    @Test func aThinStripTakesNoMoreMemoryThanItsOutputNeeds() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let baseline = try Self.peakRSS(CommandRunner.fixture("hostile/tiny-8x8.png"), in: tree)
        let strip = try Self.peakRSS(CommandRunner.fixture("hostile/thin-2000x1.png"), in: tree)
        #expect(strip - baseline < 64 << 20, "2000x1 peaked at \(strip >> 20) MiB, an 8x8 image at \(baseline >> 20) MiB")
    }
}
