import Foundation
import Testing
@testable import GigaImage

/// Whatever `ImageWriter` writes, `ImageReader` reads back under the same `DecodeLimits`: each
/// format is written at its longest side and read again, and one pixel more is refused before
/// any file exists.
@Suite struct ReadBackTests {
    private static func strip(width: Int) -> Image {
        Image(width: width, height: 1, colorChannels: 1, fill: 0.5)
    }

    @Test(arguments: ImageFormat.allCases)
    func theLongestSideWrittenIsReadBack(format: ImageFormat) throws {
        let side = DecodeLimits.standard.maxSide(for: format)
        let data = try ImageWriter.encode(Self.strip(width: side), settings: .defaults(for: format))
        let back = try ImageReader.read(data: data)
        #expect(back.width == side && back.height == 1)
        let turned = try ImageReader.read(data: try ImageWriter.encode(Self.strip(width: side).applyingOrientation(6),
                                                                       settings: .defaults(for: format)))
        #expect(turned.width == 1 && turned.height == side)
    }

    @Test(arguments: ImageFormat.allCases)
    func oneMorePixelIsRefusedBeforeAFileIsCreated(format: ImageFormat) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let side = DecodeLimits.standard.maxSide(for: format) + 1
        let path = dir.appendingPathComponent("wide." + format.fileExtension).path
        do {
            try ImageWriter.write(Self.strip(width: side), to: path, settings: .defaults(for: format))
            Issue.record("a \(side)x1 \(format.displayName) was written")
        } catch let error as ImageError {
            #expect(error.reason == .tooLarge)
            #expect(error.description.hasPrefix(path + ": "), "\(error)")
            #expect(error.detail.contains("\(side)x1") && error.detail.contains("\(side - 1)"), "\(error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
