import GigaImage
import Gigascale

/// The tile plan an `Upscaler` uses for one image (`Upscaler.tileLayout(for:)`), with what the
/// PyTorch side also needs to run the same tiles: tile size, overlap (the blend ramps) and scale.
struct TilePlan: Equatable {
    typealias Axis = TileAxisLayout

    var columns: Axis
    var rows: Axis
    var tileSize: Int
    var overlap: Int
    var scale: Int

    var tileCount: Int { columns.origins.count * rows.origins.count }

    /// The plan of `upscaler` for `image`.
    init(upscaler: Upscaler, image: Image) {
        (columns, rows) = upscaler.tileLayout(for: image)
        tileSize = upscaler.tileSize
        overlap = upscaler.options.overlap
        scale = upscaler.nativeScale
    }

    /// The plan as the PyTorch server reads it.
    var json: [String: Any] {
        func axis(_ a: Axis) -> [String: Any] {
            ["length": a.length, "padded": a.paddedLength, "extent": a.extent, "origins": a.origins]
        }
        return ["columns": axis(columns), "rows": axis(rows), "tile": tileSize, "overlap": overlap, "scale": scale]
    }
}
