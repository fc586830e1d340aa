import Foundation
import Testing
@testable import GigaImage

@Suite struct EXIFBlockTests {
    /// A minimal EXIF block laid out by hand: IFD0 with Orientation and an ExifIFD pointer; the
    /// Exif IFD with PixelXDimension (SHORT) and PixelYDimension (LONG).
    private func makeBlock(bigEndian: Bool, orientation: UInt16, width: UInt16, height: UInt32) -> Data {
        func u16(_ v: UInt16) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { bigEndian ? u16(UInt16(v >> 16)) + u16(UInt16(v & 0xFFFF)) : u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) }
        var bytes: [UInt8] = (bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]) + u16(42) + u32(8)
        // IFD0 at 8: two entries, then the next-IFD offset.
        bytes += u16(2)
        bytes += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0)
        bytes += u16(0x8769) + u16(4) + u32(1) + u32(38)
        bytes += u32(0)
        // Exif IFD at 38.
        bytes += u16(2)
        bytes += u16(0xA002) + u16(3) + u32(1) + u16(width) + u16(0)
        bytes += u16(0xA003) + u16(4) + u32(1) + u32(height)
        bytes += u32(0)
        return Data(bytes)
    }

    @Test(arguments: [false, true])
    func readsOrientationAndPixelDimensions(bigEndian: Bool) throws {
        let block = try #require(EXIFBlock(makeBlock(bigEndian: bigEndian, orientation: 6, width: 640, height: 480)))
        #expect(block.orientation == 6)
        #expect(block.pixelDimensions?.width == 640)
        #expect(block.pixelDimensions?.height == 480)
    }

    @Test(arguments: [false, true])
    func outputCopyIsUprightWithNewDimensionsWidenedWhenNeeded(bigEndian: Bool) throws {
        let block = try #require(EXIFBlock(makeBlock(bigEndian: bigEndian, orientation: 8, width: 640, height: 480)))
        let updated = block.updatedForOutput(width: 100_000, height: 3840)
        #expect(updated.orientation == 1)
        #expect(updated.pixelDimensions?.width == 100_000)   // SHORT widened to LONG in place
        #expect(updated.pixelDimensions?.height == 3840)
        #expect(updated.bytes.count == block.bytes.count)
    }

    /// Pixels passed through unrotated keep the source's orientation.
    @Test(arguments: [false, true])
    func outputCopyCanKeepAnOrientation(bigEndian: Bool) throws {
        let block = try #require(EXIFBlock(makeBlock(bigEndian: bigEndian, orientation: 8, width: 640, height: 480)))
        let updated = block.updatedForOutput(width: 1280, height: 960, orientation: 8)
        #expect(updated.orientation == 8)
        #expect(updated.pixelDimensions?.width == 1280)
    }

    @Test func acceptsTheJPEGIdentifierPrefix() throws {
        let body = makeBlock(bigEndian: false, orientation: 3, width: 1, height: 1)
        let block = try #require(EXIFBlock(Data("Exif\0\0".utf8) + body))
        #expect(block.bytes == body)
        #expect(block.orientation == 3)
    }

    @Test func malformedBlocksAreRejectedOrIgnoredWithoutCrashing() throws {
        #expect(EXIFBlock(Data("not exif".utf8)) == nil)
        #expect(EXIFBlock(Data([0x49, 0x49, 0x2A])) == nil)
        let full = makeBlock(bigEndian: true, orientation: 6, width: 10, height: 10)
        // Every truncation, and an IFD offset pointing past the end, must parse without trapping.
        for length in 8..<full.count {
            let block = EXIFBlock(full.prefix(length))
            _ = block?.orientation
            _ = block?.updatedForOutput(width: 5, height: 5)
        }
        var wild = full
        wild[4] = 0x7F
        let block = try #require(EXIFBlock(wild))
        #expect(block.orientation == nil)
        #expect(block.updatedForOutput(width: 1, height: 1) == block)
    }
}
