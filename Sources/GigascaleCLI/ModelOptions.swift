import ArgumentParser
import Foundation
import GigaEngine
import Gigascale

/// Which model runs, and how it is tiled and computed.
struct ModelOptions: ParsableArguments {
    @Option(name: [.customShort("m"), .customLong("model")],
            help: ArgumentHelp("Model: an installed one by name (see 'gigascale models'; default gigagan-8x-s, else gigagan-8x-s-psnr, else lanczos), 'lanczos' or 'bicubic' (classical resamplers), or a weights file (.safetensors): GigaGAN, or fal's AuraSR with its config.json beside it.",
                               valueName: "name|path"))
    var modelName: String?

    /// The model to run: 'lanczos', 'bicubic' or a weights file's path (names resolved; the default
    /// is the best installed model).
    var model: String {
        let name = modelName ?? ModelCatalog.defaultModel
        if ModelCatalog.classicalNames.contains(name) || Self.looksLikePath(name) { return name }
        return ModelCatalog.path(named: name) ?? name
    }

    private static func looksLikePath(_ text: String) -> Bool { text.hasSuffix(".safetensors") || text.contains("/") }

    @Option(help: ArgumentHelp("Folder of the frozen text encoder (default: $GIGASCALE_MODELS/text-encoder, else the one beside the program or in the source checkout).",
                               valueName: "dir"))
    var textEncoder: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Low-resolution tile side in pixels.", valueName: "px"))
    var tile: Int = 64

    @Option(help: ArgumentHelp("Pixels neighbouring tiles share and blend across.", valueName: "px"))
    var overlap: Int = 8

    @Option(help: "Seed of the style and the noise: the same seed gives the same output.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Threads in all (default: all cores), shared out among the tiles that run at once.", valueName: "n"))
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Tiles run at once, each on its own copy of the model (default: one per thread, at most 4). The output does not depend on it.", valueName: "n"))
    var tileWorkers: Int?

    @Option(help: ArgumentHelp("Precision: fp32, bf16 or auto (bf16 where the CPU has it; its output is within 63 dB PSNR of fp32's).", valueName: "p"))
    var precision: String = "auto"

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if let tileWorkers, tileWorkers < 1 { throw ValidationError("--tile-workers must be at least 1") }
        guard ["fp32", "bf16", "auto"].contains(precision) else { throw ValidationError("--precision must be fp32, bf16 or auto") }
        guard ModelCatalog.classicalNames.contains(model) || isWeightsFile else {
            throw ValidationError("unknown model '\(model)'; available: \(ModelCatalog.availableNames.joined(separator: ", ")), or the path of a .safetensors weights file (GigaGAN or AuraSR)")
        }
    }

    /// Whether --model names a weights file rather than a classical resampler.
    var isWeightsFile: Bool { Self.looksLikePath(model) }

    var resolvedPrecision: Precision {
        switch precision {
        case "bf16": .bf16
        case "auto": .automatic
        default: .fp32
        }
    }

    /// The model the options name: a classical one built for `classicalScale`, or a weights file
    /// loaded as its contents say (a GigaGAN file with the text encoder, an AuraSR file with its
    /// config.json), at its own native scale.
    func makeModel(classicalScale: Int) throws -> TileModel {
        guard isWeightsFile else { return ResamplingModel(filter: model == "bicubic" ? .bicubic : .lanczos3, scale: classicalScale) }
        return try WeightsFileModel.load(path: model) { textEncoder ?? Self.defaultTextEncoderDirectory }
    }

    /// $GIGASCALE_MODELS/text-encoder, else share/gigascale/text-encoder beside the program, else
    /// the source checkout's Models/text-encoder.
    static var defaultTextEncoderDirectory: String {
        if let root = ProcessInfo.processInfo.environment["GIGASCALE_MODELS"] { return root + "/text-encoder" }
        let installed = ModelCatalog.installed("text-encoder")
        if FileManager.default.fileExists(atPath: installed + "/vocab.txt") { return installed }
        return ModelCatalog.checkoutModels("text-encoder")
    }

    var upscaleOptions: UpscaleOptions {
        UpscaleOptions(tileSize: tile, overlap: overlap, seed: seed, precision: resolvedPrecision, threads: threads,
                       tileWorkers: tileWorkers)
    }
}
