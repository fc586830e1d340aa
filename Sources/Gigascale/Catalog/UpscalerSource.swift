import GigaImage

/// Hands each image its upscaler for one model and one set of options: a weights file is loaded
/// once, now (so a broken one fails before any image is read), and serves every image at its
/// native scale, with the requested size made by the streamed downscale; a classical resampler
/// is built for each image at the smallest whole factor its requested size needs.
///
/// ```swift
/// let catalog = ModelCatalog()
/// let source = try UpscalerSource(model: try catalog.reference(for: nil), options: UpscaleOptions(outputSize: .fit4K))
/// let upscaler = try source.upscaler(for: image)
/// ```
public final class UpscalerSource {
    /// The model every upscaler runs.
    public let model: ModelReference
    /// The options every upscaler gets (the classical scale aside).
    public let options: UpscaleOptions
    private let shared: Upscaler?
    /// The factor the model enlarges by when no size is asked for: the weights file's own, else
    /// 8 for the classical resamplers.
    public let nativeScale: Int
    /// The tile side the model runs.
    public let tileSize: Int
    /// The precision the model runs in.
    public var precision: ComputePrecision { precisionChoice.precision }
    /// How `precision` was chosen (as asked, measured, or cached).
    public let precisionChoice: PrecisionChoice
    /// The bicubic factor each image is enlarged by before an ncnn model runs on it (1: none);
    /// see `preEnlarged(_:for:)`.
    public let preEnlargement: Int

    /// Loads `model` (a weights file with the text encoder in `textEncoderDirectory`, asked for
    /// only by GigaGAN files) and checks `options` against it.
    /// - Throws: `GigascaleError`: the file is missing, broken or of no known kind (the message
    ///   names it), or the options do not suit the model.
    public init(model: ModelReference, options: UpscaleOptions, textEncoderDirectory: @autoclosure () -> String) throws {
        self.model = model
        self.options = options
        switch model {
        case .weightsFile(let path):
            let loaded = Self.preEnlarged(try GigascaleError.translating(about: path) {
                try WeightsFileModel.load(path: path, textEncoderDirectory: textEncoderDirectory)
            }, for: options.outputSize)
            preEnlargement = (loaded as? PreEnlargedModel)?.factor ?? 1
            let upscaler = try GigascaleError.translating(about: path) { try Upscaler(model: loaded, options: options) }
            try options.outputSize.checkPossible(nativeScale: upscaler.nativeScale)
            shared = upscaler
            nativeScale = upscaler.nativeScale
            tileSize = upscaler.tileSize
            precisionChoice = upscaler.precisionChoice
        case .classical(let classical):
            shared = nil
            preEnlargement = 1
            nativeScale = 8
            try options.outputSize.checkPossible(nativeScale: ClassicalModel.maximumScale)
            // A probe at scale 1 checks the tiling options before any image is read.
            let probe = try Upscaler(model: Self.resampler(classical, scale: 1), options: options)
            tileSize = probe.tileSize
            precisionChoice = probe.precisionChoice
        }
    }

    /// Loads `model` with the catalog's text encoder.
    public convenience init(model: ModelReference, options: UpscaleOptions, catalog: ModelCatalog) throws {
        try self.init(model: model, options: options, textEncoderDirectory: catalog.defaultTextEncoderDirectory)
    }

    /// The upscaler for `image`: the model's, or a Lanczos-3 resampler when the requested size
    /// is no larger than the image (see `resamplesDirectly(_:)`).
    public func upscaler(for image: Image) throws -> Upscaler {
        if let shared, !resamplesDirectly(image) { return shared }
        // The precision decided at load stands for every image (a resampler runs no
        // convolution), so no per-image upscaler looks for convolutions to time.
        var decided = options
        decided.precision = precision
        let resampler = if case .classical(let classical) = model {
            Self.resampler(classical, scale: runningScale(width: image.width, height: image.height))
        } else {
            Self.resampler(.lanczos, scale: 1)
        }
        return try Upscaler(model: resampler, options: decided)
    }

    /// The factor the model runs at for a `width` x `height` image: a classical resampler's
    /// smallest whole factor that reaches the requested size, else the native scale.
    func runningScale(width: Int, height: Int) -> Int {
        guard case .classical = model else { return nativeScale }
        return options.outputSize.wholeFactor(width: width, height: height, native: nativeScale, limit: ClassicalModel.maximumScale)
    }

    /// Whether `image` is resampled with Lanczos-3 instead of going through the model: the size
    /// asked for (`--scale 0.5`, a box smaller than the image) is no larger than the image, so
    /// running the model and throwing its detail away in the downscale would only cost time.
    public func resamplesDirectly(_ image: Image) -> Bool {
        shared != nil && options.outputSize.shrinksOrKeeps(width: image.width, height: image.height, nativeScale: nativeScale)
    }

    /// An ncnn model asked for a whole multiple of its scale (`.scale(8)` with a 4x model) runs
    /// on a bicubic enlargement of each tile by that multiple; any other model, or request, is
    /// left as it is (and a request above the native scale is refused as usual).
    static func preEnlarged(_ model: TileModel, for size: OutputSize) -> TileModel {
        guard model is NCNNModel, case .scale(let factor) = size, factor > Double(model.scale),
              factor == factor.rounded(), Int(factor) % model.scale == 0 else { return model }
        return PreEnlargedModel(base: model, factor: Int(factor) / model.scale)
    }

    private static func resampler(_ model: ClassicalModel, scale: Int) -> ResamplingModel {
        ResamplingModel(filter: model == .bicubic ? .bicubic : .lanczos3, scale: scale)
    }
}
