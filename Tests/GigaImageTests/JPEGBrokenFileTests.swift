import Foundation
import Testing
@testable import GigaImage

/// Tests/Fixtures/broken/jpeg-*.jpg (made by Tests/Fixtures/jpeg/make-fixtures.sh): each must
/// fail with its specific reason and words, never crash, print or fill in grey.
@Suite struct JPEGBrokenFileTests {
    static let cases: [(file: String, reason: ImageError.Reason, phrase: String)] = [
        ("jpeg-soi-only.jpg", .truncated, "premature end of file after 3 bytes"),
        ("jpeg-truncated-tables.jpg", .truncated, "premature end of file after 120 bytes"),
        ("jpeg-truncated-sos.jpg", .truncated, "truncated JPEG data: premature end of file"),
        ("jpeg-truncated-midscan.jpg", .truncated, "stops in the block row starting at pixel row 16 of 24"),
        ("jpeg-truncated-progressive.jpg", .truncated, "stops in scan 5 of the progressive image"),
        ("jpeg-bitflip-sof.jpg", .corrupt, "Bogus sampling factors"),
        ("jpeg-huge-sof.jpg", .tooLarge, "65000x65000"),
        ("jpeg-zero-length-dqt.jpg", .corrupt, "Bogus marker length"),
        ("jpeg-garbage-after-soi.jpg", .corrupt, "Unsupported marker type 0x0b"),
        ("jpeg-garbage-between-segments.jpg", .corrupt, "64 extraneous bytes before marker 0xdb"),
        ("jpeg-marker-in-scan.jpg", .corrupt, "premature end of data segment"),
        // djpeg decodes it (same picture as gray.jpg); djpeg -maxscans 500 refuses it like we do.
        ("jpeg-too-many-scans.jpg", .tooLarge, "the file has more than 500 scans"),
    ]

    @Test(arguments: cases)
    func brokenFileFailsWithItsReason(file: String, reason: ImageError.Reason, phrase: String) throws {
        let path = Fixtures.path("broken/\(file)")
        do {
            let image = try ImageReader.read(path: path)
            Issue.record("\(file) decoded as \(image.width)x\(image.height)")
        } catch let error as ImageError {
            #expect(error.reason == reason, "\(file): \(error)")
            #expect(error.detail.contains(phrase), "\(file): \(error)")
            #expect(error.source == path)
        }
    }
}
