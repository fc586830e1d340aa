import Testing
@testable import Gigascale

@Suite struct TileAxisTests {
    static let cases = [(100, 64, 16, 8, 8), (113, 64, 16, 8, 8), (1000, 64, 16, 8, 2), (30, 64, 16, 8, 4),
                        (64, 64, 16, 8, 8), (65, 64, 0, 8, 3), (517, 40, 20, 8, 2), (256, 128, 8, 1, 4), (1001, 128, 16, 1, 4)]

    @Test(arguments: cases)
    func weightsSumToOneEverywhereAndTilesCoverTheAxis(length: Int, tile: Int, overlap: Int, multiple: Int, scale: Int) {
        for shrink in [false, true] {
            checkCoverage(TileAxis(length: length, tileSize: tile, overlap: overlap, multiple: multiple, scale: scale,
                                   shrinkToFit: shrink), length: length, overlap: overlap, multiple: multiple, scale: scale)
        }
    }

    /// Shrunk tiles: as many as full-size ones, each as short as covering the axis with the
    /// overlap allows (a multiple shorter would not cover it).
    @Test(arguments: cases)
    func shrunkTilesAreTheShortestThatCover(length: Int, tile: Int, overlap: Int, multiple: Int, scale: Int) {
        let full = TileAxis(length: length, tileSize: tile, overlap: overlap, multiple: multiple, scale: scale)
        let shrunk = TileAxis(length: length, tileSize: tile, overlap: overlap, multiple: multiple, scale: scale, shrinkToFit: true)
        #expect(shrunk.origins.count == full.origins.count)
        #expect(shrunk.extent <= full.extent && shrunk.extent % multiple == 0)
        let n = shrunk.origins.count
        if n > 1 && shrunk.extent < full.extent {
            #expect(n * (shrunk.extent - multiple) < shrunk.paddedLength + (n - 1) * overlap)
        }
    }

    @Test func evenlySpreadFullTilesCanOverlapFarMoreThanAskedShrunkOnesDoNot() {
        let full = TileAxis(length: 256, tileSize: 128, overlap: 8, multiple: 1, scale: 4)
        let shrunk = TileAxis(length: 256, tileSize: 128, overlap: 8, multiple: 1, scale: 4, shrinkToFit: true)
        #expect(full.origins == [0, 64, 128])       // 64 px shared by neighbours
        #expect(shrunk.extent == 91 && shrunk.origins == [0, 83, 165])   // 8 px
    }

    private func checkCoverage(_ axis: TileAxis, length: Int, overlap: Int, multiple: Int, scale: Int) {
        #expect(axis.paddedLength % multiple == 0 && axis.paddedLength >= length)
        #expect(axis.origins.first == 0)
        #expect(axis.origins.last! + axis.extent == axis.paddedLength)
        for (a, b) in zip(axis.origins, axis.origins.dropFirst()) {
            #expect(a + axis.extent - b >= overlap - 1, "neighbours overlap by \(a + axis.extent - b)")
        }
        var sum = [Double](repeating: 0, count: axis.paddedLength * scale)
        for k in axis.origins.indices {
            for (t, w) in axis.weights[k].enumerated() { sum[axis.outputRange(k).lowerBound + t] += Double(w) }
        }
        #expect(sum.allSatisfy { abs($0 - 1) < 1e-6 })
    }

    @Test func aLoneTileWeighsExactlyOne() {
        let axis = TileAxis(length: 50, tileSize: 64, overlap: 16, multiple: 8, scale: 8)
        #expect(axis.origins == [0] && axis.extent == 56)
        #expect(axis.weights[0].allSatisfy { $0 == 1 })
    }

    @Test func reflectionNeverRepeatsTheEdgeAndBouncesAsOftenAsNeeded() {
        #expect((0..<10).map { reflect($0, 4) } == [0, 1, 2, 3, 2, 1, 0, 1, 2, 3])
        #expect(reflect(-1, 4) == 1 && reflect(-3, 4) == 3)
        #expect(reflect(5, 1) == 0)
    }
}
