import Testing
@testable import Gigascale

@Suite struct TileAxisTests {
    @Test(arguments: [(100, 64, 16, 8, 8), (113, 64, 16, 8, 8), (1000, 64, 16, 8, 2), (30, 64, 16, 8, 4),
                      (64, 64, 16, 8, 8), (65, 64, 0, 8, 3), (517, 40, 20, 8, 2)])
    func weightsSumToOneEverywhereAndTilesCoverTheAxis(length: Int, tile: Int, overlap: Int, multiple: Int, scale: Int) {
        let axis = TileAxis(length: length, tileSize: tile, overlap: overlap, multiple: multiple, scale: scale)
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
