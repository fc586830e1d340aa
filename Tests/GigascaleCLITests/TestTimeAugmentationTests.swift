import Foundation
import Testing

@Suite struct TestTimeAugmentationTests {
    /// Lanczos is mirror- and rotation-symmetric, so its 8-variant average must equal the plain
    /// result up to rounding; a variant turned back the wrong way would differ everywhere (and
    /// on this non-square photo, change the size). Uncompressed TIFFs of equal size differ only
    /// in their pixel bytes.
    @Test func ttaWithASymmetricModelGivesThePlainResult() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let plain = tree.path("plain.tif"), tta = tree.path("tta.tif")
        let common = [CommandRunner.sample("chelsea.png"), "--scale", "2", "--tiff-compression", "none"]
        #expect(try CommandRunner.run(common + ["-o", plain]).status == 0)
        let result = try CommandRunner.run(common + ["-o", tta, "-x"])
        #expect(result.status == 0, "\(result.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: plain)), b = try Data(contentsOf: URL(fileURLWithPath: tta))
        #expect(a.count == b.count)
        #expect(a.count > 451 * 2 * 300 * 2 * 3)
        let largest = zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 255
        #expect(largest <= 2)
    }
}
