import Foundation
import Testing
@testable import GigaImage

/// The damaged files of Tests/Fixtures/broken/tiff-*.tif (made by tiff/make-fixtures.sh):
/// each gives its specific reason and words, through ImageReader.read(path:).
@Suite struct TIFFBrokenFileTests {
    @Test(arguments: [
        ("tiff-truncated-header.tif", ImageError.Reason.truncated, "the data ends after 6 bytes, inside the 8-byte header"),
        ("tiff-truncated-pixels.tif", .truncated, "reading the first directory (at byte 1160) needs bytes 1160..<1162, but the data ends after 708 bytes"),
        ("tiff-truncated-directory.tif", .truncated, "Can not read TIFF directory"),
        ("tiff-truncated-strip.tif", .truncated, "decoding strip 0 of 1 needs bytes"),
        ("tiff-truncated-jpeg.tif", .truncated, "Quantization table 0x00 was not defined"),
        ("tiff-bitflip-byteorder.tif", .unknownFormat, "starts with 0x49 0x4B 0x2A 0x00"),
        ("tiff-bitflip-entrycount.tif", .corrupt, "Sanity check on directory count failed"),
        ("tiff-huge-width.tif", .tooLarge, "TIFF header declares 1000000x16 pixels"),
        ("tiff-strip-offsets-past-end.tif", .corrupt, "points to byte 2147418112, past the end of the 1416-byte data"),
        ("tiff-absurd-strip-count.tif", .corrupt, "past the end of the 1416-byte data"),
        ("tiff-lzw-short-bytecount.tif", .corrupt, "not terminated with EOI code"),
    ])
    func brokenFileGivesItsReason(_ name: String, _ reason: ImageError.Reason, _ phrase: String) {
        let path = TIFFFixtures.broken(name)
        guard let error = TIFFFixtures.error({ try ImageReader.read(path: path) }) else { return }
        #expect(error.reason == reason, "\(error)")
        #expect(error.detail.contains(phrase), "\(error)")
        #expect(error.source == path)
        #expect(error.description.hasPrefix("\(path): "))
    }

    @Test func directoryLoopIsACorruptFile() throws {
        let path = TIFFFixtures.broken("tiff-ifd-loop.tif")
        #expect(throws: ImageError(.corrupt, "corrupt TIFF: the directory chain loops back to an earlier directory after 1 page", source: path)) {
            try ImageReader.read(path: path)
        }
    }

    @Test func everyTruncationOfAFixtureFailsCleanly() throws {
        // Every prefix of two fixtures: an ImageError of a sensible kind, never a crash or a hang.
        for name in ["rgb8-lzw.tif", "rgb8-jpeg-ycbcr.tif"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: TIFFFixtures.path(name)))
            for length in stride(from: 4, to: data.count, by: 7) {
                do {
                    // Cut only inside trailing optional fields: decodes, with a note saying so.
                    let image = try ImageReader.read(data: data.prefix(length), source: name)
                    #expect(image.metadata.notes.contains { $0.hasPrefix("TIFF data ends early (after \(length) bytes") },
                            "\(name) cut to \(length) bytes decoded without a note")
                } catch let error as ImageError {
                    #expect([.truncated, .corrupt].contains(error.reason), "\(name) at \(length): \(error)")
                }
            }
        }
    }

    @Test func bitFlipsGiveAnImageOrAnImageError() throws {
        // Deterministic pseudo-random bit flips in the directories and pixels of a few fixtures:
        // every outcome is a decoded image or an ImageError (a crash or hang fails the run).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for name in ["rgb8.tif", "rgb16-tiled-separate.tif", "rgb8-jpeg-ycbcr.tif", "palette8.tif", "gray1.tif"] {
            let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: TIFFFixtures.path(name))))
            for _ in 0..<150 {
                var bytes = data
                for _ in 0...next(3) { bytes[4 + next(bytes.count - 4)] ^= UInt8(1 << next(8)) }
                do {
                    let image = try ImageReader.read(data: Data(bytes), source: name)
                    #expect(image.width > 0 && image.height > 0)
                } catch is ImageError {
                } catch {
                    Issue.record("\(name): unexpected \(error)")
                }
            }
        }
    }
}
