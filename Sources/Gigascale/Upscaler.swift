import GigaEngine
import GigaImage

/// Upscales whole images with a tile model: cuts the image into overlapping tiles, runs the model
/// on each with one conditioning per image and position-keyed noise, blends the overlaps with
/// weights that sum to one, and streams finished rows out.
///
/// ```swift
/// let upscaler = try Upscaler(model: model, options: UpscaleOptions(seed: 7))
/// let image = try ImageReader.read(path: "photo.jpg")
/// let writer = try ImageWriter(path: "photo-x8.png", settings: .defaults(for: .png),
///                              header: upscaler.outputHeader(for: image))
/// try await upscaler.upscale(image, prompt: "a red maple leaf", into: writer)
/// ```
///
/// An `Upscaler` runs one image at a time (its model holds one image's conditioning).
public final class Upscaler {
    /// The model doing the work.
    public let model: TileModel
    /// Tiling and compute options.
    public let options: UpscaleOptions
    private let context: ComputeContext

    /// Creates an upscaler. Throws when the options cannot work with the model. A model that runs
    /// only one tile size (`requiredTileSize`) gets it, whatever `options.tileSize` says.
    public init(model: TileModel, options: UpscaleOptions = UpscaleOptions()) throws {
        var options = options
        if let required = model.requiredTileSize { options.tileSize = required }
        let multiple = model.sizeMultiple
        guard options.tileSize >= multiple else {
            throw EngineError("tile size \(options.tileSize) is smaller than the model's minimum of \(multiple) pixels")
        }
        guard options.overlap >= 0, options.overlap * 2 <= options.tileSize else {
            throw EngineError("overlap \(options.overlap) must be between 0 and half the tile size (\(options.tileSize / 2))")
        }
        options.tileSize = options.tileSize / multiple * multiple
        self.model = model
        self.options = options
        self.context = try ComputeContext(precision: options.precision, threads: options.threads)
    }

    /// The header of the output `image` upscales to: the model's scale, the input's colour
    /// layout, alpha and metadata.
    public func outputHeader(for image: Image) -> EncodeHeader {
        EncodeHeader(width: image.width * model.scale, height: image.height * model.scale,
                     colorChannels: image.colorChannelCount, hasAlpha: image.hasAlpha, metadata: image.metadata)
    }

    /// Number of tiles `image` takes.
    public func tileCount(for image: Image) -> Int {
        renderer.tileCount(width: image.width, height: image.height)
    }

    var renderer: TiledRenderer {
        TiledRenderer(model: model, context: context, tileSize: options.tileSize, overlap: options.overlap,
                      noise: PositionalNoise(seed: options.seed))
    }

    /// Upscales `image` into `sink`, band by band. The sink is not finished on failure or
    /// cancellation; the caller cancels it (an `ImageWriter` then leaves no file behind).
    public func upscale(_ image: Image, prompt: String? = nil, into sink: ImageRowSink,
                        progress: ((UpscaleProgress) -> Void)? = nil) async throws {
        try model.prepare(prompt: prompt, seed: options.seed, context: context)
        let total = tileCount(for: image)
        var done = 0
        let scale = model.scale
        let alpha = image.alpha.map { plane in
            Image(width: image.width, height: image.height, planes: [plane])
                .resized(width: image.width * scale, height: image.height * scale, filter: .lanczos3).planes[0]
        }
        var rowsWritten = 0
        try renderer.render(rgb: image.expandedToRGB(), emit: { planes, rows in
            let width = image.width * scale
            let colour = image.isGray ? [Self.mean(planes)] : planes
            let span = (rowsWritten * width)..<((rowsWritten + rows) * width)
            let band = Image(width: width, height: rows, planes: colour.map { $0.map { min(max($0, 0), 1) } },
                             alpha: alpha.map { Array($0[span]) }, metadata: image.metadata)
            try sink.write(band)
            rowsWritten += rows
        }, tileDone: {
            try Task.checkCancellation()
            done += 1
            progress?(UpscaleProgress(tilesDone: done, tilesTotal: total))
        })
        try sink.finish()
    }

    /// Upscales `image` and returns the whole result.
    public func upscale(_ image: Image, prompt: String? = nil,
                        progress: ((UpscaleProgress) -> Void)? = nil) async throws -> Image {
        let collector = ImageCollector(header: outputHeader(for: image))
        try await upscale(image, prompt: prompt, into: collector, progress: progress)
        return collector.image
    }

    private static func mean(_ planes: [[Float]]) -> [Float] {
        (0..<planes[0].count).map { (planes[0][$0] + planes[1][$0] + planes[2][$0]) / 3 }
    }
}
