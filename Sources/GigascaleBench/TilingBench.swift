import ArgumentParser
import Foundation
import GigaImage
import Gigascale

/// `gigascale-bench tiling`: seams, consistency between tilings, and memory against output size.
struct TilingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiling",
        abstract: "Measure seams, tiling consistency and peak memory of the tiled, streaming upscaler.",
        discussion: """
            Uses the Lanczos model until a trained generator ships. Memory: a sample photo is \
            resized to each input size and upscaled straight into a PNG; peak RSS is read from \
            /proc/self/status (VmHWM), reset before each size. Tile workers: the GigaGAN weights \
            (--gan) on a --workers-input photo, one tile at a time on all cores against one tile \
            per core with one thread each, run alternately --rounds times; medians are printed.
            """
    )

    @Option(help: "GigaGAN weights for the seam and tile-workers measurements ('' skips them).")
    var gan: String = BenchInputs.defaultWeights

    @Option(help: "Input side (square) for the tile-workers measurement.")
    var workersInput: Int = 160

    @Option(help: "Input side (square) for the GigaGAN seam measurement.")
    var ganSeamsInput: Int = 320

    @Option(help: "Tile overlaps (LR px) compared in the GigaGAN seam measurement.")
    var ganOverlaps: [Int] = [8, 16, 24]

    @Option(help: "Alternating rounds of the tile-workers measurement.")
    var rounds: Int = 5

    @Option(help: "Input sizes (square) for the memory table.")
    var sizes: [Int] = [128, 256, 512, 1024]

    @Option(help: "Upscaling factor.")
    var scale: Int = 8

    func run() async throws {
        let photo = try ImageReader.read(path: BenchInputs.checkoutPath(BenchInputs.defaultPhoto))
        try await printSeams(photo.resized(width: 128, height: 128, filter: .lanczos3))
        print("")
        try await printMemory(photo)
        if !gan.isEmpty {
            print("")
            try await printGANSeams(photo.resized(width: ganSeamsInput, height: ganSeamsInput, filter: .lanczos3))
            print("")
            try await printWorkers(photo.resized(width: workersInput, height: workersInput, filter: .lanczos3))
        }
    }

    /// One tile at a time with every core on each op, against one tile per core with one thread
    /// each, alternating A and B so that a background load hits both alike.
    private func printWorkers(_ image: Image) async throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let configurations = [(workers: 1, threads: cores), (workers: cores, threads: cores)]
        let upscalers = try configurations.map { configuration in
            try BenchInputs.upscaler(weights: gan,
                         options: UpscaleOptions(threads: configuration.threads, tileWorkers: configuration.workers))
        }
        var seconds = [[Double]](repeating: [], count: configurations.count)
        var outputs = [Image?](repeating: nil, count: configurations.count)
        for round in 0...rounds {
            for (index, upscaler) in upscalers.enumerated() {
                let start = Date()
                let output = try await upscaler.upscale(image, prompt: "a photo")
                // Round 0 warms up (primitive creation, page faults) and is not counted.
                if round > 0 { seconds[index].append(Date().timeIntervalSince(start)) }
                outputs[index] = output
            }
        }
        let tiles = upscalers[0].tileCount(for: image)
        print("| tiles at once x threads each (\(image.width)² in, \(tiles) GigaGAN tiles, \(rounds) rounds) | median s | min s | max s |")
        print("|---|---:|---:|---:|")
        for (index, upscaler) in upscalers.enumerated() {
            let sorted = seconds[index].sorted()
            print("| \(upscaler.tileWorkers) x \(max(1, configurations[index].threads / upscaler.tileWorkers)) | \(String(format: "%.2f", sorted[sorted.count / 2])) | \(String(format: "%.2f", sorted.first!)) | \(String(format: "%.2f", sorted.last!)) |")
        }
        print("outputs of the two schedules \(outputs[0] == outputs[1] ? "are byte-identical" : "differ (oneDNN's results depend on its thread count)")")
    }

    /// The GigaGAN weights at several tile overlaps: how visible the tile borders are (each
    /// tiling's seam score along its own borders, over the score along the same lines in the
    /// next tiling's output, where they are not borders) and how far the outputs differ.
    private func printGANSeams(_ image: Image) async throws {
        var runs: [(overlap: Int, image: Image, upscaler: Upscaler)] = []
        for overlap in ganOverlaps {
            let upscaler = try BenchInputs.upscaler(weights: gan,
                                        options: UpscaleOptions(overlap: overlap))
            let collector = BandCollector()
            try await upscaler.upscale(image, prompt: "a photo", into: collector)
            runs.append((overlap, collector.image(width: image.width * upscaler.model.scale, metadata: image.metadata), upscaler))
        }
        let reference = runs[runs.count / 2]
        print("| \(URL(fileURLWithPath: gan).lastPathComponent), \(image.width)² → \(image.width * 8)², overlap (LR px) | tiles | seam score own borders / same lines elsewhere | PSNR vs overlap \(reference.overlap) |")
        print("|---|---:|---:|---:|")
        for (index, run) in runs.enumerated() {
            let other = runs[(index + 1) % runs.count]
            let borders = run.upscaler.tileBorders(for: image)
            let seam = TilingDiagnostics.seamScore(run.image, columns: borders.columns, rows: borders.rows)
            let elsewhere = TilingDiagnostics.seamScore(other.image, columns: borders.columns, rows: borders.rows)
            let psnr = run.overlap == reference.overlap ? "–" : String(format: "%.1f dB", TilingDiagnostics.psnr(run.image, reference.image))
            print("| \(run.overlap) | \(run.upscaler.tileCount(for: image)) | \(String(format: "%.3f", seam / elsewhere)) | \(psnr) |")
        }
    }

    private func upscale(_ image: Image, tile: Int, overlap: Int) async throws -> (Image, Upscaler) {
        let upscaler = try Upscaler(model: ResamplingModel(scale: scale), options: UpscaleOptions(tileSize: tile, overlap: overlap))
        let collector = BandCollector()
        try await upscaler.upscale(image, into: collector)
        return (collector.image(width: image.width * scale, metadata: image.metadata), upscaler)
    }

    private func printSeams(_ image: Image) async throws {
        let (untiled, _) = try await upscale(image, tile: 1024, overlap: 0)
        let (tiled, upscaler) = try await upscale(image, tile: 32, overlap: 8)
        let (other, _) = try await upscale(image, tile: 48, overlap: 12)
        let borders = upscaler.tileBorders(for: image)
        let seam = TilingDiagnostics.seamScore(tiled, columns: borders.columns, rows: borders.rows)
        let content = TilingDiagnostics.seamScore(untiled, columns: borders.columns, rows: borders.rows)
        print("| measure (128² photo, x\(scale), Lanczos model) | value |")
        print("|---|---:|")
        print("| PSNR tiled (32 px tiles, 8 overlap) vs untiled | \(String(format: "%.1f", TilingDiagnostics.psnr(tiled, untiled))) dB |")
        print("| seam score tiled / untiled along the tile lines | \(String(format: "%.4f", seam / content)) |")
        print("| PSNR 32-px tiling vs 48-px tiling | \(String(format: "%.1f", TilingDiagnostics.psnr(tiled, other))) dB |")
    }

    private func printMemory(_ photo: Image) async throws {
        print("| input | output | output MP | seconds | peak RSS MB |")
        print("|---|---|---:|---:|---:|")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Native output for every size, then the largest once more downscaled to fit 4K as it
        // streams: the peak must stay that of the native bands, not of the native image.
        let runs = sizes.map { ($0, OutputSize.native) } + (sizes.max().map { [($0, OutputSize.fit4K)] } ?? [])
        for (size, outputSize) in runs {
            let input = photo.resized(width: size, height: size, filter: .lanczos3)
            PeakMemory.reset()
            let start = Date()
            let upscaler = try Upscaler(model: ResamplingModel(scale: scale), options: UpscaleOptions(outputSize: outputSize))
            let header = try upscaler.outputHeader(for: input)
            let writer = try ImageWriter(path: directory.appendingPathComponent("out.png").path,
                                         settings: .png(PNGEncodeOptions(compressionLevel: 1)), header: header)
            try await upscaler.upscale(input, into: writer)
            let seconds = Date().timeIntervalSince(start)
            let out = outputSize == .native ? "\(header.width)²" : "\(size * scale)² → \(header.width)x\(header.height) (fit 4K)"
            print("| \(size)² | \(out) | \(String(format: "%.1f", Double(header.width * header.height) / 1e6)) | \(String(format: "%.1f", seconds)) | \(PeakMemory.megabytes) |")
        }
    }
}

/// Gathers streamed bands (the library's own collector is internal).
final class BandCollector: ImageRowSink {
    private var planes: [[Float]] = []
    private var rows = 0
    func write(_ band: Image) throws {
        if planes.isEmpty { planes = Array(repeating: [], count: band.colorChannelCount) }
        for c in planes.indices { planes[c].append(contentsOf: band.planes[c]) }
        rows += band.height
    }
    func finish() throws {}
    func image(width: Int, metadata: ImageMetadata) -> Image {
        Image(width: width, height: rows, planes: planes, metadata: metadata)
    }
}

/// Peak resident memory of this process (Linux: VmHWM, resettable through clear_refs).
enum PeakMemory {
    static func reset() { try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) }

    static var megabytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kilobytes / 1024
    }
}

