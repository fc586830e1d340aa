import GigaEngine
import GigaModels

/// fal's AuraSR (v1/v2, 4x, unconditional) as a tile model. One style latent z, drawn from the
/// seed, serves every tile of an image (fal's own tiler draws a new one per batch of tiles);
/// each tile gets fal's 0.001-scaled input noise from the position-keyed noise, so overlapping
/// tiles agree. The prompt is ignored: AuraSR has no text input.
public final class AuraSRModel: TileModel {
    /// The network (its weights file and config).
    public let network: AuraSR
    /// 4 for fal's config.
    public var scale: Int { network.config.scale }
    /// 2^(encoder stages): 8 for fal's config.
    public var sizeMultiple: Int { network.config.sizeMultiple }
    /// The network runs only its `input_image_size` (64 px) tiles.
    public var requiredTileSize: Int? { network.config.inputImageSize }
    private var conditioning: AuraSRConditioning?

    /// Loads fal's `model.safetensors` with the `config.json` beside it.
    public init(weightsPath: String) throws {
        network = try AuraSR(weightsPath: weightsPath)
    }

    public func prepare(prompt: String?, seed: UInt64, context: ComputeContext) throws {
        conditioning = try network.condition(z: GigaGANModel.latent(seed: seed, count: network.config.styleNetwork.dimIn))
    }

    public func upscaleTile(_ tile: Tensor, noise: Tensor, context: ComputeContext) throws -> Tensor {
        guard let conditioning else { throw ModelError("upscaleTile called before prepare(prompt:seed:context:)") }
        return try network.forwardTile(tile, conditioning: conditioning, noise: noise, context: context)
    }
}
