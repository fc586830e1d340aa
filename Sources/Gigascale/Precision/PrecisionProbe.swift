import Foundation
import GigaEngine

/// Finds a model's dominant convolutions and times them in fp32 and bf16: the measurement behind
/// `ComputePrecision.auto`.
enum PrecisionProbe {
    /// How many shapes are timed: the largest by FLOPs a tile (for `gigagan-8x-s`, the 512², 256²
    /// and 128² stages, about 80% of a tile's convolution FLOPs).
    static let shapeCount = 3
    /// Timed rounds per shape, fp32 and bf16 alternating; the best of each counts.
    static let rounds = 3
    /// Rounds after the first stop once this many seconds have gone, so a model with heavy
    /// convolutions is still decided quickly (each shape is always timed once in each precision).
    static let budgetSeconds = 0.4

    /// The `shapeCount` convolutions with the most FLOPs in one `tileSize` tile of `model`,
    /// counted by a pass that skips the arithmetic (`ConvolutionCensus`). Runs `model.prepare`
    /// first, as a tile needs; an upscaler prepares again for each image.
    static func dominantConvolutions(of model: TileModel, tileSize: Int, seed: UInt64) throws -> [ConvolutionCensus.Entry] {
        let context = try ComputeContext(precision: .fp32, threads: 1)
        try model.prepare(prompt: nil, seed: seed, context: context)
        let census = ConvolutionCensus()
        context.census = census
        let tile = Tensor(zeros: [1, 3, tileSize, tileSize])
        _ = try model.upscaleTile(tile, noise: tile, context: context)
        return census.dominant(shapeCount)
    }

    /// Times `entries` (random weights and inputs of their shapes, fixed seed) on `threads`
    /// threads in both precisions; one tile's worth is each shape's best time × its calls.
    static func measure(_ entries: [ConvolutionCensus.Entry], threads: Int) throws -> PrecisionMeasurement {
        let contexts = (fp32: try ComputeContext(precision: .fp32, threads: threads),
                        bf16: try ComputeContext(precision: .bf16, threads: threads))
        var random = SplitMix64(seed: 0x9E37_79B9)
        let cases = entries.map { entry in (layer: convolution(entry.shape, &random), input: input(entry.shape, &random)) }
        var agreement = Double.infinity
        for (layer, input) in cases {  // creates each primitive, outside the timing
            let reference = try layer(input, in: contexts.fp32), rounded = try layer(input, in: contexts.bf16)
            agreement = min(agreement, psnr(reference.storage, rounded.storage))
        }
        var best = (fp32: [Double](repeating: .infinity, count: cases.count), bf16: [Double](repeating: .infinity, count: cases.count))
        let clock = ContinuousClock(), start = clock.now
        for round in 0..<rounds {
            if round > 0, seconds(clock.now - start) > budgetSeconds { break }
            for (i, (layer, input)) in cases.enumerated() {
                // Alternating which goes first evens out a clock that speeds up or a neighbour that starts.
                for bf16 in round % 2 == 0 ? [false, true] : [true, false] {
                    let elapsed = seconds(try clock.measure { _ = try layer(input, in: bf16 ? contexts.bf16 : contexts.fp32) })
                    if bf16 { best.bf16[i] = min(best.bf16[i], elapsed) } else { best.fp32[i] = min(best.fp32[i], elapsed) }
                }
            }
        }
        func tile(_ times: [Double]) -> Double { zip(entries, times).reduce(0) { $0 + Double($1.0.calls) * $1.1 } }
        return PrecisionMeasurement(shapes: entries.map(label), fp32Seconds: tile(best.fp32), bf16Seconds: tile(best.bf16),
                                    agreementDB: agreement)
    }

    /// "conv 3x3 20→20 @512x512 ×2": the shape and its calls per tile.
    static func label(_ entry: ConvolutionCensus.Entry) -> String { "\(entry.shape) ×\(entry.calls)" }

    /// A convolution of `shape` with weights uniform in ±√(3 / fan-in), so outputs keep the
    /// inputs' scale, and a small bias.
    private static func convolution(_ shape: ConvolutionCensus.Shape, _ random: inout SplitMix64) -> Conv2d {
        let fanIn = shape.inChannels * shape.kernelHeight * shape.kernelWidth
        let bound = Float((3 / Double(fanIn)).squareRoot())
        return Conv2d(weights: uniform(shape.outChannels * fanIn, bound, &random),
                      bias: uniform(shape.outChannels, 0.1, &random),
                      outChannels: shape.outChannels, inChannels: shape.inChannels,
                      kernel: (shape.kernelHeight, shape.kernelWidth), stride: (shape.strideHeight, shape.strideWidth),
                      padding: (shape.padding[0], shape.padding[1], shape.padding[2], shape.padding[3]))
    }

    private static func input(_ shape: ConvolutionCensus.Shape, _ random: inout SplitMix64) -> Tensor {
        let dims = [shape.batch, shape.inChannels, shape.height, shape.width]
        return Tensor(shape: dims, storage: uniform(dims.reduce(1, *), 1, &random))
    }

    private static func uniform(_ count: Int, _ bound: Float, _ random: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float(Double(random.next() >> 11) * 0x1p-53 * 2 - 1) * bound }
    }

    /// PSNR of `rounded` against `reference`, the peak being the reference's largest magnitude.
    static func psnr(_ reference: [Float], _ rounded: [Float]) -> Double {
        var peak = 0.0, squares = 0.0
        for (a, b) in zip(reference, rounded) {
            peak = max(peak, Double(abs(a)))
            squares += Double(a - b) * Double(a - b)
        }
        guard squares > 0 else { return .infinity }
        return 10 * log10(peak * peak / (squares / Double(reference.count)))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
