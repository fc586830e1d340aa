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
    /// Threads per op (default: all cores).
    public var threads: Int

    /// Creates options; the defaults suit the built-in model on a laptop.
    public init(tileSize: Int = 64, overlap: Int = 16, seed: UInt64 = 0, precision: Precision = .fp32,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.tileSize = tileSize
        self.overlap = overlap
        self.seed = seed
        self.precision = precision
        self.threads = threads
    }
}

/// Where an upscale stands, for progress bars.
public struct UpscaleProgress: Sendable, Equatable {
    /// Tiles finished so far.
    public var tilesDone: Int
    /// Tiles in the whole image.
    public var tilesTotal: Int
}
