import Foundation
import Testing
@testable import GigaImage

/// orient-N.jpg stores the same 24x16 picture of flat colour blocks so that EXIF orientation N
/// shows it upright; ImageReader must turn every one of them into orient-upright.ppm.
@Suite struct JPEGOrientationTests {
    typealias S = JPEGTestSupport

    @Test(arguments: 1...8)
    func readerShowsEveryOrientationUpright(orientation: Int) throws {
        let upright = try S.readPNM("orient-upright.ppm")
        let image = try ImageReader.read(path: S.path("orient-\(orientation).jpg"))
        #expect(image.width == 24 && image.height == 16)
        #expect(image.metadata.sourceOrientation == orientation)
        let diffs = zip(S.bytes8(image), upright.samples).map { abs(Int($0) - Int($1)) }
        #expect(diffs.count == upright.samples.count)
        #expect(diffs.max() ?? 99 <= 2, "orientation \(orientation)")
    }

    @Test(arguments: 1...8)
    func decoderLeavesThePixelsAsStored(orientation: Int) throws {
        let stored = try ImageReader.read(path: S.path("orient-\(orientation).jpg"), applyOrientation: false)
        let swaps = orientation >= 5
        #expect(stored.width == (swaps ? 16 : 24) && stored.height == (swaps ? 24 : 16))
        let direct = try JPEGDecoder.decode(S.data("orient-\(orientation).jpg"), limits: .standard)
        #expect(direct.planes == stored.planes)
        #expect(EXIFBlock(try #require(direct.metadata.exif))?.orientation == orientation)
    }
}
