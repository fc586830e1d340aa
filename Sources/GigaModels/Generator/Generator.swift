import Foundation
import GigaEngine

/// The text-conditioned GigaGAN-8x generator, the Swift twin of `Training/gigagan/generator.py`
/// (same tensor names, same math; see Training/README.md for the architecture).
///
/// Use it in two steps, as the twin does:
///
///     let cond = try generator.condition(z: z, textTokens: features, textMask: mask)  // once per image
///     let hr = try generator.forwardTile(lrTile, conditioning: cond, noise: noise, context: ctx)  // per tile
///
/// A `Generator` serves one image's conditioning at a time: `condition` prepares every
/// style-adaptive conv's kernel in place (the engine's `StyleAdaptiveConv` holds one prepared
/// kernel), and `forwardTile` re-prepares them when handed a different `Conditioning`. So tiles of
/// one image should be run together, and a `Generator` must not be used from two threads at
/// once (load one per thread to run images in parallel; the weights file is memory-mapped). A
/// `Conditioning` belongs to the generator that made it; another instance refuses it.
public final class Generator {
    /// The architecture, from the weights file's metadata.
    public let config: GeneratorConfig
    /// The weights file's path.
    public let path: String

    /// The `__metadata__` "format" value of a weights file this type reads.
    public static let format = "gigascale-gigagan"

    let text: TextTransformer
    let mapping: MappingNetwork
    let stem: Conv2d
    let encoder: [(blocks: [ResBlock], down: Conv2d)]
    let bottleneck: (block1: ResBlock, attention: AttentionStage?, block2: ResBlock)
    let decoder: [(up: Conv2d, skip: Int?, blocks: [ResBlock], attention: AttentionStage?)]
    let toRGB: Conv2d
    /// Every adaptive conv, in module order.
    let styleConvs: [StyleConv]
    let crossAttentions: [CrossAttention]
    /// The SiLU before to_rgb, run by oneDNN where the last block cannot fuse it (attention
    /// follows it), else nil.
    private let finalSiLU: ElementwiseActivation?
    /// Conditioning runs in fp32 on one thread (it is tiny); tiles use the caller's context.
    private let conditioningContext: ComputeContext
    private var preparedFor: Conditioning.Token?
    /// This instance's identity, stamped on the conditionings it makes.
    private let identity = Conditioning.Token()

    /// Loads a `gigascale-gigagan` safetensors file: its config from `__metadata__` and every
    /// tensor by its PyTorch state-dict name.
    /// - Throws: `ModelError` naming the file and the problem: not a gigascale-gigagan file, a
    ///   bad config field, a missing tensor, a tensor of the wrong shape, or tensors the config
    ///   does not use.
    public convenience init(path: String) throws {
        try self.init(store: WeightStore(path: path))
    }

    /// Loads the generator from an open weights file (see `init(path:)`).
    public init(store: WeightStore) throws {
        let file = store.file
        path = file.path
        guard let format = file.metadata["format"] else {
            throw ModelError("\(file.path): not a \(Self.format) weights file (its __metadata__ has no 'format')")
        }
        guard format == Self.format else {
            throw ModelError("\(file.path): not a \(Self.format) weights file (__metadata__ format is '\(format)')")
        }
        guard let json = file.metadata["config"] else {
            throw ModelError("\(file.path): __metadata__ has no 'config'")
        }
        let cfg = try GeneratorConfig.decode(json: json, source: file.path)
        config = cfg

        text = try TextTransformer(store, config: cfg)
        mapping = try MappingNetwork(store, config: cfg)
        stem = try store.conv("stem", in: 3, out: cfg.encoderWidths[0], kernelSize: 3, padding: 1)
        encoder = try (0..<3).map { i in
            let c = cfg.encoderWidths[i]
            let next = i < 2 ? cfg.encoderWidths[i + 1] : cfg.bottleneckWidth
            let blocks = try (0..<cfg.encoderBlocks[i]).map { k in
                try ResBlock(store, "encoder.\(i).blocks.\(k)", in: c, out: c, config: cfg)
            }
            return (blocks, try store.conv("encoder.\(i).down", in: c, out: next, kernelSize: 3, stride: 2, padding: 1))
        }
        let bw = cfg.bottleneckWidth
        bottleneck = (try ResBlock(store, "bottleneck.block1", in: bw, out: bw, config: cfg),
                      try Self.attentionStage(store, "bottleneck.attn", resolution: cfg.bottleneckResolution, width: bw, config: cfg),
                      try ResBlock(store, "bottleneck.block2", in: bw, out: bw, config: cfg))
        let last = cfg.upStageCount - 1, lastResolution = cfg.decoderResolution(last)
        let blockFeedsToRGB = cfg.selfAttnDepth(at: lastResolution) == 0 && !cfg.hasCrossAttn(at: lastResolution)
        finalSiLU = blockFeedsToRGB ? nil : ElementwiseActivation(.silu, name: "to_rgb.silu")
        decoder = try (0..<cfg.upStageCount).map { j in
            let previous = j > 0 ? cfg.decoderWidths[j - 1] : bw
            let c = cfg.decoderWidths[j]
            let skip = cfg.skipSource(forDecoderStage: j)
            let skipWidth = skip.map { cfg.encoderWidths[$0] } ?? 0
            let up = try store.conv("decoder.\(j).up", in: previous, out: c, kernelSize: 1)
            let blocks = try (0..<cfg.decoderBlocks[j]).map { k in
                try ResBlock(store, "decoder.\(j).blocks.\(k)", in: c + (k == 0 ? skipWidth : 0), out: c, config: cfg,
                             outputsSiLU: blockFeedsToRGB && j == last && k == cfg.decoderBlocks[j] - 1)
            }
            let attention = try Self.attentionStage(store, "decoder.\(j).attn", resolution: cfg.decoderResolution(j),
                                                    width: c, config: cfg)
            return (up, skip, blocks, attention)
        }
        let shuffle = cfg.subpixelScale, kernel = cfg.toRGBKernelSize
        toRGB = try store.conv("to_rgb", in: cfg.decoderWidths.last!, out: 3 * shuffle * shuffle,
                               kernelSize: kernel, padding: kernel / 2)
        try store.requireAllUsed()

        var blocks = encoder.flatMap(\.blocks) + [bottleneck.block1, bottleneck.block2]
        blocks += decoder.flatMap(\.blocks)
        styleConvs = blocks.flatMap(\.styleConvs)
        crossAttentions = ([bottleneck.attention] + decoder.map(\.attention)).compactMap { $0 }.flatMap(\.crossAttentions)
        conditioningContext = try ComputeContext(precision: .fp32, threads: 1)
    }

    private static func attentionStage(_ store: WeightStore, _ prefix: String, resolution: Int, width: Int,
                                       config: GeneratorConfig) throws -> AttentionStage? {
        let depth = config.selfAttnDepth(at: resolution), cross = config.hasCrossAttn(at: resolution)
        guard depth > 0 || cross else { return nil }
        return try AttentionStage(store, prefix, dim: width, depth: depth, cross: cross, config: config)
    }

    // MARK: Per image

    /// Computes one image's conditioning and prepares this generator's adaptive convs for it.
    ///
    /// - Parameters:
    ///   - z: the latent, `z_dim` values (normalised inside, as the twin does).
    ///   - textTokens: the frozen text encoder's token features [1, T, text_embed_dim] (MiniLM:
    ///     384), T ≤ `max_tokens`, [CLS] … [SEP] then padding.
    ///   - textMask: T flags, true for real tokens; at least one must be true (the empty prompt
    ///     still has [CLS] and [SEP]).
    /// - Returns: w, t_global, t_local, every adaptive conv's style and the cross-attention K/V.
    /// - Throws: `ModelError` on wrong sizes.
    public func condition(z: [Float], textTokens: Tensor, textMask: [Bool]) throws -> Conditioning {
        let cfg = config
        guard z.count == cfg.zDim else { throw ModelError("z must have \(cfg.zDim) values, got \(z.count)") }
        let s = textTokens.shape
        guard s.count == 3, s[0] == 1, s[2] == cfg.textEmbedDim, (1...cfg.maxTokens).contains(s[1]) else {
            throw ModelError("textTokens must be [1, T <= \(cfg.maxTokens), \(cfg.textEmbedDim)], got \(s)")
        }
        guard textMask.count == s[1] else {
            throw ModelError("textMask has \(textMask.count) values for \(s[1]) text tokens")
        }
        guard textMask.contains(true) else { throw ModelError("textMask marks no real token (expected at least [CLS] and [SEP])") }
        let context = conditioningContext
        let (tGlobal, tLocal) = try text(textTokens, mask: textMask, in: context)
        let w = try mapping(z: z, tGlobal: tGlobal, in: context)
        var styles: [String: ConvStyle] = [:]
        for conv in styleConvs { styles[conv.name] = try conv.style(w: w, context: context) }
        var crossKV: [String: CrossAttentionKV] = [:]
        for attention in crossAttentions { crossKV[attention.name] = try attention.prepare(tLocal: tLocal, context: context) }
        let conditioning = Conditioning(w: w.storage, tGlobal: tGlobal, tLocal: tLocal, textMask: textMask,
                                        styles: styles, crossKV: crossKV, token: Conditioning.Token(), owner: identity)
        try prepare(for: conditioning)
        return conditioning
    }

    /// Prepares every adaptive conv's kernel for `conditioning` unless they already hold it.
    private func prepare(for conditioning: Conditioning) throws {
        guard conditioning.owner === identity else {
            throw ModelError("\(path): this conditioning was made by another Generator instance; "
                             + "call condition(z:textTokens:textMask:) on the generator that runs the tiles")
        }
        if preparedFor === conditioning.token { return }
        preparedFor = nil
        for conv in styleConvs {
            guard let style = conditioning.styles[conv.name] else {
                throw ModelError("conditioning has no style for '\(conv.name)'")
            }
            do {
                try conv.prepare(style)
            } catch let error as EngineError {
                throw ModelError("'\(conv.name)': \(error.message)")
            }
        }
        preparedFor = conditioning.token
    }

    // MARK: Per tile

    /// Runs one LR tile through the generator.
    ///
    /// - Parameters:
    ///   - lr: [B, 3, H, W] RGB in [0, 1] (B tiles share the conditioning); H and W are multiples
    ///     of 8 (three stride-2 stages). The config's `tile` is the size trained on, not a limit:
    ///     convolutions and attention take any size.
    ///   - conditioning: from `condition(z:textTokens:textMask:)` for this image.
    ///   - noise: N(0, 1) noise shaped like `lr`, or nil; the network sees `lr + noise_sigma · noise`
    ///     while the bicubic anchor uses the clean `lr`.
    ///   - context: precision and threads for the convolutions and matrix products.
    /// - Returns: [B, 3, H·scale, W·scale] (not clamped).
    /// - Throws: `ModelError` on wrong shapes; engine failures as `EngineError`.
    public func forwardTile(_ lr: Tensor, conditioning: Conditioning, noise: Tensor?, context: ComputeContext) throws -> Tensor {
        let cfg = config
        guard lr.shape.count == 4, lr.batch >= 1, lr.channels == 3, lr.height >= 8, lr.width >= 8,
              lr.height % 8 == 0, lr.width % 8 == 0 else {
            throw ModelError("lr tile must be [B, 3, H, W] with H and W multiples of 8, got \(lr.shape)")
        }
        if let noise, noise.shape != lr.shape {
            throw ModelError("noise must have the tile's shape \(lr.shape), got \(noise.shape)")
        }
        try prepare(for: conditioning)

        var x = try context.stage("stem") {
            try stem(noise.map { try Ops.addScaled(lr, $0, scale: Float(cfg.noiseSigma)) } ?? lr, in: context)
        }
        var skips: [Tensor] = []
        for (i, stage) in encoder.enumerated() {
            x = try context.stage("encoder.\(i)") {
                var h = x
                for block in stage.blocks { try block(&h, in: context) }
                skips.append(h)
                return try stage.down(h, in: context)
            }
        }
        x = try context.stage("bottleneck") {
            var h = x
            try bottleneck.block1(&h, in: context)
            if let attention = bottleneck.attention { h = try attention(h, conditioning: conditioning, in: context) }
            try bottleneck.block2(&h, in: context)
            return h
        }
        let skipGain = Float(cfg.skipGain)
        for (j, stage) in decoder.enumerated() {
            x = try context.stage("decoder.\(j)") {
                let up = try stage.up(x, in: context)
                var h: Tensor, activated: Tensor?
                var blocks = stage.blocks[...]
                if let skip = stage.skip {
                    let enlarged = try Ops.upsampleBilinear(up, height: up.height * 2, width: up.width * 2)
                    (h, activated) = (try Ops.concatChannels(enlarged, skips[skip], scalingSecondBy: skipGain), nil)
                } else if let first = blocks.first, let output = try first.enlarging(up, in: context) {
                    // The first block read the enlarged map without it being written.
                    (h, activated) = (output, nil)
                    blocks = blocks.dropFirst()
                } else {
                    // The first block reads SiLU of the enlarged map: written in the same pass.
                    (h, activated) = try Ops.upsampleBilinear2x(up, withSiLU: !stage.blocks.isEmpty)
                }
                for block in blocks { try block(&h, activated: activated.take(), in: context) }
                if let attention = stage.attention { h = try attention(h, conditioning: conditioning, in: context) }
                return h
            }
        }
        return try context.stage("to_rgb") {
            var output = try Ops.upsampleBicubic(lr, scale: cfg.scale)
            try finalSiLU?.apply(to: &x, in: context)   // x is not needed raw any more (else its last block made it SiLU(x))
            if cfg.subpixelScale == 1 {
                try toRGB(x, addingTo: &output, in: context)
            } else {
                try Ops.addPixelShuffled(try toRGB(x, in: context), factor: cfg.subpixelScale, to: &output)
            }
            return output
        }
    }
}
