import Foundation
import Testing
@testable import GigaImage

@Suite struct ImageFormatTests {
    @Test func sniffsEachFormatByMagicBytes() {
        #expect(ImageFormat.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.sniff([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]) == .tiff)
        #expect(ImageFormat.sniff([0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8]) == .tiff)
        #expect(ImageFormat.sniff(Array("GIF89a".utf8)) == nil)
        #expect(ImageFormat.sniff([UInt8]()) == nil)
    }

    @Test func unknownBytesNameTheSupportedFormats() {
        #expect(throws: ImageError.self) { try ImageReader.read(data: Data("hello, world".utf8), source: "notes.png") }
        do {
            _ = try ImageReader.read(data: Data("hello, world".utf8), source: "notes.png")
        } catch let error as ImageError {
            #expect(error.reason == .unknownFormat)
            #expect(error.description.hasPrefix("notes.png: "))
            #expect(error.description.contains("PNG, JPEG, TIFF"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func emptyInputIsTruncated() {
        #expect(throws: ImageError(.truncated, "empty file (0 bytes)", source: "empty.jpg")) {
            try ImageReader.read(data: Data(), source: "empty.jpg")
        }
    }
}
