import GigaEngine
import GigaImage

/// Runs a `TileModel` over an image tile by tile, in raster order, and hands every band of
/// output rows to `emit` as soon as no later tile can change it. Memory holds one band of tile
/// rows of the output, whatever the image's height.
///
/// The low-resolution image is padded on the right and bottom by reflection up to the model's
/// size multiple; the output is cropped back to `width · scale` x `height · scale`.
struct TiledRenderer {
    let model: TileModel
    let context: ComputeContext
    let tileSize: Int
    let overlap: Int
    let noise: PositionalNoise

    /// Number of tiles `image` needs.
    func tileCount(width: Int, height: Int) -> Int {
        let (x, y) = axes(width: width, height: height)
        return x.origins.count * y.origins.count
    }

    /// How tiles cover the columns and the rows of a `width` x `height` image.
    func axes(width: Int, height: Int) -> (TileAxis, TileAxis) {
        let fixed = model.requiredTileSize != nil
        return (TileAxis(length: width, tileSize: tileSize, overlap: overlap, multiple: model.sizeMultiple, scale: model.scale, fixedTile: fixed),
                TileAxis(length: height, tileSize: tileSize, overlap: overlap, multiple: model.sizeMultiple, scale: model.scale, fixedTile: fixed))
    }

    /// Upscales the colour planes of `rgb` (three planes), calling `emit` with consecutive bands
    /// of output rows (three planes each, `width · scale` wide) and `tileDone` after every tile.
    func render(rgb: Image, emit: (_ planes: [[Float]], _ rows: Int) throws -> Void,
                tileDone: () throws -> Void) throws {
        precondition(rgb.colorChannelCount == 3)
        let (xAxis, yAxis) = axes(width: rgb.width, height: rgb.height)
        let scale = model.scale
        let outWidth = rgb.width * scale, outHeight = rgb.height * scale
        let paddedOutWidth = xAxis.paddedLength * scale
        // Accumulated rows [bandStart, bandStart + rows) of the padded output, full padded width.
        var bandStart = 0
        var accumulator = [[Float]](repeating: [], count: 3)
        var emittedRows = 0

        for (j, yOrigin) in yAxis.origins.enumerated() {
            let yRange = yAxis.outputRange(j)
            let neededRows = yRange.upperBound - bandStart
            for c in 0..<3 where accumulator[c].count < neededRows * paddedOutWidth {
                accumulator[c].append(contentsOf: [Float](repeating: 0, count: neededRows * paddedOutWidth - accumulator[c].count))
            }
            for (i, xOrigin) in xAxis.origins.enumerated() {
                let tile = crop(rgb, x: xOrigin, y: yOrigin, width: xAxis.extent, height: yAxis.extent)
                let tileNoise = noiseTile(x: xOrigin, y: yOrigin, width: xAxis.extent, height: yAxis.extent)
                let output = try model.upscaleTile(tile, noise: tileNoise, context: context)
                guard output.shape == [1, 3, yAxis.extent * scale, xAxis.extent * scale] else {
                    throw EngineError("the model returned \(output.shape) for a \(xAxis.extent)x\(yAxis.extent) tile at scale \(scale)")
                }
                accumulate(output, into: &accumulator, rowOffset: yRange.lowerBound - bandStart,
                           columnOffset: xAxis.outputRange(i).lowerBound, width: paddedOutWidth,
                           rowWeights: yAxis.weights[j], columnWeights: xAxis.weights[i])
                try tileDone()
            }
            // Rows above the next tile row's reach are final.
            let finalEnd = min(yAxis.firstOutputTouched(byTileFrom: j + 1), outHeight)
            let rows = finalEnd - emittedRows
            if rows > 0 {
                let first = emittedRows - bandStart
                let band = accumulator.map { plane in
                    var out = [Float](); out.reserveCapacity(rows * outWidth)
                    for r in first..<(first + rows) {
                        out.append(contentsOf: plane[(r * paddedOutWidth)..<(r * paddedOutWidth + outWidth)])
                    }
                    return out
                }
                try emit(band, rows)
                emittedRows = finalEnd
            }
            // Drop the rows no tile will touch again.
            let keepFrom = min(yAxis.firstOutputTouched(byTileFrom: j + 1), yRange.upperBound) - bandStart
            if keepFrom > 0 {
                for c in 0..<3 { accumulator[c].removeFirst(min(keepFrom * paddedOutWidth, accumulator[c].count)) }
                bandStart += keepFrom
            }
        }
    }

    /// The tile at (x, y) of the reflect-padded image, as [1, 3, height, width].
    private func crop(_ image: Image, x: Int, y: Int, width: Int, height: Int) -> Tensor {
        var nchw = [Float](repeating: 0, count: 3 * width * height)
        for c in 0..<3 {
            image.planes[c].withUnsafeBufferPointer { plane in
                for row in 0..<height {
                    let sy = reflect(y + row, image.height)
                    for col in 0..<width {
                        nchw[(c * height + row) * width + col] = plane[sy * image.width + reflect(x + col, image.width)]
                    }
                }
            }
        }
        return Tensor(nchw: nchw, shape: [1, 3, height, width])
    }

    private func noiseTile(x: Int, y: Int, width: Int, height: Int) -> Tensor {
        var nchw = [Float](repeating: 0, count: 3 * width * height)
        for c in 0..<3 {
            for row in 0..<height {
                for col in 0..<width {
                    nchw[(c * height + row) * width + col] = noise.value(channel: c, y: y + row, x: x + col)
                }
            }
        }
        return Tensor(nchw: nchw, shape: [1, 3, height, width])
    }

    private func accumulate(_ output: Tensor, into accumulator: inout [[Float]], rowOffset: Int, columnOffset: Int,
                            width: Int, rowWeights: [Float], columnWeights: [Float]) {
        let tileHeight = output.height, tileWidth = output.width
        output.storage.withUnsafeBufferPointer { nhwc in
            for c in 0..<3 {
                accumulator[c].withUnsafeMutableBufferPointer { acc in
                    for r in 0..<tileHeight {
                        let wy = rowWeights[r]
                        let base = (rowOffset + r) * width + columnOffset
                        for u in 0..<tileWidth {
                            acc[base + u] += wy * columnWeights[u] * nhwc[(r * tileWidth + u) * 3 + c]
                        }
                    }
                }
            }
        }
    }
}

/// Index `i` reflected into 0..<n without repeating the edge (numpy's "reflect"), bouncing as
/// often as needed so any index maps into range.
@inline(__always)
func reflect(_ i: Int, _ n: Int) -> Int {
    guard n > 1 else { return 0 }
    let period = 2 * (n - 1)
    var m = i % period
    if m < 0 { m += period }
    return m < n ? m : period - m
}
