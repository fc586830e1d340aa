import Foundation

/// The GigaGAN-8x generator's architecture, stored as JSON in a weights file's `__metadata__`
/// ("config"); the Swift mirror of `Training/gigagan/config.py`'s `GeneratorConfig`.
///
/// Decoding is strict, as on the Python side: every field but `subpixel_scale` (which files made
/// before it existed lack; absent means 1) is required and unknown fields are rejected, so a weights file and the code that runs it cannot silently disagree. Decode with
/// `GeneratorConfig.decode(json:source:)`, which also validates and reports every problem as a
/// `ModelError` naming the field.
public struct GeneratorConfig: Codable, Equatable, Sendable {
    /// The config's name, e.g. "gigagan-8x-s".
    public var name: String
    /// Upscaling factor: 8 (default), 4 or 2; the decoder has 3 + log2(scale / subpixelScale) stages.
    public var scale: Int
    /// LR tile side in pixels (64); a multiple of 8.
    public var tile: Int
    /// Widths of the 3 encoder stages (at tile, tile/2, tile/4 px).
    public var encoderWidths: [Int]
    /// Residual blocks per encoder stage.
    public var encoderBlocks: [Int]
    /// Width at the bottleneck (tile/8 px).
    public var bottleneckWidth: Int
    /// Widths of the 3 + log2(scale / subpixelScale) decoder stages (tile/4 … tile·scale/subpixelScale px).
    public var decoderWidths: [Int]
    /// Residual blocks per decoder stage.
    public var decoderBlocks: [Int]
    /// N, the number of kernels in each style-adaptive conv's bank.
    public var kernelBank: Int
    /// Side of the adaptive convs' kernels (odd).
    public var kernelSize: Int
    /// Resolutions (px) with tied-L2 self-attention, and their depths.
    public var selfAttnResolutions: [Int]
    public var selfAttnDepths: [Int]
    /// Resolutions (px) with cross-attention to the text tokens.
    public var crossAttnResolutions: [Int]
    /// Heads of the image-side attention (head width = stage width / heads).
    public var attnHeads: Int
    /// Feed-forward hidden width = ffMult · width (image and text side).
    public var ffMult: Int
    /// Latent, style and mapping-network sizes.
    public var zDim: Int
    public var wDim: Int
    public var mappingDepth: Int
    /// Hidden size of the frozen text encoder's token features (MiniLM: 384).
    public var textEmbedDim: Int
    /// Most text tokens, [CLS] and [SEP] included.
    public var maxTokens: Int
    /// Width, depth and heads of the generator's own text transformer.
    public var textDim: Int
    public var textDepth: Int
    public var textHeads: Int
    /// σ of the Gaussian noise added to the LR input.
    public var noiseSigma: Double
    /// U-Net skips are multiplied by this before concatenation.
    public var skipGain: Double
    /// 1: `to_rgb` is a 1×1 conv at the last decoder stage. s > 1: the decoder ends s times short
    /// of the output and `to_rgb` is a 3×3 conv to 3·s² channels, pixel-shuffled by s (sub-pixel
    /// convolution). Optional in JSON; absent means 1.
    public var subpixelScale: Int

    /// JSON field names, in the Python dataclass's order.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, scale, tile
        case encoderWidths = "encoder_widths", encoderBlocks = "encoder_blocks"
        case bottleneckWidth = "bottleneck_width"
        case decoderWidths = "decoder_widths", decoderBlocks = "decoder_blocks"
        case kernelBank = "kernel_bank", kernelSize = "kernel_size"
        case selfAttnResolutions = "self_attn_resolutions", selfAttnDepths = "self_attn_depths"
        case crossAttnResolutions = "cross_attn_resolutions"
        case attnHeads = "attn_heads", ffMult = "ff_mult"
        case zDim = "z_dim", wDim = "w_dim", mappingDepth = "mapping_depth"
        case textEmbedDim = "text_embed_dim", maxTokens = "max_tokens"
        case textDim = "text_dim", textDepth = "text_depth", textHeads = "text_heads"
        case noiseSigma = "noise_sigma", skipGain = "skip_gain"
        case subpixelScale = "subpixel_scale"
    }

    /// Fields a file may leave out (with the value they then take).
    static let optionalKeys: Set<String> = [CodingKeys.subpixelScale.rawValue]

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Strict decoding: unknown or missing fields throw `ModelError` naming them.
    public init(from decoder: Decoder) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        let unknown = all.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw ModelError("unknown generator config field(s): \(unknown.joined(separator: ", ")) "
                             + "(known: \(CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let present = Set(all.allKeys.map(\.stringValue))
        let missing = CodingKeys.allCases.map(\.rawValue).filter { !present.contains($0) && !Self.optionalKeys.contains($0) }
        if !missing.isEmpty {
            throw ModelError("missing generator config field(s): \(missing.joined(separator: ", "))")
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        scale = try c.decode(Int.self, forKey: .scale)
        tile = try c.decode(Int.self, forKey: .tile)
        encoderWidths = try c.decode([Int].self, forKey: .encoderWidths)
        encoderBlocks = try c.decode([Int].self, forKey: .encoderBlocks)
        bottleneckWidth = try c.decode(Int.self, forKey: .bottleneckWidth)
        decoderWidths = try c.decode([Int].self, forKey: .decoderWidths)
        decoderBlocks = try c.decode([Int].self, forKey: .decoderBlocks)
        kernelBank = try c.decode(Int.self, forKey: .kernelBank)
        kernelSize = try c.decode(Int.self, forKey: .kernelSize)
        selfAttnResolutions = try c.decode([Int].self, forKey: .selfAttnResolutions)
        selfAttnDepths = try c.decode([Int].self, forKey: .selfAttnDepths)
        crossAttnResolutions = try c.decode([Int].self, forKey: .crossAttnResolutions)
        attnHeads = try c.decode(Int.self, forKey: .attnHeads)
        ffMult = try c.decode(Int.self, forKey: .ffMult)
        zDim = try c.decode(Int.self, forKey: .zDim)
        wDim = try c.decode(Int.self, forKey: .wDim)
        mappingDepth = try c.decode(Int.self, forKey: .mappingDepth)
        textEmbedDim = try c.decode(Int.self, forKey: .textEmbedDim)
        maxTokens = try c.decode(Int.self, forKey: .maxTokens)
        textDim = try c.decode(Int.self, forKey: .textDim)
        textDepth = try c.decode(Int.self, forKey: .textDepth)
        textHeads = try c.decode(Int.self, forKey: .textHeads)
        noiseSigma = try c.decode(Double.self, forKey: .noiseSigma)
        skipGain = try c.decode(Double.self, forKey: .skipGain)
        subpixelScale = try c.decodeIfPresent(Int.self, forKey: .subpixelScale) ?? 1
    }

    /// Decodes and validates a config from its JSON text. `source` (e.g. the weights file's
    /// path) prefixes every error message.
    /// - Throws: `ModelError` for invalid JSON, an unknown, missing or mistyped field, or an
    ///   inconsistent architecture (see `validate()`).
    public static func decode(json: String, source: String) throws -> GeneratorConfig {
        try ConfigDecoding.decode(GeneratorConfig.self, json: Data(json.utf8), source: source, subject: "generator config") { try $0.validate() }
    }

    // MARK: Derived geometry (as config.py)

    /// Number of decoder stages, 3 + log2(scale / subpixelScale).
    public var upStageCount: Int { 3 + (scale / max(subpixelScale, 1)).trailingZeroBitCount }
    /// Side of `to_rgb`'s kernel: 1, or 3 for a sub-pixel head.
    public var toRGBKernelSize: Int { subpixelScale == 1 ? 1 : 3 }
    /// Bottleneck resolution, tile / 8.
    public var bottleneckResolution: Int { tile / 8 }
    /// Resolution of encoder stage `i` (tile >> i).
    public func encoderResolution(_ i: Int) -> Int { tile >> i }
    /// Resolution of decoder stage `j` (bottleneck << (j + 1)).
    public func decoderResolution(_ j: Int) -> Int { bottleneckResolution << (j + 1) }
    /// Self-attention layers at `resolution` (0 when none).
    public func selfAttnDepth(at resolution: Int) -> Int {
        zip(selfAttnResolutions, selfAttnDepths).first { $0.0 == resolution }?.1 ?? 0
    }
    /// Whether a stage at `resolution` has cross-attention.
    public func hasCrossAttn(at resolution: Int) -> Bool { crossAttnResolutions.contains(resolution) }
    /// The encoder stage whose output is the skip for decoder stage `j`, if any.
    public func skipSource(forDecoderStage j: Int) -> Int? {
        (0..<3).first { encoderResolution($0) == decoderResolution(j) }
    }
    /// Width of the bottleneck or decoder stage at `resolution`, or nil.
    public func width(at resolution: Int) -> Int? {
        if resolution == bottleneckResolution { return bottleneckWidth }
        return (0..<upStageCount).first { decoderResolution($0) == resolution }.map { decoderWidths[$0] }
    }

    /// Checks the architecture is consistent, as config.py's `validate()`.
    /// - Throws: `ModelError` naming the config and the offending field.
    public func validate() throws {
        func need(_ condition: Bool, _ message: @autoclosure () -> String) throws {
            if !condition { throw ModelError("config '\(name)': \(message())") }
        }
        try need([2, 4, 8].contains(scale), "scale must be 2, 4 or 8, got \(scale)")
        try need([1, 2, 4, 8].contains(subpixelScale) && subpixelScale <= scale,
                 "subpixel_scale must be 1, 2, 4 or 8 and at most scale, got \(subpixelScale)")
        try need(tile >= 8 && tile % 8 == 0, "tile must be a positive multiple of 8, got \(tile)")
        try need(encoderWidths.count == 3, "encoder_widths needs 3 entries (one per downsampling stage)")
        try need(encoderBlocks.count == 3, "encoder_blocks needs 3 entries")
        try need(decoderWidths.count == upStageCount,
                 "decoder_widths needs 3 + log2(scale / subpixel_scale) = \(upStageCount) entries, got \(decoderWidths.count)")
        try need(decoderBlocks.count == upStageCount, "decoder_blocks needs \(upStageCount) entries")
        try need((encoderWidths + decoderWidths + [bottleneckWidth]).allSatisfy { $0 > 0 }, "widths must be positive")
        try need((encoderBlocks + decoderBlocks).allSatisfy { $0 >= 1 }, "every stage needs at least one residual block")
        try need(kernelBank >= 1, "kernel_bank must be >= 1")
        try need(kernelSize >= 1 && kernelSize % 2 == 1, "kernel_size must be odd")
        try need(selfAttnResolutions.count == selfAttnDepths.count,
                 "self_attn_resolutions and self_attn_depths must have the same length")
        try need(Set(selfAttnResolutions).count == selfAttnResolutions.count, "self_attn_resolutions has duplicates")
        try need(selfAttnDepths.allSatisfy { $0 >= 1 }, "self_attn_depths must be >= 1")
        let attentionResolutions = Set([bottleneckResolution] + (0..<upStageCount).map(decoderResolution))
        for r in selfAttnResolutions + crossAttnResolutions {
            try need(attentionResolutions.contains(r),
                     "attention resolution \(r) is not a bottleneck/decoder resolution \(attentionResolutions.sorted())")
        }
        for r in Set(selfAttnResolutions + crossAttnResolutions) {
            let w = width(at: r)!
            try need(attnHeads >= 1 && w % attnHeads == 0, "width \(w) at \(r) px is not divisible by attn_heads")
        }
        try need(ffMult >= 1, "ff_mult must be >= 1")
        try need(zDim >= 1 && wDim >= 1 && mappingDepth >= 1, "bad mapping dims")
        try need(textEmbedDim >= 1 && textDim >= 1 && textDepth >= 0, "bad text dims")
        try need((2...32).contains(maxTokens), "max_tokens must be in [2, 32]")
        try need(textHeads >= 1 && textDim % textHeads == 0, "text_dim must be divisible by text_heads")
        try need(noiseSigma >= 0, "noise_sigma must be >= 0")
    }
}
