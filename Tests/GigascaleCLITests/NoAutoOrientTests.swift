import Foundation
import Testing

@Suite struct NoAutoOrientTests {
    private func info(_ path: String) throws -> [String: Any] {
        let result = try CommandRunner.run(["info", "--json", path])
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    }

    /// --no-auto-orient keeps the stored pixels and the orientation tag (EXIF in JPEG and PNG,
    /// the Orientation tag in TIFF); shown upright, the picture is the default output's.
    @Test(arguments: ["jpg", "png", "tif"])
    func keepsStoredPixelsAndTheOrientationTag(ext: String) throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let input = CommandRunner.fixture("jpeg/orient-6.jpg")
        let kept = tree.path("kept.\(ext)"), upright = tree.path("upright.\(ext)")
        #expect(try CommandRunner.run([input, "-o", kept, "--scale", "2", "--no-auto-orient"]).status == 0)
        #expect(try CommandRunner.run([input, "-o", upright, "--scale", "2"]).status == 0)
        let keptInfo = try info(kept), uprightInfo = try info(upright)
        #expect(keptInfo["orientation"] as? Int == 6)
        #expect(uprightInfo["orientation"] as? Int == 1)
        #expect(keptInfo["width"] as? Int == uprightInfo["width"] as? Int)
        #expect(keptInfo["height"] as? Int == uprightInfo["height"] as? Int)
        guard ext != "jpg" else { return }  // JPEG's loss makes a byte comparison meaningless
        // Turned upright by the decoder, the kept output matches the default one (Lanczos is
        // rotation-symmetric up to rounding): compare them as uncompressed TIFFs.
        let a = tree.path("a.tif"), b = tree.path("b.tif")
        #expect(try CommandRunner.run(["convert", kept, "-o", a, "--tiff-compression", "none"]).status == 0)
        #expect(try CommandRunner.run(["convert", upright, "-o", b, "--tiff-compression", "none"]).status == 0)
        let x = try Data(contentsOf: URL(fileURLWithPath: a)), y = try Data(contentsOf: URL(fileURLWithPath: b))
        #expect(x.count == y.count)
        #expect((zip(x, y).map { abs(Int($0) - Int($1)) }.max() ?? 255) <= 2)
    }

    @Test func refusesWhenNoEXIFCanCarryTheOrientation() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let result = try CommandRunner.run([CommandRunner.fixture("jpeg/orient-6.jpg"), "-o", tree.path("x.jpg"), "--no-auto-orient", "--strip"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot record orientation 6 in a JPEG without an EXIF orientation field"))
        #expect(tree.files(under: ".").isEmpty)
        #expect(try CommandRunner.run([CommandRunner.fixture("jpeg/orient-6.jpg"), "-o", tree.path("x.tif"), "--no-auto-orient", "--strip"]).status == 0)
    }
}
