import Foundation
import GigaEngine

/// How an image is cut into tiles and computed.
public struct UpscaleOptions: Sendable, Equatable {
    /// Side of a low-resolution tile in pixels, rounded down to the model's size multiple; `nil`
    /// takes the model's own (`TileModel.preferredTileSize`). A model that runs only one size
    /// refuses any other.
    public var tileSize: Int?
    /// Pixels (low resolution) that neighbouring tiles share and blend across.
    public var overlap: Int
    /// Seed of the style vector and of the input noise: same seed, same output.
    public var seed: UInt64
    /// Precision of the convolutions and matrix products (`.auto`: measured, see `PrecisionChooser`).
    public var precision: ComputePrecision
    /// Folder of the automatic precision choice's cache; `nil`: `PrecisionCache.defaultDirectory`
    /// (`$XDG_CACHE_HOME/gigascale`, else `~/.cache/gigascale`).
    public var precisionCacheDirectory: String?
    /// Threads in all (default: all cores), shared out among the tile workers: each worker's ops
    /// run on `threads / tileWorkers` threads (at least 1).
    public var threads: Int
    /// How many tiles run at the same time, each on its own model instance (a model that cannot
    /// run concurrently, see `TileModel.makeConcurrentInstance`, runs one); `nil` chooses
    /// `automaticTileWorkers(threads:)`. The output is byte-identical whatever this is: tiles
    /// are blended in raster order however they were scheduled.
    public var tileWorkers: Int?
    /// How large the output is: the model's native scale, a smaller factor, or a target size
    /// (made by a streamed Lanczos-3 downscale of the native output; never by enlarging).
    public var outputSize: OutputSize
    /// How an alpha plane is enlarged.
    public var alphaMode: AlphaMode
    /// Whether the sink (the encoder) receives its bands on a thread of its own, so that
    /// encoding overlaps the next tile row. Off, bands reach the sink on the calling thread the
    /// moment they are final. The output is the same either way.
    public var encodesInBackground: Bool

    /// Creates options; the defaults suit the built-in model on a laptop.
    public init(tileSize: Int? = nil, overlap: Int = 8, seed: UInt64 = 0, precision: ComputePrecision = .fp32,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, outputSize: OutputSize = .native,
                alphaMode: AlphaMode = .resample, tileWorkers: Int? = nil, encodesInBackground: Bool = true,
                precisionCacheDirectory: String? = nil) {
        self.tileSize = tileSize
        self.overlap = overlap
        self.seed = seed
        self.precision = precision
        self.threads = threads
        self.outputSize = outputSize
        self.alphaMode = alphaMode
        self.tileWorkers = tileWorkers
        self.encodesInBackground = encodesInBackground
        self.precisionCacheDirectory = precisionCacheDirectory
    }
}

extension UpscaleOptions {
    /// The tile side of a model that states no preference of its own.
    public static let defaultTileSize = 64

    /// The most tiles the automatic choice runs at once: every worker holds its own copy of the
    /// model and of a tile's activations.
    public static let maximumAutomaticTileWorkers = 4

    /// The rule behind `tileWorkers == nil`: one tile per thread, up to
    /// `maximumAutomaticTileWorkers`, the threads shared out among them. Measured on 2 cores
    /// (README, "Tiles in parallel"): two tiles with one thread each beat one tile with two
    /// threads, because a 64-px tile's ops are too small to split well across threads and a
    /// thread held up by other work stalls every op of a split tile. More cores: not measured;
    /// the cap bounds the memory of the model copies.
    public static func automaticTileWorkers(threads: Int) -> Int {
        min(max(threads, 1), maximumAutomaticTileWorkers)
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

/// Numeric precision of the heavy ops (convolutions and matrix products).
public enum ComputePrecision: String, Sendable, Equatable, CaseIterable {
    /// Float32 everywhere: the reference.
    case fp32
    /// bfloat16 weights and inputs, Float32 accumulation and outputs; refused on a CPU without
    /// bf16 instructions.
    case bf16
    /// Whichever of the two is faster for the model on this machine, bf16 only where the CPU has
    /// it and its output agrees with fp32's: measured once and cached (`PrecisionChooser`).
    case auto

    /// Whether this CPU has bf16 instructions (`.bf16` works, `.auto` considers it).
    public static var cpuHasBF16: Bool { ComputeContext.supportsBF16 }

    /// The engine's precision of `.fp32` or `.bf16` (`.auto` is resolved by `PrecisionChooser` first).
    var engine: Precision { self == .bf16 ? .bf16 : .fp32 }
}
