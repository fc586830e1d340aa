import Foundation

/// fal's AuraSR architecture as its `config.json` states it: the keyword arguments of
/// `aura_sr.UnetUpsampler` (aura-sr 0.0.4). A field the file leaves out takes that constructor's
/// default, as fal's own loader does (the published config names only six fields); a field the
/// constructor does not know is an error, as it is in Python.
///
/// The real AuraSR v1/v2 config gives a 64 px → 256 px (4x) U-Net with 3 encoder and 5 decoder
/// stages. Read one with `AuraSRConfig.load(path:)` or `decode(json:source:)`; every problem is a
/// `ModelError` naming the file and the field.
public struct AuraSRConfig: Equatable, Sendable {
    /// The style MLP (`StyleGanNetwork`): z [dimIn] → `depth` × (EqualLinear, LeakyReLU 0.2) → w [dimOut].
    public struct StyleNetwork: Equatable, Sendable {
        public var dimIn = 128
        public var dimOut = 512
        public var depth = 8
        /// Stored weights and biases are multiplied by this in use (equalised learning rate).
        public var lrMul = 0.1
        public var dimTextLatent = 0
    }

    public var dim: Int
    public var imageSize: Int
    public var inputImageSize: Int
    public var initDim: Int?
    public var outDim: Int?
    public var styleNetwork: StyleNetwork
    public var upDimMults = [1, 2, 4, 8, 16]
    public var downDimMults = [4, 8, 16]
    public var channels = 3
    public var resnetBlockGroups = 8
    public var fullAttn = [false, false, false, true, true]
    public var flashAttn = true
    public var selfAttnDimHead = 64
    public var selfAttnHeads = 8
    public var attnDepths = [2, 2, 2, 2, 4]
    public var midAttnDepth = 4
    public var numConvKernels = 4
    public var resizeMode = "bilinear"
    public var unconditional = true
    /// Skips are multiplied by this before concatenation (`None` in Python: 2^-½).
    public var skipConnectScale = 0.5.squareRoot()

    /// ResnetBlocks per encoder and decoder stage (hard-coded in `UnetUpsampler`).
    public static let blocksPerStage = 6
    /// Side of the adaptive convs' kernels (hard-coded).
    public static let kernelSize = 3
    /// Feed-forward hidden width = 4 · width (the Transformer default `UnetUpsampler` keeps).
    public static let feedForwardMult = 4
    /// σ of the Gaussian noise `UnetUpsampler.forward` adds to its input (hard-coded).
    public static let inputNoiseScale: Float = 0.001

    // MARK: Derived geometry (as UnetUpsampler.__init__)

    /// Number of decoder stages (U) and encoder stages (D).
    public var upStageCount: Int { upDimMults.count }
    public var downStageCount: Int { downDimMults.count }
    /// `up_dims`: [init_dim, dim·m for m in up_dim_mults].
    public var upDims: [Int] { [initDim ?? dim] + upDimMults.map { dim * $0 } }
    /// `down_dims`: [up_dims[U − D], dim·m for m in down_dim_mults].
    public var downDims: [Int] { [upDims[upStageCount - downStageCount]] + downDimMults.map { dim * $0 } }
    /// Width at the bottleneck (`mid_dim`).
    public var midDim: Int { upDims[upStageCount] }
    /// The upscaling factor, 2^(U − D) (4 for AuraSR).
    public var scale: Int { 1 << (upStageCount - downStageCount) }
    /// Input tiles must be multiples of 2^D (8 for AuraSR).
    public var sizeMultiple: Int { 1 << downStageCount }
    /// Total length of the style-to-modulation projection (33,048 for AuraSR).
    public var modulationCount: Int { styleSplits.reduce(0, +) }

    /// One encoder stage: 6 blocks at `width`, optional attention, then a stride-2 conv to `next`.
    public struct EncoderStage: Equatable, Sendable {
        public var width: Int, next: Int, attentionDepth: Int?
    }

    /// One decoder stage: nearest ×2 and a 3×3 conv from `input` to `width`, 6 blocks (the
    /// first input of each is `blockInput` wide: width plus a skip where there is one), optional attention.
    public struct DecoderStage: Equatable, Sendable {
        public var input: Int, width: Int, blockInput: Int, attentionDepth: Int?
    }

    /// Encoder stages; `full_attn` and `attn_depths` are read from the front.
    public var encoderStages: [EncoderStage] {
        (0..<downStageCount).map { i in
            EncoderStage(width: downDims[i], next: downDims[i + 1], attentionDepth: fullAttn[i] ? attnDepths[i] : nil)
        }
    }

    /// Decoder stages; `full_attn` and `attn_depths` are read from the back.
    public var decoderStages: [DecoderStage] {
        let u = upStageCount
        return (0..<u).map { k in
            let width = upDims[u - 1 - k]
            return DecoderStage(input: upDims[u - k], width: width,
                                blockInput: k < downStageCount ? 2 * width : width,
                                attentionDepth: fullAttn[u - 1 - k] ? attnDepths[u - 1 - k] : nil)
        }
    }

    /// Every ResnetBlock's (input, output) widths in module order: encoder, mid 1, mid 2, decoder, final.
    public var resnetBlocks: [(input: Int, output: Int)] {
        let n = Self.blocksPerStage
        var blocks = encoderStages.flatMap { s in Array(repeating: (s.width, s.width), count: n) }
        blocks += [(midDim, midDim), (midDim, midDim)]
        blocks += decoderStages.flatMap { s in Array(repeating: (s.blockInput, s.width), count: n) }
        return blocks + [(dim, dim)]
    }

    /// `style_embed_split_dims`: per block [in (mod 1), N (kernel 1), out (mod 2), N (kernel 2)].
    public var styleSplits: [Int] {
        resnetBlocks.flatMap { [$0.input, numConvKernels, $0.output, numConvKernels] }
    }
}

extension AuraSRConfig {
    /// Reads and validates `path` (fal's `config.json`).
    /// - Throws: `ModelError` naming the file: unreadable, not JSON, a bad or unknown field.
    public static func load(path: String) throws -> AuraSRConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelError("\(path): cannot read the AuraSR config: \((error as NSError).localizedDescription)")
        }
        return try decode(json: data, source: path)
    }

    /// Decodes and validates a config; `source` prefixes every error message.
    public static func decode(json: Data, source: String) throws -> AuraSRConfig {
        try ConfigDecoding.decode(AuraSRConfig.self, json: json, source: source, subject: "AuraSR config") { try $0.validate() }
    }

    /// Checks what `UnetUpsampler` would build is a network this port (and fal's own forward)
    /// can run: unconditional, RGB, consistent widths for skips and bottleneck, and so on.
    /// - Throws: `ModelError` naming the field.
    public func validate() throws {
        func need(_ condition: Bool, _ message: @autoclosure () -> String) throws {
            if !condition { throw ModelError("AuraSR config: \(message())") }
        }
        let s = styleNetwork
        try need(unconditional && s.dimTextLatent == 0,
                 "only unconditional models are supported (unconditional true, style_network.dim_text_latent 0)")
        try need(channels == 3, "channels must be 3 (RGB), got \(channels)")
        try need(dim >= 1, "dim must be positive, got \(dim)")
        try need(initDim == nil || initDim == dim, "init_dim must equal dim (final_res_block is dim wide), got \(initDim!)")
        try need(s.dimIn >= 1 && s.dimOut >= 1 && s.depth >= 1,
                 "style_network needs positive dim_in, dim_out and depth")
        try need(s.lrMul.isFinite, "style_network.lr_mul must be finite")
        try need(numConvKernels >= 2, "num_conv_kernels must be at least 2 (fal's adaptive conv needs a bank), got \(numConvKernels)")
        let u = upStageCount, d = downStageCount
        try need(u >= 1 && (upDimMults + downDimMults).allSatisfy { $0 >= 1 }, "dim multipliers must be positive")
        try need(d >= 1 && d < u, "down_dim_mults needs between 1 and len(up_dim_mults) - 1 = \(u - 1) entries, got \(d)")
        try need(fullAttn.count == u && attnDepths.count == u,
                 "full_attn and attn_depths need one entry per up stage (\(u)), got \(fullAttn.count) and \(attnDepths.count)")
        try need(attnDepths.allSatisfy { $0 >= 0 } && midAttnDepth >= 0, "attention depths must not be negative")
        try need(selfAttnHeads >= 1 && selfAttnDimHead >= 1, "self_attn_heads and self_attn_dim_head must be positive")
        for i in 0...d where downDims[i] != upDims[u - d + i] {
            throw ModelError("AuraSR config: down width \(downDims[i]) (down_dims[\(i)]) does not match up width "
                             + "\(upDims[u - d + i]) (up_dims[\(u - d + i)]); skips and the bottleneck need equal widths")
        }
        try need(inputImageSize >= sizeMultiple && inputImageSize % sizeMultiple == 0 && inputImageSize.nonzeroBitCount == 1,
                 "input_image_size must be a power of two and at least 2^\(d) = \(sizeMultiple), got \(inputImageSize)")
        try need(imageSize == inputImageSize * scale,
                 "image_size \(imageSize) must be input_image_size × 2^(up stages − down stages) = \(inputImageSize * scale)")
        try need(skipConnectScale.isFinite, "skip_connect_scale must be finite")
    }
}

extension AuraSRConfig: Decodable {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let fields = ["dim", "image_size", "input_image_size", "init_dim", "out_dim", "style_network",
                                 "up_dim_mults", "down_dim_mults", "channels", "resnet_block_groups", "full_attn",
                                 "flash_attn", "self_attn_dim_head", "self_attn_heads", "attn_depths", "mid_attn_depth",
                                 "num_conv_kernels", "resize_mode", "unconditional", "skip_connect_scale"]
    private static let required = ["dim", "image_size", "input_image_size", "style_network"]
    private static let styleFields = ["dim_in", "dim_out", "depth", "lr_mul", "dim_text_latent"]

    /// Strict about names (unknown → error), lenient about absence (→ UnetUpsampler's default),
    /// except for the fields the constructor requires.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        try Self.checkNames(c.allKeys.map(\.stringValue), known: Self.fields, what: "field")
        let missing = Self.required.filter { !c.contains(AnyKey(stringValue: $0)) }
        if !missing.isEmpty {
            throw ModelError("AuraSR config is missing required field(s): \(missing.joined(separator: ", "))")
        }
        func key(_ name: String) -> AnyKey { AnyKey(stringValue: name) }
        func value<T: Decodable>(_ name: String, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key(name)) ?? fallback
        }
        dim = try c.decode(Int.self, forKey: key("dim"))
        imageSize = try c.decode(Int.self, forKey: key("image_size"))
        inputImageSize = try c.decode(Int.self, forKey: key("input_image_size"))
        initDim = try c.decodeIfPresent(Int.self, forKey: key("init_dim"))
        outDim = try c.decodeIfPresent(Int.self, forKey: key("out_dim"))

        let s = try c.nestedContainer(keyedBy: AnyKey.self, forKey: key("style_network"))
        try Self.checkNames(s.allKeys.map(\.stringValue), known: Self.styleFields, what: "style_network field")
        var style = StyleNetwork()
        style.dimIn = try s.decodeIfPresent(Int.self, forKey: key("dim_in")) ?? style.dimIn
        style.dimOut = try s.decodeIfPresent(Int.self, forKey: key("dim_out")) ?? style.dimOut
        style.depth = try s.decodeIfPresent(Int.self, forKey: key("depth")) ?? style.depth
        style.lrMul = try s.decodeIfPresent(Double.self, forKey: key("lr_mul")) ?? style.lrMul
        style.dimTextLatent = try s.decodeIfPresent(Int.self, forKey: key("dim_text_latent")) ?? style.dimTextLatent
        styleNetwork = style

        upDimMults = try value("up_dim_mults", upDimMults)
        downDimMults = try value("down_dim_mults", downDimMults)
        channels = try value("channels", channels)
        resnetBlockGroups = try value("resnet_block_groups", resnetBlockGroups)
        fullAttn = try value("full_attn", fullAttn)
        flashAttn = try value("flash_attn", flashAttn)
        selfAttnDimHead = try value("self_attn_dim_head", selfAttnDimHead)
        selfAttnHeads = try value("self_attn_heads", selfAttnHeads)
        attnDepths = try value("attn_depths", attnDepths)
        midAttnDepth = try value("mid_attn_depth", midAttnDepth)
        numConvKernels = try value("num_conv_kernels", numConvKernels)
        resizeMode = try value("resize_mode", resizeMode)
        unconditional = try value("unconditional", unconditional)
        skipConnectScale = try value("skip_connect_scale", skipConnectScale)   // null → the default, as None
    }

    private static func checkNames(_ names: [String], known: [String], what: String) throws {
        let unknown = names.filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        throw ModelError("unknown AuraSR config \(what)(s) \(unknown.map { "'\($0)'" }.joined(separator: ", ")) "
                         + "(known: \(known.joined(separator: ", ")))")
    }
}
