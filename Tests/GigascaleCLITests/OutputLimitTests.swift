import Foundation
import Testing

/// An output gigascale could not write, or could not read back, is refused before any work: one
/// error line naming the input and the limit, exit status 1, no file and no folder made. The
/// thin inputs are in Tests/Fixtures/hostile (made by its make-hostile.py).
@Suite struct OutputLimitTests {
    private static func thin(_ name: String) -> String { CommandRunner.fixture("hostile/" + name) }

    /// 9000x2 at 8x is 72000x16, wider than any PNG or TIFF gigascale reads.
    @Test(arguments: [("png", "PNG"), ("tif", "TIFF")])
    func anOutputPastTheLongestSideIsRefusedNamingTheInput(_ ext: String, _ format: String) throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let input = Self.thin("thin-9000x2.png")
        let result = try Watchdog.run([input, "-o", tree.path("out." + ext)])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.errorLines == ["gigascale: error: \(input): output of 72000x16 pixels is larger than a \(format) file gigascale writes and reads back: the longest side allowed is 65535"],
                "\(result.stderr)")
        #expect(tree.files(under: "").isEmpty)
    }

    /// A header and no image data: refused for its output's size, so refused from the header.
    @Test func theOutputSizeIsRefusedFromTheHeaderBeforeThePixels() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let result = try Watchdog.run([Self.thin("thin-9000x2-header-only.png"), "-o", tree.path("out.png")])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1 && result.stderr.contains("output of 72000x16 pixels"), "\(result.stderr)")
        #expect(tree.files(under: "").isEmpty)
    }

    /// A subfolder mirrored under -o is made only for an output that will be written.
    @Test func noFolderIsMadeForARefusedOutput() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.add("in/sub/thin.png", sample: "hostile/thin-9000x2.png", fixture: true)
        let result = try Watchdog.run([tree.path("in"), "-r", "-o", tree.path("out")])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.errorLines.count == 1 && result.stderr.contains("72000x16"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.path("out/sub")))
        #expect(tree.files(under: "out").isEmpty)
    }

    /// 8188x2 at 8x is 65504x16: a PNG or TIFF that wide is written and read back; a JPEG, which
    /// libjpeg stops at 65500, is refused, by upscale and by convert alike.
    @Test func whatIsWrittenIsReadBackAndJPEGStopsAt65500() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let input = Self.thin("thin-8188x2.png")
        for ext in ["png", "tif"] {
            let result = try Watchdog.run([input, "-o", tree.path("wide." + ext)])
            #expect(result.status == 0, "\(result.stderr)")
            let info = try CommandRunner.run(["info", "--json", tree.path("wide." + ext)])
            #expect(info.status == 0, "\(info.stderr)")
            let report = try JSONSerialization.jsonObject(with: info.stdout) as? [String: Any]
            #expect(report?["width"] as? Int == 65504 && report?["height"] as? Int == 16, "\(String(decoding: info.stdout, as: UTF8.self))")
        }
        let jpeg = try Watchdog.run([input, "-o", tree.path("wide.jpg")])
        #expect(jpeg.status == 1)
        #expect(jpeg.errorLines == ["gigascale: error: \(input): output of 65504x16 pixels is larger than a JPEG file gigascale writes and reads back: the longest side allowed is 65500"],
                "\(jpeg.stderr)")
        let converted = try CommandRunner.run(["convert", tree.path("wide.png"), "-o", tree.path("converted.jpg")])
        #expect(converted.status == 1)
        #expect(converted.stderr.contains("\(tree.path("wide.png")): output of 65504x16 pixels"), "\(converted.stderr)")
        #expect(tree.files(under: "") == ["wide.png", "wide.tif"])
    }
}
