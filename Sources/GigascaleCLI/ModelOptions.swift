import ArgumentParser
import Foundation
import GigaEngine
import Gigascale

/// Which model runs, and how it is tiled and computed.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Model: 'lanczos' or 'bicubic' (classical baselines; no trained GAN ships yet).",
                               valueName: "name"))
    var model: String = "lanczos"

    @Option(help: ArgumentHelp("Upscaling factor (the classical models take any factor from 1 to 16).", valueName: "n"))
    var scale: Int = 8

    @Option(help: ArgumentHelp("Low-resolution tile side in pixels.", valueName: "px"))
    var tile: Int = 64

    @Option(help: ArgumentHelp("Pixels neighbouring tiles share and blend across.", valueName: "px"))
    var overlap: Int = 16

    @Option(help: "Seed of the style and the noise: the same seed gives the same output.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Threads per op (default: all cores).", valueName: "n"))
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Precision: fp32, bf16 or auto (bf16 where the CPU has it).", valueName: "p"))
    var precision: String = "fp32"

    func validate() throws {
        guard (1...16).contains(scale) else { throw ValidationError("--scale must be between 1 and 16") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard ["fp32", "bf16", "auto"].contains(precision) else { throw ValidationError("--precision must be fp32, bf16 or auto") }
        guard ["lanczos", "bicubic"].contains(model) else {
            throw ValidationError("unknown model '\(model)'; available: lanczos, bicubic")
        }
    }

    var resolvedPrecision: Precision {
        switch precision {
        case "bf16": .bf16
        case "auto": .automatic
        default: .fp32
        }
    }

    func makeModel() -> TileModel {
        ResamplingModel(filter: model == "bicubic" ? .bicubic : .lanczos3, scale: scale)
    }

    var upscaleOptions: UpscaleOptions {
        UpscaleOptions(tileSize: tile, overlap: overlap, seed: seed, precision: resolvedPrecision, threads: threads)
    }
}
