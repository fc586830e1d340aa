import Testing
@testable import GigaImage

@Suite struct OrientationTests {
    /// A 3x2 image whose samples are their own stored index: 0 1 2 / 3 4 5.
    private let stored = Image(width: 3, height: 2, planes: [(0..<6).map(Float.init)])

    private func layout(_ image: Image) -> [[Float]] {
        (0..<image.height).map { y in (0..<image.width).map { x in image.sample(plane: 0, x: x, y: y) } }
    }

    @Test func eachOrientationShowsTheStoredPixelsAsAViewerWould() {
        // What a viewer displays for each EXIF orientation of the stored grid 0 1 2 / 3 4 5.
        let expected: [Int: [[Float]]] = [
            1: [[0, 1, 2], [3, 4, 5]],
            2: [[2, 1, 0], [5, 4, 3]],          // mirrored left-right
            3: [[5, 4, 3], [2, 1, 0]],          // rotated 180°
            4: [[3, 4, 5], [0, 1, 2]],          // flipped top-bottom
            5: [[0, 3], [1, 4], [2, 5]],        // transposed
            6: [[3, 0], [4, 1], [5, 2]],        // rotated 90° clockwise
            7: [[5, 2], [4, 1], [3, 0]],        // transversed
            8: [[2, 5], [1, 4], [0, 3]],        // rotated 90° counter-clockwise
        ]
        for (orientation, grid) in expected {
            #expect(layout(stored.applyingOrientation(orientation)) == grid, "orientation \(orientation)")
        }
    }

    @Test func alphaFollowsTheColourPlanes() {
        var image = stored.expandedToRGB()
        image.alpha = (0..<6).map { Float($0) / 10 }
        let turned = image.applyingOrientation(6)
        #expect(turned.width == 2 && turned.height == 3)
        for i in 0..<6 { #expect(turned.alpha![i] * 10 == turned.planes[1][i]) }
    }

    @Test func outOfRangeOrientationsChangeNothing() {
        #expect(stored.applyingOrientation(0) == stored)
        #expect(stored.applyingOrientation(9) == stored)
    }
}
