import Foundation
import GigaEngine
import Testing
@testable import Gigascale

/// The measurement behind `.auto` on the real engine: which convolutions it finds in a model, that
/// finding them changes nothing, and that an upscaler chooses once and then reads its cache. No
/// timing is asserted.
@Suite struct PrecisionProbeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func model() throws -> GigaGANModel {
        try GigaGANModel(weightsPath: Self.root.appendingPathComponent("Tests/Fixtures/models/gigagan-tiny.safetensors").path,
                         textEncoderDirectory: Self.root.appendingPathComponent("Models/text-encoder").path)
    }

    private func tile(_ model: GigaGANModel, profiler: LayerProfiler? = nil) throws -> Tensor {
        let context = try ComputeContext(precision: .fp32, threads: 1)
        try model.prepare(prompt: nil, seed: 5, context: context)
        context.profiler = profiler
        var random = SplitMix64(seed: 1)
        let input = Tensor(shape: [1, 3, 32, 32], storage: (0..<3 * 32 * 32).map { _ in Float(random.next() % 1000) / 1000 })
        return try model.upscaleTile(input, noise: Tensor(zeros: [1, 3, 32, 32]), context: context)
    }

    @Test func theCensusCountsTheConvolutionsARealTileRuns() throws {
        let profiler = LayerProfiler()
        _ = try tile(try model(), profiler: profiler)
        var ran = [String: Int]()
        for layer in profiler.layers where layer.kind.hasPrefix("conv ") {
            // Convolutions on Gigascale's own kernels name the kernel after their "@HxW" size.
            let words = layer.kind.split(separator: " ")
            let shape = words.prefix(through: words.firstIndex { $0.hasPrefix("@") } ?? words.endIndex - 1)
            ran[shape.joined(separator: " "), default: 0] += layer.calls
        }

        let context = try ComputeContext(precision: .fp32, threads: 1)
        let census = ConvolutionCensus()
        let counted = try model()
        try counted.prepare(prompt: nil, seed: 5, context: context)
        context.census = census
        _ = try counted.upscaleTile(Tensor(zeros: [1, 3, 32, 32]), noise: Tensor(zeros: [1, 3, 32, 32]), context: context)
        var seen = [String: Int]()
        for entry in census.entries {
            // The profiler's kind has no stride.
            let kind = entry.shape.description.replacingOccurrences(of: " /\(entry.shape.strideHeight)", with: "")
            seen[kind, default: 0] += entry.calls
        }
        #expect(!seen.isEmpty)
        #expect(seen == ran)
    }

    @Test func theDominantShapesComeLargestFirst() throws {
        let shapes = try PrecisionProbe.dominantConvolutions(of: try model(), tileSize: 64, seed: 0)
        #expect(shapes.count == PrecisionProbe.shapeCount)
        #expect(zip(shapes, shapes.dropFirst()).allSatisfy { $0.flops >= $1.flops })
        #expect(shapes[0].shape.height == 512)  // the tiny config also ends at 8 × 64 px
    }

    @Test func theCensusLeavesTheModelAsItWas() throws {
        let probed = try model()
        _ = try PrecisionProbe.dominantConvolutions(of: probed, tileSize: 32, seed: 0)
        #expect(try tile(probed) == tile(try model()))
    }

    @Test(.enabled(if: ComputeContext.supportsBF16, "this CPU has no bf16 instructions"))
    func aRealMeasurementTimesBothPrecisionsAndTheyAgree() throws {
        let shapes = [ConvolutionCensus.Entry(shape: .init(inChannels: 16, outChannels: 16, height: 64, width: 64,
                                                           kernelHeight: 3, kernelWidth: 3, padding: [1, 1, 1, 1]), calls: 2),
                      ConvolutionCensus.Entry(shape: .init(inChannels: 32, outChannels: 64, height: 32, width: 32, kernelHeight: 3,
                                                           kernelWidth: 3, strideHeight: 2, strideWidth: 2, padding: [1, 1, 1, 1]), calls: 1)]
        let measurement = try PrecisionProbe.measure(shapes, threads: 1)
        #expect(measurement.fp32Seconds > 0 && measurement.bf16Seconds > 0)
        #expect(measurement.agreementDB >= PrecisionMeasurement.agreementBarDB)
        #expect(measurement.shapes == ["conv 3x3 16→16 @64x64 ×2", "conv 3x3 32→64 @32x32 /2 ×1"])
    }

    @Test func anUpscalerChoosesOnceThenReadsItsCache() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-precision-\(UUID().uuidString)").path
        let options = UpscaleOptions(tileSize: 32, precision: .auto, threads: 1, precisionCacheDirectory: directory)
        let first = try Upscaler(model: try model(), options: options).precisionChoice
        let second = try Upscaler(model: try model(), options: options).precisionChoice
        if ComputeContext.supportsBF16 {
            #expect(first.basis == .measured && second.basis == .cached)
            #expect(first.precision == second.precision && first.cacheFile == second.cacheFile)
            #expect(first.cacheFile?.hasPrefix(directory + "/precision-") == true)
        } else {
            #expect(first.basis == .noBF16 && second.basis == .noBF16 && first.precision == .fp32)
        }
        var forced = options
        forced.precision = .fp32
        #expect(try Upscaler(model: try model(), options: forced).precisionChoice == PrecisionChoice(precision: .fp32, basis: .forced))
    }

    /// The census is kept under the model's architecture and tile size: the first choice writes
    /// what the census found, and a later one measures the shapes read back from that file
    /// (here a planted one) without counting again.
    @Test func theCensusIsCachedUnderTheArchitecture() throws {
        let cache = PrecisionCache(directory: FileManager.default.temporaryDirectory
            .appendingPathComponent("gigascale-census-\(UUID().uuidString)").path)
        var measured: [[String]] = []
        let chooser = PrecisionChooser(cache: cache, cpuHasBF16: true) { shapes, _ in
            measured.append(shapes.map(PrecisionProbe.label))
            return PrecisionMeasurement(shapes: shapes.map(PrecisionProbe.label), fp32Seconds: 2, bf16Seconds: 1, agreementDB: 60)
        }
        let tiny = try model()
        let key = CensusKey(architecture: try #require(tiny.architecture), tileSize: 32)
        _ = try chooser.choose(.auto, for: tiny, tileSize: 32, threads: 1)
        let counted = try PrecisionProbe.dominantConvolutions(of: try model(), tileSize: 32, seed: 0)
        #expect(cache.loadCensus(key) == counted)
        #expect(cache.loadCensus(CensusKey(architecture: key.architecture, tileSize: 64)) == nil)

        let planted = [ConvolutionCensus.Entry(shape: .init(inChannels: 8, outChannels: 8, height: 16, width: 16,
                                                            kernelHeight: 3, kernelWidth: 3, padding: [1, 1, 1, 1]), calls: 7)]
        #expect(cache.storeCensus(planted, for: key) == nil)
        try FileManager.default.removeItem(atPath: cache.directory + "/" + PrecisionKey(threads: 1, shapes: measured[0]).fileName)
        _ = try chooser.choose(.auto, for: try model(), tileSize: 32, threads: 1)
        #expect(measured == [counted.map(PrecisionProbe.label), ["conv 3x3 8→8 @16x16 ×7"]])
    }

    @Test func theArchitectureIsTheConfigNotTheWeights() throws {
        let shipped = try GigaGANModel(weightsPath: Self.root.appendingPathComponent("Models/gigagan-8x-s.safetensors").path,
                                       textEncoderDirectory: Self.root.appendingPathComponent("Models/text-encoder").path)
        let sameConfig = try GigaGANModel(weightsPath: Self.root.appendingPathComponent("Models/gigagan-8x-s-psnr.safetensors").path,
                                          textEncoderDirectory: Self.root.appendingPathComponent("Models/text-encoder").path)
        #expect(try model().architecture == model().architecture)
        #expect(try model().architecture != shipped.architecture)
        #expect((shipped.generator.config == sameConfig.generator.config) == (shipped.architecture == sameConfig.architecture))
    }
}
