import GigaEngine

/// The tensors an AuraSR weights file holds for a config: `UnetUpsampler`'s state-dict names
/// (no prefix) and shapes, as fal's `model.safetensors` stores them.
///
/// Names follow the PyTorch modules: `downs.{i}.0.{j}` encoder blocks, `downs.{i}.1.0` attention,
/// `downs.{i}.1.1` the stride-2 conv; `mid_block1`, `mid_attn`, `mid_block2`; `ups.{k}.0.{j}`
/// decoder blocks, `ups.{k}.1.0.conv` the upsampling conv, `ups.{k}.1.1` attention;
/// `final_res_block`, `final_to_rgb`; `style_network.net.{2l}` and `style_to_conv_modulations`.
public struct AuraSRLayout: Sendable {
    /// Every tensor's name and shape, in module order.
    public let tensors: [(name: String, shape: [Int])]

    /// The layout of `config`.
    public init(_ config: AuraSRConfig) {
        var t: [(String, [Int])] = []
        let s = config.styleNetwork
        for l in 0..<s.depth {
            t.append(("style_network.net.\(2 * l).weight", [s.dimOut, l == 0 ? s.dimIn : s.dimOut]))
            t.append(("style_network.net.\(2 * l).bias", [s.dimOut]))
        }
        t.append(("init_conv.weight", [config.downDims[0], config.channels, 7, 7]))
        t.append(("init_conv.bias", [config.downDims[0]]))
        let n = AuraSRConfig.blocksPerStage
        for (i, stage) in config.encoderStages.enumerated() {
            for j in 0..<n { t += Self.resnetBlock("downs.\(i).0.\(j)", stage.width, stage.width, config) }
            if let depth = stage.attentionDepth { t += Self.transformer("downs.\(i).1.0", stage.width, depth, config) }
            t += Self.conv("downs.\(i).1.1", stage.width, stage.next, 3)
        }
        t += Self.resnetBlock("mid_block1", config.midDim, config.midDim, config)
        t += Self.transformer("mid_attn", config.midDim, config.midAttnDepth, config)
        t += Self.resnetBlock("mid_block2", config.midDim, config.midDim, config)
        for (k, stage) in config.decoderStages.enumerated() {
            for j in 0..<n { t += Self.resnetBlock("ups.\(k).0.\(j)", stage.blockInput, stage.width, config) }
            t += Self.conv("ups.\(k).1.0.conv", stage.input, stage.width, 3)
            if let depth = stage.attentionDepth { t += Self.transformer("ups.\(k).1.1", stage.width, depth, config) }
        }
        t += Self.resnetBlock("final_res_block", config.dim, config.dim, config)
        t += Self.conv("final_to_rgb", config.dim, config.channels, 1)
        t.append(("style_to_conv_modulations.weight", [config.modulationCount, s.dimOut]))
        t.append(("style_to_conv_modulations.bias", [config.modulationCount]))
        tensors = t
    }

    /// Number of parameters (617,554,917 for AuraSR v1/v2).
    public var parameterCount: Int { tensors.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    /// The module prefixes every AuraSR tensor name starts with.
    public static let topLevelModules = ["style_network.", "init_conv.", "downs.", "mid_block1.", "mid_attn.", "mid_block2.",
                                         "ups.", "final_res_block.", "final_to_rgb.", "style_to_conv_modulations."]

    static func resnetBlock(_ p: String, _ input: Int, _ output: Int, _ config: AuraSRConfig) -> [(String, [Int])] {
        let (bank, k) = (config.numConvKernels, AuraSRConfig.kernelSize)
        var t = [("\(p).block1.proj.weights", [bank, output, input, k, k]),
                 ("\(p).block2.proj.weights", [bank, output, output, k, k])]
        if input != output { t += conv("\(p).res_conv", input, output, 1) }
        return t
    }

    static func transformer(_ p: String, _ width: Int, _ depth: Int, _ config: AuraSRConfig) -> [(String, [Int])] {
        let hidden = config.selfAttnHeads * config.selfAttnDimHead, ff = AuraSRConfig.feedForwardMult * width
        return (0..<depth).flatMap { l -> [(String, [Int])] in
            let a = "\(p).layers.\(l).0", f = "\(p).layers.\(l).1"
            return [("\(a).norm.g", [1, width, 1, 1]), ("\(a).attend.scale", [1]),
                    ("\(a).to_qkv.weight", [3 * hidden, width, 1, 1])]
                + conv("\(a).to_out", hidden, width, 1)
                + [("\(f).0.g", [1, width, 1, 1])] + conv("\(f).1", width, ff, 1) + conv("\(f).3", ff, width, 1)
        }
    }

    static func conv(_ p: String, _ input: Int, _ output: Int, _ k: Int) -> [(String, [Int])] {
        [("\(p).weight", [output, input, k, k]), ("\(p).bias", [output])]
    }

    /// Compares the layout with `file`'s tensors.
    /// - Throws: `ModelError` naming the file and listing (a few of, with counts) the missing
    ///   tensors, the unexpected ones and those of the wrong shape.
    public func check(against file: SafetensorsFile) throws {
        let shapes = file.entries.mapValues(\.shape)
        var missing: [String] = [], misshapen: [String] = []
        var expected = Set<String>()
        for (name, shape) in tensors {
            expected.insert(name)
            guard let actual = shapes[name] else { missing.append("'\(name)' \(shape)"); continue }
            if actual != shape { misshapen.append("'\(name)' is \(actual), expected \(shape)") }
        }
        let unexpected = shapes.keys.filter { !expected.contains($0) }.sorted().map { "'\($0)'" }
        var problems: [String] = []
        if !missing.isEmpty { problems.append("\(missing.count) missing tensor(s): \(Self.few(missing))") }
        if !unexpected.isEmpty { problems.append("\(unexpected.count) unexpected tensor(s): \(Self.few(unexpected))") }
        if !misshapen.isEmpty { problems.append("\(misshapen.count) tensor(s) of the wrong shape: \(Self.few(misshapen))") }
        guard problems.isEmpty else {
            throw ModelError("\(file.path): does not match its AuraSR config.json (\(tensors.count) tensors expected, "
                             + "\(shapes.count) in the file): " + problems.joined(separator: "; "))
        }
    }

    /// The first few items and how many more there are.
    static func few(_ items: [String], limit: Int = 5) -> String {
        items.prefix(limit).joined(separator: ", ") + (items.count > limit ? " and \(items.count - limit) more" : "")
    }
}
