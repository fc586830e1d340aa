import Foundation
import GigaEngine

/// How an image is cut into tiles and computed.
public struct UpscaleOptions: Sendable, Equatable {
    /// Side of a low-resolution tile in pixels; rounded down to the model's size multiple.
    public var tileSize: Int
    /// Pixels (low resolution) that neighbouring tiles share and blend across.
    public var overlap: Int
    /// Seed of the style vector and of the input noise: same seed, same output.
    public var seed: UInt64
    /// fp32, or bf16 where the CPU has it.
    public var precision: Precision
    /// Threads in all (default: all cores), shared out among the tile workers: each worker's ops
    /// run on `threads / tileWorkers` threads (at least 1).
    public var threads: Int
    /// How many tiles run at the same time, each on its own model instance (models that cannot
    /// run concurrently, see `TileModel.makeConcurrentInstance`, run one). The output is
    /// byte-identical whatever this is, for the same threads per worker.
    public var tileWorkers: Int
    /// How large the output is: the model's native scale, a smaller factor, or a target size
    /// (made by a streamed Lanczos-3 downscale of the native output; never by enlarging).
    public var outputSize: OutputSize
    /// How an alpha plane is enlarged.
    public var alphaMode: AlphaMode

    /// Creates options; the defaults suit the built-in model on a laptop.
    public init(tileSize: Int = 64, overlap: Int = 16, seed: UInt64 = 0, precision: Precision = .fp32,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, outputSize: OutputSize = .native,
                alphaMode: AlphaMode = .resample, tileWorkers: Int = 1) {
        self.tileSize = tileSize
        self.overlap = overlap
        self.seed = seed
        self.precision = precision
        self.threads = threads
        self.outputSize = outputSize
        self.alphaMode = alphaMode
        self.tileWorkers = tileWorkers
    }
}

/// How the alpha plane of an image is enlarged to the native scale.
public enum AlphaMode: String, Sendable, Equatable, CaseIterable {
    /// Lanczos-3, streamed band by band alongside the colour (fast; smooth edges).
    case resample
    /// Through the model as a gray image, with the same conditioning and noise as the colour
    /// (twice the model time; edges as sharp as the model makes them).
    case model
}

/// Where an upscale stands, for progress bars.
public struct UpscaleProgress: Sendable, Equatable {
    /// Tiles finished so far.
    public var tilesDone: Int
    /// Tiles in the whole image.
    public var tilesTotal: Int
}
