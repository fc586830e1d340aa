import Foundation
import GigaImage

/// Measurements of how well tiles join, for tests and benchmarks.
public enum TilingDiagnostics {
    /// PSNR in dB between two images of the same size over their colour planes (∞ when identical).
    public static func psnr(_ a: Image, _ b: Image) -> Double {
        precondition(a.width == b.width && a.height == b.height && a.colorChannelCount == b.colorChannelCount)
        var squared = 0.0, count = 0
        for c in a.planes.indices {
            for (x, y) in zip(a.planes[c], b.planes[c]) { squared += Double(x - y) * Double(x - y); count += 1 }
        }
        return squared == 0 ? .infinity : 10 * log10(1 / (squared / Double(count)))
    }

    /// The mean absolute step between neighbouring pixels across the given column and row
    /// borders, divided by the mean absolute step everywhere. 1.0 means the borders are as smooth
    /// as the rest of the image; a visible seam makes it larger.
    public static func seamScore(_ image: Image, columns: [Int], rows: [Int]) -> Double {
        var borderSum = 0.0, borderCount = 0, allSum = 0.0, allCount = 0
        let w = image.width, h = image.height
        let borderColumns = Set(columns.filter { $0 > 0 && $0 < w }), borderRows = Set(rows.filter { $0 > 0 && $0 < h })
        for plane in image.planes {
            for y in 0..<h {
                for x in 1..<w {
                    let step = Double(abs(plane[y * w + x] - plane[y * w + x - 1]))
                    allSum += step; allCount += 1
                    if borderColumns.contains(x) { borderSum += step; borderCount += 1 }
                }
            }
            for y in 1..<h {
                for x in 0..<w {
                    let step = Double(abs(plane[y * w + x] - plane[(y - 1) * w + x]))
                    allSum += step; allCount += 1
                    if borderRows.contains(y) { borderSum += step; borderCount += 1 }
                }
            }
        }
        guard borderCount > 0, allSum > 0 else { return 1 }
        return (borderSum / Double(borderCount)) / (allSum / Double(allCount))
    }
}

extension Upscaler {
    /// Where tiles start and end in the output of `image`, as output column and row indices:
    /// the lines along which a seam would show.
    public func tileBorders(for image: Image) -> (columns: [Int], rows: [Int]) {
        func borders(_ axis: TileAxis) -> [Int] {
            axis.origins.indices.flatMap { [axis.outputRange($0).lowerBound, axis.outputRange($0).upperBound] }
                .filter { $0 > 0 && $0 < axis.length * axis.scale }
        }
        let (columns, rows) = renderer.axes(width: image.width, height: image.height)
        return (borders(columns), borders(rows))
    }
}

/// Where an `Upscaler` puts its tiles on one axis of an image (low-resolution pixels).
public struct TileAxisLayout: Sendable, Equatable {
    /// The image's length along the axis, before padding.
    public let length: Int
    /// The length after padding (by reflection on the right or bottom) to the model's needs.
    public let paddedLength: Int
    /// Each tile's extent along the axis.
    public let extent: Int
    /// Where each tile starts, increasing.
    public let origins: [Int]
}

extension Upscaler {
    /// The tile plan for `image`: the columns and the rows tiles start at, and their extent —
    /// what another implementation needs to run the very same tiles.
    public func tileLayout(for image: Image) -> (columns: TileAxisLayout, rows: TileAxisLayout) {
        func layout(_ axis: TileAxis) -> TileAxisLayout {
            TileAxisLayout(length: axis.length, paddedLength: axis.paddedLength, extent: axis.extent, origins: axis.origins)
        }
        let (columns, rows) = renderer.axes(width: image.width, height: image.height)
        return (layout(columns), layout(rows))
    }
}
