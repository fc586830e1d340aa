import GigaEngine
import GigaModels

/// Opens an upscaler weights file as the tile model its contents call for: a Gigascale GigaGAN
/// file (with the text encoder), fal's AuraSR `model.safetensors` (with its `config.json`), or an
/// ncnn graph `NAME.param` (with `NAME.bin`).
public enum WeightsFileModel {
    /// Loads the model in `path`, whichever format it is.
    /// - Parameter textEncoderDirectory: the text encoder folder, asked for only by GigaGAN files.
    /// - Throws: `ModelError` naming the file: neither format (what each expects, which tensors
    ///   are missing or unexpected), or a broken file of either format.
    public static func load(path: String, textEncoderDirectory: () -> String) throws -> TileModel {
        if path.hasSuffix(".param") { return try NCNNModel(paramPath: path) }
        return switch try WeightsFormat.detect(path: path) {
        case .gigagan: try GigaGANModel(weightsPath: path, textEncoderDirectory: textEncoderDirectory())
        case .auraSR: try AuraSRModel(weightsPath: path)
        }
    }
}
