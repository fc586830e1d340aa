import GigaEngine

/// The kinds of upscaler weights file Gigascale runs, told apart by their contents (never the
/// file name): our GigaGAN files carry `__metadata__` format "gigascale-gigagan"; fal's AuraSR
/// files are a bare `UnetUpsampler` state dict (their metadata, if any, says nothing useful).
public enum WeightsFormat: String, Sendable, Equatable {
    /// Gigascale's text-conditioned GigaGAN generator (`Generator`).
    case gigagan
    /// fal's AuraSR v1/v2 (`AuraSR`), with `config.json` beside the file.
    case auraSR

    /// Tensors every AuraSR file has, whatever its config.
    public static let auraSRMarkers = ["init_conv.weight", "mid_block1.block1.proj.weights", "final_res_block.block1.proj.weights",
                                       "final_to_rgb.weight", "style_network.net.0.weight", "style_to_conv_modulations.weight"]

    /// Which format `file` is in.
    /// - Throws: `ModelError` naming the file when it is neither: what each format needs, which
    ///   AuraSR tensors are missing and which of the file's tensors neither format has (a few of
    ///   each, with counts).
    public static func detect(_ file: SafetensorsFile) throws -> WeightsFormat {
        let format = file.metadata["format"]
        if format == Generator.format { return .gigagan }
        let missing = auraSRMarkers.filter { file.entries[$0] == nil }
        if missing.isEmpty { return .auraSR }
        let unexpected = file.names.filter { name in !AuraSRLayout.topLevelModules.contains { name.hasPrefix($0) } }
        let metadataNote = format.map { "its __metadata__ format is '\($0)'" } ?? "its __metadata__ has no 'format'"
        var message = "\(file.path): not a weights file Gigascale knows. A GigaGAN file has __metadata__ format "
            + "'\(Generator.format)' (\(metadataNote)); an AuraSR file (fal's model.safetensors) has tensors such as "
            + "\(auraSRMarkers.map { "'\($0)'" }.joined(separator: ", ")), and this one lacks \(missing.count) of them: "
            + AuraSRLayout.few(missing.map { "'\($0)'" })
        if !unexpected.isEmpty {
            message += "; \(unexpected.count) of its \(file.entries.count) tensors belong to neither format: "
                + AuraSRLayout.few(unexpected.map { "'\($0)'" })
        }
        throw ModelError(message)
    }

    /// Opens `path` and detects its format (see `detect(_:)`).
    public static func detect(path: String) throws -> WeightsFormat {
        try detect(WeightStore(path: path).file)
    }
}
