import ArgumentParser
import Foundation
import Gigascale

/// Which model runs, and how it is tiled and computed.
struct ModelOptions: ParsableArguments {
    @Option(name: [.customShort("m"), .customLong("model")],
            help: ArgumentHelp("Model: an installed one by name (see 'gigascale models'; default gigagan-8x-s, else gigagan-8x-s-psnr, else lanczos), 'lanczos' or 'bicubic' (classical resamplers), a weights file (.safetensors): GigaGAN, or fal's AuraSR with its config.json beside it, or an ncnn model (.param, its .bin beside it; e.g. Real-ESRGAN's, taking RGB in [0, 1] at its Input and giving RGB at 'output').",
                               valueName: "name|path"))
    var modelName: String?

    @Option(help: ArgumentHelp("Folder of the frozen text encoder (default: $GIGASCALE_MODELS/text-encoder, else the one beside the program or in the source checkout).",
                               valueName: "dir"))
    var textEncoder: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Low-resolution tile side in pixels (default: the model's own: 64, ncnn models at most 128, shrunk to fit the image; AuraSR runs only its own).", valueName: "px"))
    var tile: Int?

    @Option(help: ArgumentHelp("Pixels neighbouring tiles share and blend across.", valueName: "px"))
    var overlap: Int = 8

    // Unconditional, so that `--seed -1` is read as a value (and refused as one) rather than
    // as an unknown flag with the seed missing.
    @Option(parsing: .unconditional, help: "Seed of the style and the noise, 0 to 18446744073709551615: the same seed gives the same output.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Threads in all (default: all cores), shared out among the tiles that run at once.", valueName: "n"))
    var threads: Int?

    @Option(help: ArgumentHelp("Tiles run at once, each on its own copy of the model (default: one per thread, at most 4). The output does not depend on it.", valueName: "n"))
    var tileWorkers: Int?

    @Option(help: ArgumentHelp("Precision: fp32, bf16 or auto (whichever runs the model's largest convolutions faster here, bf16 only where the CPU has it and its output agrees with fp32's; measured once, then cached in $XDG_CACHE_HOME/gigascale).", valueName: "p"))
    var precision: ComputePrecision = .auto

    /// The catalog of installed models this process sees.
    static let catalog = ModelCatalog()

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let tileWorkers, tileWorkers < 1 { throw ValidationError("--tile-workers must be at least 1") }
        do {
            _ = try reference
        } catch let error as GigascaleError {
            throw ValidationError(error.message)
        }
    }

    /// The model the options name (names resolved; the default is the best installed model).
    var reference: ModelReference {
        get throws { try Self.catalog.reference(for: modelName) }
    }

    /// The model's short name for messages, `{model}` and JSON.
    var displayName: String { (try? reference.displayName) ?? modelName ?? "" }

    /// Refuses a weights path that leads nowhere before any work (the name check is `validate`'s).
    func checkModelFileExists() throws {
        guard case .weightsFile(let path) = try reference else { return }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw UsageError("\(path): no such model file (see 'gigascale models' for what is installed)")
        }
    }

    /// The upscalers for the model, loaded now, with this tiling and `outputSize`.
    func upscalerSource(outputSize: OutputSize, threads: Int?) throws -> UpscalerSource {
        let options = UpscaleOptions(tileSize: tile, overlap: overlap, seed: seed, precision: precision,
                                     threads: threads ?? self.threads ?? ProcessInfo.processInfo.activeProcessorCount, outputSize: outputSize, tileWorkers: tileWorkers)
        return try UpscalerSource(model: try reference, options: options,
                                  textEncoderDirectory: textEncoder ?? Self.catalog.defaultTextEncoderDirectory)
    }
}

extension ComputePrecision: ExpressibleByArgument {}
