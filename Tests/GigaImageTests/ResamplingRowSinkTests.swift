import Foundation
import Testing
@testable import GigaImage

/// Resizing a stream of bands: same bits as resizing the whole image, rows out as soon as ready.
@Suite struct ResamplingRowSinkTests {
    /// Records the bands it receives, and how many input rows had gone in before each.
    final class Recorder: ImageRowSink {
        var bands: [Image] = []
        var inputRowsAtEachBand: [Int] = []
        var inputRows = 0
        var finished = false
        func write(_ band: Image) throws { bands.append(band); inputRowsAtEachBand.append(inputRows) }
        func finish() throws { finished = true }

        var image: Image {
            let width = bands[0].width
            let planes = (0..<bands[0].colorChannelCount).map { c in bands.flatMap { $0.planes[c] } }
            let alpha = bands[0].hasAlpha ? bands.flatMap { $0.alpha! } : nil
            return Image(width: width, height: bands.map(\.height).reduce(0, +), planes: planes, alpha: alpha)
        }
    }

    private static func photo(width: Int, height: Int, gray: Bool = false, alpha: Bool = false) -> Image {
        let count = width * height
        func plane(_ seed: UInt64) -> [Float] { ResamplerTests.noise(count: count, seed: seed) }
        return Image(width: width, height: height, planes: gray ? [plane(1)] : [plane(1), plane(2), plane(3)],
                     alpha: alpha ? plane(4) : nil)
    }

    /// Streams `image` through a resizing sink in bands of `bandHeights` (cycled).
    private static func stream(_ image: Image, to width: Int, _ height: Int, bands bandHeights: [Int],
                               clamp: Bool = true) throws -> Recorder {
        let recorder = Recorder()
        let sink = ResamplingRowSink(inputWidth: image.width, inputHeight: image.height,
                                     output: EncodeHeader(width: width, height: height, colorChannels: image.colorChannelCount,
                                                          hasAlpha: image.hasAlpha),
                                     filter: .lanczos3, clampingToUnitRange: clamp, into: recorder)
        var row = 0, k = 0
        while row < image.height {
            let rows = min(bandHeights[k % bandHeights.count], image.height - row)
            try sink.write(image.rows(row..<(row + rows)))
            row += rows; k += 1
            recorder.inputRows = row
        }
        try sink.finish()
        return recorder
    }

    @Test(arguments: [(97, 61, 40, 25), (97, 61, 12, 61), (97, 61, 97, 20), (64, 48, 64, 48), (30, 20, 75, 50), (200, 9, 3, 2)])
    func isBitIdenticalToResizingTheWholeImage(sizes: (Int, Int, Int, Int)) throws {
        let (width, height, outWidth, outHeight) = sizes
        let image = Self.photo(width: width, height: height, alpha: true)
        let whole = image.resized(width: outWidth, height: outHeight, filter: .lanczos3)
        for bands in [[1], [7], [height], [3, 11, 1, 20]] {
            let streamed = try Self.stream(image, to: outWidth, outHeight, bands: bands)
            #expect(streamed.finished)
            #expect(ResamplerTests.bits(streamed.image) == ResamplerTests.bits(whole), "bands \(bands)")
        }
    }

    @Test func grayAndUnclampedResultsMatchToo() throws {
        let image = Self.photo(width: 50, height: 40, gray: true)
        var bright = image
        bright.planes[0] = bright.planes[0].map { $0 > 0.5 ? 1 : 0 }   // hard edges: Lanczos overshoots
        let whole = bright.resized(width: 21, height: 17, filter: .lanczos3, clampingToUnitRange: false)
        let streamed = try Self.stream(bright, to: 21, 17, bands: [5], clamp: false)
        #expect(streamed.image.planes[0].map(\.bitPattern) == whole.planes[0].map(\.bitPattern))
        #expect(whole.planes[0].contains { $0 < 0 || $0 > 1 })
    }

    @Test func outputRowsLeaveAsSoonAsTheirInputRowsHaveArrived() throws {
        let image = Self.photo(width: 80, height: 400)
        let streamed = try Self.stream(image, to: 40, 200, bands: [16])
        // Many bands, the first long before the last input row, none waiting for the end.
        #expect(streamed.bands.count > 10)
        #expect(streamed.inputRowsAtEachBand.first! <= 32)
        #expect(streamed.inputRowsAtEachBand.dropLast().allSatisfy { $0 < 400 })
        #expect(streamed.bands.map(\.height).reduce(0, +) == 200)
    }

    @Test func refusesMisfitBandsAndAShortImage() throws {
        let recorder = Recorder()
        let sink = ResamplingRowSink(inputWidth: 20, inputHeight: 10,
                                     output: EncodeHeader(width: 10, height: 5, colorChannels: 3, hasAlpha: false),
                                     filter: .lanczos3, into: recorder)
        let image = Self.photo(width: 20, height: 10)
        #expect(throws: ImageError.self) { try sink.write(Self.photo(width: 21, height: 2)) }
        #expect(throws: ImageError.self) { try sink.write(Self.photo(width: 20, height: 2, gray: true)) }
        try sink.write(image.rows(0..<6))
        #expect(throws: ImageError.self) { try sink.write(image) }
        #expect(throws: ImageError.self) { try sink.finish() }
        #expect(!recorder.finished)
    }
}
