import GigaEngine
import GigaModels

/// The text-conditioned GigaGAN-8x generator as a tile model: the prompt goes through the frozen
/// text encoder and, with a latent drawn from the seed, conditions the generator once per image;
/// every tile then reuses that conditioning.
public final class GigaGANModel: TileModel {
    /// The generator (its weights file and config).
    public let generator: Generator
    /// The frozen text encoder and its tokenizer.
    public let textEncoder: TextEncoder
    public var scale: Int { generator.config.scale }
    /// Three stride-2 stages: tile sides must be multiples of 8.
    public let sizeMultiple = 8
    /// The generator is built for one tile size (its config's `tile`, 64 px).
    public var requiredTileSize: Int? { generator.config.tile }
    private var conditioning: Conditioning?
    private let weightsPath: String
    private let textEncoderDirectory: String

    /// Loads a generator weights file (safetensors with the config in its metadata) and the text
    /// encoder folder (`model.safetensors` + `vocab.txt`).
    public init(weightsPath: String, textEncoderDirectory: String) throws {
        generator = try Generator(path: weightsPath)
        textEncoder = try TextEncoder(directory: textEncoderDirectory, maxLength: generator.config.maxTokens)
        self.weightsPath = weightsPath
        self.textEncoderDirectory = textEncoderDirectory
    }

    /// The same files loaded again: the generator caches oneDNN primitives (each with its own
    /// scratchpad) and per-image kernels, so two threads cannot share one instance.
    public func makeConcurrentInstance() throws -> TileModel? {
        try GigaGANModel(weightsPath: weightsPath, textEncoderDirectory: textEncoderDirectory)
    }

    public func prepare(prompt: String?, seed: UInt64, context: ComputeContext) throws {
        let encoding = try textEncoder.encode(prompt, in: context)
        conditioning = try generator.condition(z: Self.latent(seed: seed, count: generator.config.zDim),
                                               textTokens: encoding.tokenFeatures, textMask: encoding.mask)
    }

    public func upscaleTile(_ tile: Tensor, noise: Tensor, context: ComputeContext) throws -> Tensor {
        guard let conditioning else { throw ModelError("upscaleTile called before prepare(prompt:seed:context:)") }
        return try generator.forwardTile(tile, conditioning: conditioning, noise: noise, context: context)
    }

    /// The style latent z for `seed`: standard-normal values from the same position-keyed stream
    /// as the input noise, on a channel no image uses (−1).
    static func latent(seed: UInt64, count: Int) -> [Float] {
        let noise = PositionalNoise(seed: seed)
        return (0..<count).map { noise.value(channel: -1, y: 0, x: $0) }
    }
}
