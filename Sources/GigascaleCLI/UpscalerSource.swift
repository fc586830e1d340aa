import GigaImage
import Gigascale

/// Hands each input its upscaler: one shared upscaler for a weights file (loaded once, at its
/// native scale, with the requested size applied by the streamed downscale), or a classical
/// resampler built for each image at the smallest whole factor its requested size needs.
struct UpscalerSource {
    private let model: ModelOptions
    private let size: SizeOptions
    private let options: UpscaleOptions
    private let shared: Upscaler?
    /// The factor the model enlarges by when no size is asked for: the weights file's own
    /// (read from the loaded model), else 8 for the classical resamplers.
    let nativeScale: Int

    /// Loads a weights file now, so that a broken one fails before any input is read.
    init(model: ModelOptions, size: SizeOptions, options: UpscaleOptions) throws {
        self.model = model
        self.size = size
        var options = options
        options.outputSize = size.outputSize
        self.options = options
        shared = model.isWeightsFile ? try Upscaler(model: try model.makeModel(classicalScale: 1), options: options) : nil
        nativeScale = shared?.model.scale ?? 8
    }

    func upscaler(for image: Image) throws -> Upscaler {
        if let shared { return shared }
        return try Upscaler(model: try model.makeModel(classicalScale: size.classicalScale(for: image)), options: options)
    }
}
