import Foundation
import GigaEngine
import GigaImage
import Testing
@testable import Gigascale

@Suite struct UpscalerTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Samples")

    private let photo: Image

    init() throws { photo = try ImageReader.read(path: Self.samples.appendingPathComponent("face-128.png").path) }

    private func psnr(_ a: Image, _ b: Image) -> Double { TilingDiagnostics.psnr(a, b) }

    @Test func anImageThatFitsOneTileGivesExactlyTheUntiledResult() async throws {
        let model = ResamplingModel(filter: .lanczos3, scale: 4)
        let tiled = try await Upscaler(model: model, options: UpscaleOptions(tileSize: 256)).upscale(photo)
        let direct = photo.resized(width: 512, height: 512, filter: .lanczos3)
        #expect(tiled.width == 512 && tiled.height == 512)
        #expect(tiled.planes == direct.planes)
    }

    @Test func manySeamsStayInvisible() async throws {
        let model = ResamplingModel(filter: .lanczos3, scale: 4)
        let untiled = try await Upscaler(model: model, options: UpscaleOptions(tileSize: 256)).upscale(photo)
        let upscaler = try Upscaler(model: model, options: UpscaleOptions(tileSize: 32, overlap: 8))
        #expect(upscaler.tileCount(for: photo) == 25)
        let tiled = try await upscaler.upscale(photo)
        // Lanczos renormalises at a tile's edge, so tiles differ from the whole image only there,
        // where the blend gives them little weight. Measured: 78.3 dB.
        #expect(psnr(tiled, untiled) > 70)
        // The seam score of the tiled result against that of the untiled one along the same lines
        // (the photo's own content gives 1.057 there). Measured: 1.0576 against 1.0569.
        let borders = upscaler.tileBorders(for: photo)
        #expect(borders.columns.count == 8 && borders.rows.count == 8)
        let tiledScore = TilingDiagnostics.seamScore(tiled, columns: borders.columns, rows: borders.rows)
        let contentScore = TilingDiagnostics.seamScore(untiled, columns: borders.columns, rows: borders.rows)
        #expect(abs(tiledScore / contentScore - 1) < 0.02)
    }

    @Test func twoTilingsAgreeAndTheResultDoesNotDependOnThreads() async throws {
        let model = ResamplingModel(filter: .lanczos3, scale: 4)
        let a = try await Upscaler(model: model, options: UpscaleOptions(tileSize: 32, overlap: 8, threads: 1)).upscale(photo)
        let b = try await Upscaler(model: model, options: UpscaleOptions(tileSize: 48, overlap: 12, threads: 2)).upscale(photo)
        let c = try await Upscaler(model: model, options: UpscaleOptions(tileSize: 32, overlap: 8, threads: 2)).upscale(photo)
        #expect(psnr(a, b) > 70)   // measured 77.9 dB
        #expect(a == c)
    }

    @Test func rowsStreamOutInBandsAndProgressCountsEveryTile() async throws {
        final class BandRecorder: ImageRowSink {
            var heights: [Int] = []
            var finished = false
            func write(_ band: Image) throws { heights.append(band.height) }
            func finish() throws { finished = true }
        }
        let recorder = BandRecorder()
        nonisolated(unsafe) var reports: [UpscaleProgress] = []
        let upscaler = try Upscaler(model: ResamplingModel(scale: 2), options: UpscaleOptions(tileSize: 48, overlap: 8))
        try await upscaler.upscale(photo, into: recorder) { reports.append($0) }
        #expect(recorder.finished)
        #expect(recorder.heights.count == 3)
        #expect(recorder.heights.reduce(0, +) == 256)
        #expect(reports.map(\.tilesDone) == Array(1...9))
        #expect(reports.allSatisfy { $0.tilesTotal == 9 })
    }

    @Test func grayStaysGrayAndAlphaIsResampledWithLanczos() async throws {
        var image = Image(width: 20, height: 12, planes: [photo.planes[1].prefix(240).map { $0 }],
                          alpha: (0..<240).map { Float($0 % 20) / 19 })
        image.metadata.bitDepth = 16
        let result = try await Upscaler(model: ResamplingModel(scale: 3), options: UpscaleOptions(tileSize: 16, overlap: 4)).upscale(image)
        #expect(result.isGray && result.width == 60 && result.height == 36)
        #expect(result.alpha == Image(width: 20, height: 12, planes: [image.alpha!]).resized(width: 60, height: 36, filter: .lanczos3).planes[0])
        #expect(result.metadata.bitDepth == 16)
    }

    @Test func cancellationStopsTheImageAndLeavesNoFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-cancel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let upscaler = try Upscaler(model: ResamplingModel(scale: 4), options: UpscaleOptions(tileSize: 16, overlap: 4))
        let writer = try ImageWriter(path: directory.appendingPathComponent("out.png").path, settings: .defaults(for: .png),
                                     header: try upscaler.outputHeader(for: photo))
        nonisolated(unsafe) let (unsafeUpscaler, unsafeWriter, image) = (upscaler, writer, photo)
        let task = Task {
            try await unsafeUpscaler.upscale(image, into: unsafeWriter) { progress in
                if progress.tilesDone == 3 { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        writer.cancel()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func refusesOptionsThatCannotWork() {
        #expect(throws: GigascaleError.self) { try Upscaler(model: ResamplingModel(), options: UpscaleOptions(tileSize: 32, overlap: 17)) }
    }
}
