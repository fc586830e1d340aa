import GigaImage
import Gigascale

/// The tile plan an `Upscaler` uses for one image, spelled out for the PyTorch side: where tiles
/// start (padded low-resolution pixels), their extent, the overlap the blend ramps across.
///
/// The library keeps its plan internal, so this recomputes it by the documented rule (tiles
/// spread evenly over the image padded up to the model's size multiple, and up to the tile for a
/// fixed-tile model) and `verified(against:image:)` checks the result against the library's
/// public `tileCount(for:)` and `tileBorders(for:)`: should the rule change, the benchmark stops
/// with that message instead of timing a different plan.
struct TilePlan: Equatable {
    struct Axis: Equatable {
        /// Image length, before padding.
        var length: Int
        /// Length after padding (reflection on the right / bottom).
        var paddedLength: Int
        var extent: Int
        var origins: [Int]
    }

    var columns: Axis
    var rows: Axis
    var tileSize: Int
    var overlap: Int
    var scale: Int

    var tileCount: Int { columns.origins.count * rows.origins.count }

    init(width: Int, height: Int, tileSize: Int, overlap: Int, multiple: Int, scale: Int, fixedTile: Bool) {
        columns = Self.axis(length: width, tileSize: tileSize, overlap: overlap, multiple: multiple, fixedTile: fixedTile)
        rows = Self.axis(length: height, tileSize: tileSize, overlap: overlap, multiple: multiple, fixedTile: fixedTile)
        self.tileSize = tileSize
        self.overlap = overlap
        self.scale = scale
    }

    static func axis(length: Int, tileSize: Int, overlap: Int, multiple: Int, fixedTile: Bool) -> Axis {
        let rounded = (length + multiple - 1) / multiple * multiple
        let padded = fixedTile ? max(rounded, tileSize) : rounded
        let extent = min(tileSize, padded)
        var origins = [0]
        if padded > extent {
            let step = max(extent - overlap, 1)
            let count = (padded - extent + step - 1) / step + 1
            origins = (0..<count).map { k in Int((Double(k * (padded - extent)) / Double(count - 1)).rounded()) }
        }
        return Axis(length: length, paddedLength: padded, extent: extent, origins: origins)
    }

    /// The plan of `upscaler` for `image`, checked against what the upscaler itself reports.
    static func verified(for upscaler: Upscaler, image: Image) throws -> TilePlan {
        let plan = TilePlan(width: image.width, height: image.height, tileSize: upscaler.options.tileSize,
                            overlap: upscaler.options.overlap, multiple: upscaler.model.sizeMultiple,
                            scale: upscaler.model.scale, fixedTile: upscaler.model.requiredTileSize != nil)
        let borders = upscaler.tileBorders(for: image)
        guard plan.tileCount == upscaler.tileCount(for: image),
              plan.borders(plan.columns) == borders.columns, plan.borders(plan.rows) == borders.rows else {
            throw BenchError("the upscaler's tile plan for \(image.width)x\(image.height) is not the one this benchmark recomputes (\(plan.tileCount) tiles vs \(upscaler.tileCount(for: image))); update TilePlan.swift to the library's rule")
        }
        return plan
    }

    /// Output positions where tiles start and end inside the output: `Upscaler.tileBorders`' form.
    func borders(_ axis: Axis) -> [Int] {
        axis.origins.flatMap { [$0 * scale, ($0 + axis.extent) * scale] }.filter { $0 > 0 && $0 < axis.length * scale }
    }

    /// The plan as the PyTorch server reads it.
    var json: [String: Any] {
        func axis(_ a: Axis) -> [String: Any] {
            ["length": a.length, "padded": a.paddedLength, "extent": a.extent, "origins": a.origins]
        }
        return ["columns": axis(columns), "rows": axis(rows), "tile": tileSize, "overlap": overlap, "scale": scale]
    }
}
