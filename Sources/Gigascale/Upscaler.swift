import GigaEngine
import GigaImage

/// Upscales whole images with a tile model: cuts the image into overlapping tiles, runs the model
/// on each with one conditioning per image and position-keyed noise, blends the overlaps with
/// weights that sum to one, and streams finished rows out.
///
/// ```swift
/// let upscaler = try Upscaler(model: model, options: UpscaleOptions(seed: 7, outputSize: .fit4K))
/// let image = try ImageReader.read(path: "photo.jpg")
/// let writer = try ImageWriter(path: "photo-4k.png", settings: .defaults(for: .png),
///                              header: try upscaler.outputHeader(for: image))
/// try await upscaler.upscale(image, prompt: "a red maple leaf", into: writer)
/// ```
///
/// The model always runs at its native scale. A smaller output (`options.outputSize`) is the
/// native output downscaled with Lanczos-3 as it streams: each band of native rows goes through a
/// `ResamplingRowSink` on its way to the sink, so the native image is never whole in memory. The
/// result equals `Image.resized(width:height:filter: .lanczos3)` of the native output, bit for
/// bit.
///
/// An `Upscaler` runs one image at a time (its model holds one image's conditioning).
public final class Upscaler {
    /// The model doing the work.
    public let model: TileModel
    /// Tiling and compute options.
    public let options: UpscaleOptions
    /// The model and its copies for concurrent tiles, each with its own compute context.
    private let workers: [TiledRenderer.Worker]

    /// Creates an upscaler. The tile size is decided here, once: `options.tileSize`, or the
    /// model's preferred one when it is nil, rounded down to the model's size multiple. With
    /// `options.tileWorkers` above 1 the model is asked for concurrent instances (a GigaGAN model
    /// loads its files again for each).
    /// - Throws: `GigascaleError` when the options cannot work with the model: a tile size the
    ///   model cannot run, an overlap over half the tile, no workers, or bf16 on a CPU without it.
    ///   With `.auto` precision the choice is made here (`precisionChoice`): taken from the cache,
    ///   or measured in well under a second.
    public init(model: TileModel, options: UpscaleOptions = UpscaleOptions()) throws {
        var options = options
        let multiple = model.sizeMultiple
        let asked = options.tileSize ?? model.preferredTileSize
        if let required = model.requiredTileSize, asked != required {
            throw GigascaleError.options("tile size \(asked): this model runs \(required)-pixel tiles only")
        }
        guard asked >= multiple else {
            throw GigascaleError.options("tile size \(asked) is smaller than the model's minimum of \(multiple) pixels")
        }
        guard options.overlap >= 0, options.overlap * 2 <= asked else {
            throw GigascaleError.options("overlap \(options.overlap) must be between 0 and \(asked / 2), half the \(asked)-pixel tile")
        }
        let tileWorkers = options.tileWorkers ?? UpscaleOptions.automaticTileWorkers(threads: options.threads)
        guard tileWorkers >= 1 else { throw GigascaleError.options("tile workers must be at least 1, not \(tileWorkers)") }
        let tileSize = asked / multiple * multiple
        options.tileSize = tileSize
        var models = [model]
        (self.workers, self.precisionChoice) = try GigascaleError.translating {
            while models.count < tileWorkers, let copy = try model.makeConcurrentInstance() { models.append(copy) }
            let threadsEach = max(1, options.threads / models.count)
            let choice = try PrecisionChooser(cache: PrecisionCache(directory: options.precisionCacheDirectory))
                .choose(options.precision, for: model, tileSize: tileSize, seed: options.seed, threads: threadsEach)
            let workers = try models.map {
                TiledRenderer.Worker(model: $0, context: try ComputeContext(precision: choice.precision.engine, threads: threadsEach))
            }
            return (workers, choice)
        }
        self.model = model
        self.options = options
        self.tileSize = tileSize
    }

    /// The tile side the model runs, in low-resolution pixels.
    public let tileSize: Int
    /// The precision the model runs in (`.auto` resolved for this machine).
    public var precision: ComputePrecision { precisionChoice.precision }
    /// How `precision` was chosen: as asked, or for `.auto` measured or taken from the cache.
    public let precisionChoice: PrecisionChoice
    /// The factor the model enlarges by (before any downscale to `options.outputSize`).
    public var nativeScale: Int { model.scale }

    /// How many tiles actually run at once: `options.tileWorkers` (or the automatic choice), or
    /// 1 for a model that cannot run concurrently.
    public var tileWorkers: Int { workers.count }

    /// The size `image` upscales to under `options.outputSize`. Throws for a request above the
    /// model's native scale.
    public func outputSize(for image: Image) throws -> (width: Int, height: Int) {
        guard image.width > 0, image.height > 0 else {
            throw GigascaleError("cannot upscale an empty \(image.width)x\(image.height) image")
        }
        return try options.outputSize.resolved(width: image.width, height: image.height, nativeScale: model.scale)
    }

    /// The header of the output `image` upscales to: `outputSize(for:)`, the input's colour
    /// layout, alpha and metadata. Known before any tile runs.
    public func outputHeader(for image: Image) throws -> EncodeHeader {
        let size = try outputSize(for: image)
        return EncodeHeader(width: size.width, height: size.height, colorChannels: image.colorChannelCount,
                            hasAlpha: image.hasAlpha, metadata: image.metadata)
    }

    /// Number of tiles `image` takes (tile positions; an alpha plane run through the model runs
    /// each position twice).
    public func tileCount(for image: Image) -> Int {
        renderer.tileCount(width: image.width, height: image.height)
    }

    var renderer: TiledRenderer {
        TiledRenderer(workers: workers, tileSize: tileSize, overlap: options.overlap,
                      noise: PositionalNoise(seed: options.seed))
    }

    /// Upscales `image` into `sink`, band by band. The sink is not finished on failure or
    /// cancellation; the caller cancels it (an `ImageWriter` then leaves no file behind).
    public func upscale(_ image: Image, prompt: String? = nil, into sink: ImageRowSink,
                        progress: ((UpscaleProgress) -> Void)? = nil) async throws {
        let header = try outputHeader(for: image)
        let scale = model.scale
        let nativeWidth = image.width * scale, nativeHeight = image.height * scale
        let target: ImageRowSink = header.width == nativeWidth && header.height == nativeHeight ? sink
            : ResamplingRowSink(inputWidth: nativeWidth, inputHeight: nativeHeight, output: header,
                                filter: .lanczos3, into: sink)
        try GigascaleError.translating {
            for worker in workers { try worker.model.prepare(prompt: prompt, seed: options.seed, context: worker.context) }
        }
        let total = tileCount(for: image)
        var done = 0

        var inputs = [image.expandedToRGB()]
        let alphaThroughModel = options.alphaMode == .model && image.alpha != nil
        if alphaThroughModel, let alpha = image.alpha {
            inputs.append(Image(width: image.width, height: image.height, planes: [alpha, alpha, alpha]))
        }
        let alphaResize = options.alphaMode == .resample ? image.alpha.map {
            StreamedPlaneResize(plane: $0, width: image.width, height: image.height,
                                outputWidth: nativeWidth, outputHeight: nativeHeight, filter: .lanczos3)
        } : nil

        // Encoding runs on its own thread, overlapping the next tile row.
        let background = options.encodesInBackground ? PipelinedRowSink(target) : nil
        let pipeline: ImageRowSink = background ?? target
        do {
            try renderer.render(inputs, emit: { outputs, rows in
                let colour = image.isGray ? [Self.clamped(Self.mean(outputs[0]))] : outputs[0].map(Self.clamped)
                let alpha = alphaThroughModel ? Self.clamped(Self.mean(outputs[1])) : try alphaResize?.next(rows: rows)
                try pipeline.write(Image(width: nativeWidth, height: rows, planes: colour, alpha: alpha, metadata: image.metadata))
            }, tileDone: {
                try Task.checkCancellation()
                done += 1
                progress?(UpscaleProgress(tilesDone: done, tilesTotal: total))
            })
            try pipeline.finish()
        } catch {
            background?.abandon()
            throw GigascaleError.translated(error, about: nil)
        }
    }

    /// Upscales `image` and returns the whole result.
    public func upscale(_ image: Image, prompt: String? = nil,
                        progress: ((UpscaleProgress) -> Void)? = nil) async throws -> Image {
        let collector = ImageCollector(header: try outputHeader(for: image))
        try await upscale(image, prompt: prompt, into: collector, progress: progress)
        return collector.image
    }

    /// The gray value of three planes: their mean.
    private static func mean(_ planes: [[Float]]) -> [Float] {
        (0..<planes[0].count).map { (planes[0][$0] + planes[1][$0] + planes[2][$0]) / 3 }
    }

    private static func clamped(_ plane: [Float]) -> [Float] { plane.map { min(max($0, 0), 1) } }
}
