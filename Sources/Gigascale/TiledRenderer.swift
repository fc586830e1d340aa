import Dispatch
import GigaEngine
import GigaImage

/// Runs a `TileModel` over an image tile by tile, in raster order, and hands every band of
/// output rows to `emit` as soon as no later tile can change it. Memory holds one band of tile
/// rows of the output, whatever the image's height.
///
/// The low-resolution image is padded on the right and bottom by reflection up to the model's
/// size multiple (up to a whole tile for a model that runs whole tiles only); the output is
/// cropped back to `width · scale` x `height · scale`. Only the cropped output is accumulated:
/// what a tile computes past it is dropped at once, so a thin image padded to whole tiles
/// (8191 x 1 in 64-pixel tiles, 65528 x 8 out) holds its own 8 rows, not the tiles' 512.
///
/// With more than one worker, consecutive tiles of a tile row run at the same time, one per
/// worker, and are then blended in raster order: every output sample is the same sum, added in
/// the same order, whatever the number of workers.
struct TiledRenderer {
    /// A model instance with the context it runs on. Workers run on separate threads at once.
    struct Worker {
        let model: TileModel
        let context: ComputeContext
    }

    let workers: [Worker]
    let tileSize: Int
    let overlap: Int
    let noise: PositionalNoise

    var model: TileModel { workers[0].model }

    /// Number of tiles `image` needs.
    func tileCount(width: Int, height: Int) -> Int {
        let (x, y) = axes(width: width, height: height)
        return x.origins.count * y.origins.count
    }

    /// How tiles cover the columns and the rows of a `width` x `height` image.
    func axes(width: Int, height: Int) -> (TileAxis, TileAxis) {
        func axis(_ length: Int) -> TileAxis {
            TileAxis(length: length, tileSize: tileSize, overlap: overlap, multiple: model.sizeMultiple, scale: model.scale,
                     fixedTile: model.padsToWholeTiles, shrinkToFit: model.shrinksTilesToFit)
        }
        return (axis(width), axis(height))
    }

    /// Upscales the colour planes of each of `inputs` (three planes each, all the same size; each
    /// tile position sees the same noise in all of them), calling `emit` with consecutive bands
    /// of output rows (per input, three planes `width · scale` wide) and `tileDone` after every
    /// tile position.
    func render(_ inputs: [Image], emit: (_ planes: [[[Float]]], _ rows: Int) throws -> Void,
                tileDone: () throws -> Void) throws {
        precondition(!inputs.isEmpty && inputs.allSatisfy { $0.colorChannelCount == 3 && $0.width == inputs[0].width && $0.height == inputs[0].height })
        let (width, height) = (inputs[0].width, inputs[0].height)
        let (xAxis, yAxis) = axes(width: width, height: height)
        let scale = model.scale
        let outWidth = width * scale, outHeight = height * scale
        let planeCount = 3 * inputs.count
        // Accumulated rows [bandStart, bandStart + rows) of the output, `outWidth` wide; rows and
        // columns of the padding are never stored.
        var bandStart = 0
        var accumulator = [[Float]](repeating: [], count: planeCount)
        var emittedRows = 0
        let jobsPerTile = inputs.count

        // Every (tile row, tile, input) job in raster order, run a worker-count at a time. A group
        // may straddle two tile rows, so no worker idles at the end of a row; outputs are still
        // blended in raster order, and a tile row's output is emitted once all its jobs are in.
        let jobsPerRow = xAxis.origins.count * jobsPerTile
        let jobs = yAxis.origins.indices.flatMap { j in
            xAxis.origins.indices.flatMap { i in (0..<jobsPerTile).map { (row: j, column: i, input: $0) } }
        }
        var next = 0, finishedTileRows = 0
        while next < jobs.count {
            let group = Array(jobs[next..<min(next + workers.count, jobs.count)])
            let outputs = try run(group.map { job in
                (crop(inputs[job.input], x: xAxis.origins[job.column], y: yAxis.origins[job.row], width: xAxis.extent, height: yAxis.extent),
                 noiseTile(x: xAxis.origins[job.column], y: yAxis.origins[job.row], width: xAxis.extent, height: yAxis.extent))
            })
            for (job, output) in zip(group, outputs) {
                guard output.shape == [1, 3, yAxis.extent * scale, xAxis.extent * scale] else {
                    throw GigascaleError("the model returned \(output.shape) for a \(xAxis.extent)x\(yAxis.extent) tile at scale \(scale)")
                }
                let yRange = yAxis.outputRange(job.row)
                let neededRows = min(yRange.upperBound, outHeight) - bandStart
                for c in 0..<planeCount where accumulator[c].count < neededRows * outWidth {
                    accumulator[c].append(contentsOf: repeatElement(0, count: neededRows * outWidth - accumulator[c].count))
                }
                accumulate(output, into: &accumulator, firstPlane: 3 * job.input, rowOffset: yRange.lowerBound - bandStart,
                           columnOffset: xAxis.outputRange(job.column).lowerBound, width: outWidth,
                           rowWeights: yAxis.weights[job.row], columnWeights: xAxis.weights[job.column])
                if job.input == jobsPerTile - 1 { try tileDone() }
            }
            next += group.count
            while finishedTileRows < yAxis.origins.count && next >= (finishedTileRows + 1) * jobsPerRow {
                let j = finishedTileRows
                // Rows above the next tile row's reach are final.
                let finalEnd = min(yAxis.firstOutputTouched(byTileFrom: j + 1), outHeight)
                let rows = finalEnd - emittedRows
                if rows > 0 {
                    let first = (emittedRows - bandStart) * outWidth
                    let band = accumulator.map { Array($0[first..<(first + rows * outWidth)]) }
                    try emit((0..<inputs.count).map { Array(band[(3 * $0)..<(3 * $0 + 3)]) }, rows)
                    emittedRows = finalEnd
                }
                // Drop the rows no tile will touch again.
                let keepFrom = min(yAxis.firstOutputTouched(byTileFrom: j + 1), yAxis.outputRange(j).upperBound) - bandStart
                if keepFrom > 0 {
                    for c in 0..<planeCount { accumulator[c].removeFirst(min(keepFrom * outWidth, accumulator[c].count)) }
                    bandStart += keepFrom
                }
                finishedTileRows += 1
            }
        }
    }

    /// Runs `tiles` (at most one per worker), each on its own worker, at the same time when
    /// there are several; returns the outputs in the same order.
    private func run(_ tiles: [(tile: Tensor, noise: Tensor)]) throws -> [Tensor] {
        if tiles.count == 1 {
            return [try workers[0].model.upscaleTile(tiles[0].tile, noise: tiles[0].noise, context: workers[0].context)]
        }
        let results = ConcurrentResults(count: tiles.count)
        let work = UncheckedBox((workers, tiles))
        DispatchQueue.concurrentPerform(iterations: tiles.count) { k in
            let worker = work.value.0[k], (tile, noise) = work.value.1[k]
            results.store(k, Result { try worker.model.upscaleTile(tile, noise: noise, context: worker.context) })
        }
        return try results.collect()
    }

    /// The tile at (`x`, `y`) of `image`'s three planes, reflected past the image's edges, written
    /// straight into the engine's NHWC storage.
    private func crop(_ image: Image, x: Int, y: Int, width: Int, height: Int) -> Tensor {
        let columns = (0..<width).map { reflect(x + $0, image.width) }
        var nhwc = [Float](repeating: 0, count: 3 * width * height)
        for c in 0..<3 {
            image.planes[c].withUnsafeBufferPointer { plane in
                for row in 0..<height {
                    let source = reflect(y + row, image.height) * image.width, target = row * width * 3 + c
                    for col in 0..<width { nhwc[target + col * 3] = plane[source + columns[col]] }
                }
            }
        }
        return Tensor(shape: [1, 3, height, width], storage: nhwc)
    }

    /// The positional noise of the tile at (`x`, `y`), in NHWC storage.
    private func noiseTile(x: Int, y: Int, width: Int, height: Int) -> Tensor {
        var nhwc = [Float](repeating: 0, count: 3 * width * height)
        for row in 0..<height {
            for col in 0..<width {
                for c in 0..<3 { nhwc[(row * width + col) * 3 + c] = noise.value(channel: c, y: y + row, x: x + col) }
            }
        }
        return Tensor(shape: [1, 3, height, width], storage: nhwc)
    }

    /// Adds `output`, weighted, into the accumulator rows from `rowOffset` and columns from
    /// `columnOffset`; rows and columns past the accumulator (the padding) are skipped.
    private func accumulate(_ output: Tensor, into accumulator: inout [[Float]], firstPlane: Int, rowOffset: Int,
                            columnOffset: Int, width: Int, rowWeights: [Float], columnWeights: [Float]) {
        let tileWidth = output.width
        let rows = max(0, min(output.height, accumulator[firstPlane].count / width - rowOffset))
        let columns = max(0, min(tileWidth, width - columnOffset))
        output.storage.withUnsafeBufferPointer { nhwc in
            for c in 0..<3 {
                accumulator[firstPlane + c].withUnsafeMutableBufferPointer { acc in
                    for r in 0..<rows {
                        let wy = rowWeights[r]
                        let base = (rowOffset + r) * width + columnOffset
                        for u in 0..<columns {
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

/// Where concurrently running tiles leave their outputs: one slot per tile, each written by one
/// thread, read after all have finished (raw memory, so that no access is exclusive).
private final class ConcurrentResults: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<Tensor, any Error>?>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }
    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
    func store(_ index: Int, _ result: Result<Tensor, any Error>) { slots[index] = result }
    /// The outputs in order; the first failure, in order, is thrown.
    func collect() throws -> [Tensor] { try slots.map { try $0!.get() } }
}

/// Hands values that are only read, or only used by one thread at a time, to concurrent work.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
