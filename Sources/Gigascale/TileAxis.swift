import Foundation

/// How tiles cover one axis of the (padded) low-resolution image, and how much each tile's
/// output counts at every high-resolution position.
///
/// Tiles are spread evenly so that neighbours overlap by at least the requested amount. Each
/// tile's weight is 1 in its interior and falls off along a raised-cosine ramp across `overlap`
/// pixels at every edge it shares with a neighbour (image borders get no ramp). The weights are
/// then divided by their sum at each position, so they add up to one wherever tiles meet, however
/// many do, and a lone tile has weight exactly 1 everywhere.
struct TileAxis: Equatable {
    /// Length of the image along this axis, before padding.
    let length: Int
    /// Length after padding up to the model's size multiple.
    let paddedLength: Int
    /// Tile extent along this axis (the tile size, or the padded length when that is smaller).
    let extent: Int
    /// Where each tile starts, in padded low-resolution pixels, increasing.
    let origins: [Int]
    /// The upscaling factor.
    let scale: Int
    /// Per tile, its normalized weight at each of its `extent · scale` output positions.
    let weights: [[Float]]

    /// With `fixedTile`, every tile is exactly `tileSize` and a shorter axis is padded up to it.
    /// With `shrinkToFit`, tiles are as short as covering the axis with that many tiles and the
    /// requested overlap allows (a multiple of `multiple`, at most `tileSize`), so that neighbours
    /// overlap by about `overlap` rather than by whatever evenly spread full-size tiles leave.
    init(length: Int, tileSize: Int, overlap: Int, multiple: Int, scale: Int, fixedTile: Bool = false,
         shrinkToFit: Bool = false) {
        precondition(length > 0 && tileSize > 0 && overlap >= 0 && multiple > 0 && scale > 0)
        let rounded = (length + multiple - 1) / multiple * multiple
        let padded = fixedTile ? max(rounded, tileSize) : rounded
        var extent = min(tileSize, padded)
        var origins = [0]
        if padded > extent {
            let step = max(extent - overlap, 1)
            let count = (padded - extent + step - 1) / step + 1
            if shrinkToFit && !fixedTile {
                let covering = (padded + (count - 1) * overlap + count - 1) / count
                extent = min((covering + multiple - 1) / multiple * multiple, extent)
            }
            // Spread evenly between 0 and padded − extent (inclusive), rounding to whole pixels.
            origins = (0..<count).map { k in Int((Double(k * (padded - extent)) / Double(count - 1)).rounded()) }
        }
        self.length = length
        self.scale = scale
        self.paddedLength = padded
        self.extent = extent
        self.origins = origins
        self.weights = Self.normalizedWeights(origins: origins, extent: extent, overlap: overlap, scale: scale,
                                              outputLength: padded * scale)
    }

    /// The output range (high-resolution positions) tile `k` covers.
    func outputRange(_ k: Int) -> Range<Int> { (origins[k] * scale)..<((origins[k] + extent) * scale) }

    /// Output positions below this value receive no contribution from tile `k` or any later tile.
    func firstOutputTouched(byTileFrom k: Int) -> Int { k < origins.count ? origins[k] * scale : paddedLength * scale }

    private static func normalizedWeights(origins: [Int], extent: Int, overlap: Int, scale: Int,
                                          outputLength: Int) -> [[Float]] {
        let span = extent * scale, ramp = overlap * scale
        var raw: [[Double]] = origins.indices.map { k in
            (0..<span).map { t in
                var w = 1.0
                if k > 0 && ramp > 0 && t < ramp { w = min(w, rampValue(t, ramp)) }
                if k < origins.count - 1 && ramp > 0 && t >= span - ramp { w = min(w, rampValue(span - 1 - t, ramp)) }
                return w
            }
        }
        var sum = [Double](repeating: 0, count: outputLength)
        for (k, origin) in origins.enumerated() {
            for t in 0..<span { sum[origin * scale + t] += raw[k][t] }
        }
        for (k, origin) in origins.enumerated() {
            for t in 0..<span { raw[k][t] /= sum[origin * scale + t] }
        }
        return raw.map { $0.map(Float.init) }
    }

    /// sin²(π/2 · (t + ½)/n): rises from near 0 to near 1 over n positions, never reaching 0.
    private static func rampValue(_ t: Int, _ n: Int) -> Double {
        let s = sin(Double.pi / 2 * (Double(t) + 0.5) / Double(n))
        return s * s
    }
}
