import Foundation
import GigaEngine
import GigaModels

/// The text-conditioned GigaGAN-8x generator as a tile model: the prompt goes through the frozen
/// text encoder and, with a latent drawn from the seed, conditions the generator once per image;
/// every tile then reuses that conditioning.
public final class GigaGANModel: TileModel {
    /// The generator (its weights file and config).
    public let generator: Generator
    /// The frozen text encoder and its tokenizer (one for this model and its concurrent instances).
    public var textEncoder: TextEncoder { sharedText.encoder }
    private let sharedText: SharedTextEncoder
    public var scale: Int { generator.config.scale }
    /// Three stride-2 stages: tile sides must be multiples of 8.
    public let sizeMultiple = 8
    /// The tile size the generator was trained on (its config's `tile`, 64 px); any multiple of
    /// 8 runs.
    public var preferredTileSize: Int { generator.config.tile }
    /// Attention sees the whole tile, so tiles stay square and whole.
    public let padsToWholeTiles = true
    private var conditioning: Conditioning?
    private let weightsPath: String
    private let textEncoderDirectory: String

    /// Loads a generator weights file (safetensors with the config in its metadata) and the text
    /// encoder folder (`model.safetensors` + `vocab.txt`).
    public convenience init(weightsPath: String, textEncoderDirectory: String) throws {
        let generator = try Generator(path: weightsPath)
        let text = try TextEncoder(directory: textEncoderDirectory, maxLength: generator.config.maxTokens)
        self.init(generator: generator, sharedText: SharedTextEncoder(text), weightsPath: weightsPath,
                  textEncoderDirectory: textEncoderDirectory)
    }

    private init(generator: Generator, sharedText: SharedTextEncoder, weightsPath: String, textEncoderDirectory: String) {
        self.generator = generator
        self.sharedText = sharedText
        self.weightsPath = weightsPath
        self.textEncoderDirectory = textEncoderDirectory
    }

    /// The generator loaded again (it caches oneDNN primitives, each with its own scratchpad, and
    /// per-image kernels, so two threads cannot share one), sharing this model's text encoder:
    /// the prompt is encoded once per image, whichever instance asks first.
    public func makeConcurrentInstance() throws -> TileModel? {
        GigaGANModel(generator: try Generator(path: weightsPath), sharedText: sharedText, weightsPath: weightsPath,
                     textEncoderDirectory: textEncoderDirectory)
    }

    /// The generator's config as sorted-key JSON: it alone decides the convolutions a tile runs.
    public var architecture: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(generator.config)).map { "gigagan " + String(decoding: $0, as: UTF8.self) }
    }

    public func prepare(prompt: String?, seed: UInt64, context: ComputeContext) throws {
        let encoding = try sharedText.encode(prompt, in: context)
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

/// A text encoder shared by a model and its concurrent instances, remembering its last prompt's
/// encoding: every tile worker conditions on the same features, computed once. The encoding is
/// remembered with the precision it was computed in, so an encoding made in another precision
/// (the precision probe conditions in fp32) is never handed to a bf16 run, or the reverse.
final class SharedTextEncoder: @unchecked Sendable {
    let encoder: TextEncoder
    private let lock = NSLock()
    private var last: (prompt: String?, precision: Precision, encoding: TextEncoding)?

    init(_ encoder: TextEncoder) { self.encoder = encoder }

    func encode(_ prompt: String?, in context: ComputeContext) throws -> TextEncoding {
        lock.lock()
        defer { lock.unlock() }
        if let last, last.prompt == prompt, last.precision == context.precision { return last.encoding }
        let encoding = try encoder.encode(prompt, in: context)
        last = (prompt, context.precision, encoding)
        return encoding
    }
}
