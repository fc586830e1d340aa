import Foundation
import Testing
@testable import GigaImage

/// The image files of Tests/Fixtures/hostile (made by its make-fixtures.sh): files built to
/// exhaust memory or time. Each is refused from its header with its own reason, or, where it is
/// a legitimate image, decoded to exactly what it declares.
@Suite struct HostileImageTests {
    private static func path(_ name: String) -> String { Fixtures.path("hostile/" + name) }

    @Test(arguments: [
        ("png-max-side-both.png", ImageError.Reason.tooLarge, "PNG header declares 65535x65535 pixels"),
        ("jpeg-sof-65500.jpg", .tooLarge, "JPEG header declares 65500x65500 pixels"),
        ("tiff-ifd-cycle-to-first.tif", .corrupt, "the directory chain loops back to an earlier directory"),
        ("tiff-rowsperstrip-zero.tif", .corrupt, "Bad value 0 for \"RowsPerStrip\""),
        // The bombs of the broken corpus, once more beside the others.
        ("../broken/png-zlib-bomb.png", .tooLarge, "20000x20000"),
        ("../broken/png-huge-ihdr.png", .tooLarge, "100000x100000"),
        ("../broken/jpeg-huge-sof.jpg", .tooLarge, "header declares"),
        ("../broken/tiff-huge-width.tif", .tooLarge, "1000000x16"),
        ("../broken/tiff-absurd-strip-count.tif", .corrupt, "past the end"),
        ("../broken/tiff-ifd-loop.tif", .corrupt, "loops back"),
    ])
    func isRefusedWithItsReason(_ name: String, _ reason: ImageError.Reason, _ phrase: String) {
        let path = Self.path(name)
        do {
            let image = try ImageReader.read(path: path)
            Issue.record("\(name) decoded to \(image.width)x\(image.height); expected \(reason)")
        } catch let error as ImageError {
            #expect(error.reason == reason, "\(error)")
            #expect(error.detail.contains(phrase), "\(error)")
            #expect(error.description.hasPrefix(path + ": "))
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("\(name): not an ImageError: \(error)")
        }
    }

    /// 2 KB of zlib that inflates to 2 MB: a real 4096x4096 image, inside the limits, decoded
    /// whole and all black (nothing past the declared rows is kept).
    @Test func aThousandfoldZlibStreamWithinTheLimitsDecodes() throws {
        let path = Self.path("png-inflates-1000x.png")
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // The single IDAT follows the signature and IHDR: its length is bytes 33..<37.
        #expect(file[37..<41] == [UInt8]("IDAT".utf8)[...])
        let idatLength = file[33..<37].reduce(0) { $0 << 8 | Int($1) }
        let image = try ImageReader.read(path: path)
        #expect(image.width == 4096 && image.height == 4096)
        let rawBytes = image.height * (1 + image.width / 8)
        #expect(rawBytes / idatLength >= 1000, "the fixture no longer inflates 1000x")
        #expect(image.planes.allSatisfy { $0.count == 4096 * 4096 && $0.allSatisfy { $0 == 0 } })
    }

    /// The same stream refused under tighter limits before anything is inflated.
    @Test func theThousandfoldStreamIsRefusedUnderTighterLimits() {
        #expect(throws: ImageError.self) {
            try ImageReader.read(path: Self.path("png-inflates-1000x.png"), limits: DecodeLimits(maxInputPixels: 1_000_000))
        }
    }

    /// A 16x16 header over 4 MB of pixel data: the 16x16 image, with libpng's warning as a note,
    /// and none of the excess kept.
    @Test func idatBeyondTheHeaderIsIgnoredWithANote() throws {
        let image = try ImageReader.read(path: Self.path("png-idat-overflows-ihdr.png"))
        #expect(image.width == 16 && image.height == 16)
        #expect(image.planes.allSatisfy { $0.count == 256 })
        #expect(image.metadata.notes.contains { $0.contains("Too much image data") }, "\(image.metadata.notes)")
    }

    /// A strip whose byte count claims 4 GB: only the 64 bytes the 8x8 image needs are read.
    @Test func aStripByteCountOfFourGigabytesReadsOnlyWhatTheImageNeeds() throws {
        let image = try ImageReader.read(path: Self.path("tiff-bytecount-4gb.tif"))
        #expect(image.width == 8 && image.height == 8)
    }
}
