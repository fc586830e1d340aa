import Foundation
import GigaEngine

/// fal's AuraSR (v1 and v2): a GigaGAN-upsampler reproduction, 4x, unconditional, run from fal's
/// `model.safetensors` and `config.json` unchanged; the Swift port of `aura_sr.UnetUpsampler`
/// (PyPI `aura-sr` 0.0.4), verified against it on a reduced random-weight config.
///
/// Use it in two steps, as `Generator`:
///
///     let style = try aura.condition(z: z)                                        // once per image
///     let hr = try aura.forwardTile(lr, conditioning: style, noise: nil, context: ctx)  // per tile
///
/// `condition` runs the style network and prepares every adaptive conv's kernel in place, so
/// an `AuraSR` serves one conditioning at a time and must not be used from two threads at once.
/// fal's code draws a fresh z for every batch of tiles; here the caller chooses (Gigascale
/// uses one z per image, so that tiles share one style).
public final class AuraSR {
    /// The architecture, from `config.json`.
    public let config: AuraSRConfig
    /// The weights file's path.
    public let path: String

    let style: AuraSRStyleNetwork
    let toModulations: Linear
    let initConv: Conv2d
    let encoder: [(blocks: [AuraSRResnetBlock], attention: AuraSRTransformer?, down: Conv2d)]
    let middle: (block1: AuraSRResnetBlock, attention: AuraSRTransformer, block2: AuraSRResnetBlock)
    let decoder: [(up: Conv2d, blocks: [AuraSRResnetBlock], attention: AuraSRTransformer?)]
    let finalBlock: AuraSRResnetBlock
    let toRGB: Conv2d
    /// Every ResnetBlock in the order the modulations are split (module order).
    let blocks: [AuraSRResnetBlock]
    private let conditioningContext: ComputeContext
    private var preparedFor: Conditioning.Token?
    private let identity = Conditioning.Token()

    /// The `config.json` beside a weights file, where fal publishes it.
    public static func configPath(forWeights path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("config.json").path
    }

    /// Loads fal's `model.safetensors` (F32, or a 16-bit copy) with the `config.json` beside it.
    /// - Throws: `ModelError` naming the file: no or a bad config.json, tensors missing,
    ///   unexpected or of the wrong shape for that config.
    public convenience init(weightsPath: String) throws {
        let configPath = Self.configPath(forWeights: weightsPath)
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw ModelError("\(weightsPath): AuraSR weights need fal's config.json beside them; \(configPath) does not exist")
        }
        try self.init(store: WeightStore(path: weightsPath), config: AuraSRConfig.load(path: configPath))
    }

    /// Builds the network from an open weights file and its config.
    public init(store: WeightStore, config: AuraSRConfig) throws {
        try AuraSRLayout(config).check(against: store.file)
        self.config = config
        path = store.file.path
        let n = AuraSRConfig.blocksPerStage
        style = try AuraSRStyleNetwork(store, config: config)
        toModulations = try store.linear("style_to_conv_modulations", in: config.styleNetwork.dimOut, out: config.modulationCount)
        initConv = try store.conv("init_conv", in: config.channels, out: config.downDims[0], kernelSize: 7, padding: 3)
        encoder = try config.encoderStages.enumerated().map { i, stage in
            (try (0..<n).map { try AuraSRResnetBlock(store, "downs.\(i).0.\($0)", in: stage.width, out: stage.width, config: config) },
             try stage.attentionDepth.map { try AuraSRTransformer(store, "downs.\(i).1.0", width: stage.width, depth: $0, config: config) },
             try store.conv("downs.\(i).1.1", in: stage.width, out: stage.next, kernelSize: 3, stride: 2, padding: 1))
        }
        let mid = config.midDim
        middle = (try AuraSRResnetBlock(store, "mid_block1", in: mid, out: mid, config: config),
                  try AuraSRTransformer(store, "mid_attn", width: mid, depth: config.midAttnDepth, config: config),
                  try AuraSRResnetBlock(store, "mid_block2", in: mid, out: mid, config: config))
        decoder = try config.decoderStages.enumerated().map { k, stage in
            (try store.conv("ups.\(k).1.0.conv", in: stage.input, out: stage.width, kernelSize: 3, padding: 1),
             try (0..<n).map { try AuraSRResnetBlock(store, "ups.\(k).0.\($0)", in: stage.blockInput, out: stage.width, config: config) },
             try stage.attentionDepth.map { try AuraSRTransformer(store, "ups.\(k).1.1", width: stage.width, depth: $0, config: config) })
        }
        finalBlock = try AuraSRResnetBlock(store, "final_res_block", in: config.dim, out: config.dim, config: config)
        toRGB = try store.conv("final_to_rgb", in: config.dim, out: config.channels, kernelSize: 1)
        try store.requireAllUsed()
        blocks = encoder.flatMap(\.blocks) + [middle.block1, middle.block2] + decoder.flatMap(\.blocks) + [finalBlock]
        conditioningContext = try ComputeContext(precision: .fp32, threads: 1)
    }

    // MARK: Per image

    /// Runs the style network on `z` and prepares every adaptive conv for the result.
    /// - Parameter z: the style latent, `style_network.dim_in` values (128), normally N(0, 1);
    ///   normalised inside, as fal's network does.
    /// - Returns: w and every adaptive conv's style, in module order.
    /// - Throws: `ModelError` on a wrong length or a non-finite style.
    public func condition(z: [Float]) throws -> AuraSRConditioning {
        guard z.count == config.styleNetwork.dimIn else {
            throw ModelError("AuraSR z must have \(config.styleNetwork.dimIn) values, got \(z.count)")
        }
        let w = try style(z: z, in: conditioningContext)
        let modulations = try toModulations(w, in: conditioningContext).storage
        // Per block: modulation 1 (in), kernel logits 1 (N), modulation 2 (out), kernel logits 2 (N).
        var offset = 0
        func take(_ count: Int) -> [Float] {
            defer { offset += count }
            return Array(modulations[offset..<(offset + count)])
        }
        let kernels = config.numConvKernels
        var styles: [ConvStyle] = []
        for block in blocks {
            let m1 = take(block.conv1.inChannels), k1 = take(kernels)
            let m2 = take(block.conv2.inChannels), k2 = take(kernels)
            styles += [ConvStyle(kernelLogits: k1, modulation: m1), ConvStyle(kernelLogits: k2, modulation: m2)]
        }
        let conditioning = AuraSRConditioning(w: w.storage, styles: styles, token: Conditioning.Token(), owner: identity)
        try prepare(for: conditioning)
        return conditioning
    }

    private func prepare(for conditioning: AuraSRConditioning) throws {
        guard conditioning.owner === identity else {
            throw ModelError("\(path): this conditioning was made by another AuraSR instance")
        }
        if preparedFor === conditioning.token { return }
        preparedFor = nil
        for (i, block) in blocks.enumerated() {
            try block.prepare(conditioning.styles[2 * i], conditioning.styles[2 * i + 1])
        }
        preparedFor = conditioning.token
    }

    // MARK: Per tile

    /// Runs tiles through the network, as `UnetUpsampler.forward(lowres_image, noise=z)`.
    ///
    /// - Parameters:
    ///   - lr: [B, 3, tile, tile] RGB in [0, 1], tile = `input_image_size` (64).
    ///   - conditioning: from `condition(z:)` on this instance.
    ///   - noise: N(0, 1) noise shaped like `lr`, or nil. fal's forward adds `0.001 · randn` to its
    ///     input; this adds `0.001 · noise` (nothing when nil). Either way the input is then
    ///     clamped to [0, 1], as there.
    ///   - context: precision and threads of the convolutions and matrix products.
    /// - Returns: [B, 3, tile·4, tile·4], the raw output (not clamped; fal's wrapper clamps it).
    /// - Throws: `ModelError` on wrong shapes; engine failures as `EngineError`.
    public func forwardTile(_ lr: Tensor, conditioning: AuraSRConditioning, noise: Tensor?,
                            context: ComputeContext) throws -> Tensor {
        let tile = config.inputImageSize
        guard lr.shape.count == 4, lr.batch >= 1, lr.channels == config.channels, lr.height == tile, lr.width == tile else {
            throw ModelError("AuraSR tile must be [B, \(config.channels), \(tile), \(tile)], got \(lr.shape)")
        }
        if let noise, noise.shape != lr.shape {
            throw ModelError("noise must have the tile's shape \(lr.shape), got \(noise.shape)")
        }
        try prepare(for: conditioning)

        var x = try initConv(Self.noisedInput(lr, noise), in: context)
        var skips: [Tensor] = []
        for stage in encoder {
            for block in stage.blocks {
                x = try block(x, in: context)
                skips.append(x)
            }
            if let attention = stage.attention { x = try attention(x, in: context) }
            x = try stage.down(x, in: context)
        }
        x = try middle.block1(x, in: context)
        x = try middle.attention(x, in: context)
        x = try middle.block2(x, in: context)
        let skipGain = Float(config.skipConnectScale)
        for stage in decoder {
            x = try stage.up(Ops.upsampleNearest(x, factor: 2), in: context)
            for block in stage.blocks {
                if let skip = skips.popLast() { x = try Ops.concatChannels(x, skip, scalingSecondBy: skipGain) }
                x = try block(x, in: context)
            }
            if let attention = stage.attention { x = try attention(x, in: context) }
        }
        return try toRGB(finalBlock(x, in: context), in: context)
    }

    /// `clamp(lr + 0.001 · noise, 0, 1)` (the sum rounded first, as in PyTorch).
    static func noisedInput(_ lr: Tensor, _ noise: Tensor?) -> Tensor {
        var values = lr.storage
        let gain = AuraSRConfig.inputNoiseScale
        if let noise {
            for i in values.indices { values[i] += gain * noise.storage[i] }
        }
        for i in values.indices { values[i] = min(max(values[i], 0), 1) }
        return Tensor(shape: lr.shape, storage: values)
    }
}

/// One image's AuraSR style: w and every adaptive conv's kernel logits and modulation, made by
/// `AuraSR.condition(z:)` and reused for every tile of that image.
public struct AuraSRConditioning: Sendable {
    /// The style vector w [style_network.dim_out].
    public let w: [Float]
    /// Each adaptive conv's style, two per ResnetBlock, in module order.
    public let styles: [ConvStyle]
    let token: Conditioning.Token
    let owner: Conditioning.Token
}
