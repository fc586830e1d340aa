import Foundation
import GigaImage
import Testing
@testable import Gigascale

/// The library's model catalog and the upscalers it hands out, on a folder of its own.
@Suite struct ModelCatalogTests {
    private let folder: URL
    private let catalog: ModelCatalog

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: GigaGANModelTests.weights, toPath: folder.appendingPathComponent("tiny.safetensors").path)
        try FileManager.default.copyItem(atPath: GigaGANModelTests.textEncoder, toPath: folder.appendingPathComponent("text-encoder").path)
        catalog = ModelCatalog(environment: ["GIGASCALE_MODELS": folder.path], programPath: "/nonexistent/bin/gigascale")
    }

    @Test func namesPathsAndResamplersResolve() throws {
        #expect(try catalog.reference(for: "bicubic") == .classical(.bicubic))
        #expect(try catalog.reference(for: "tiny") == .weightsFile(path: folder.appendingPathComponent("tiny.safetensors").path))
        #expect(try catalog.reference(for: "x/y.safetensors") == .weightsFile(path: "x/y.safetensors"))
        #expect(try catalog.reference(for: "tiny").displayName == "tiny")
        #expect(catalog.availableNames.prefix(3) == ["lanczos", "bicubic", "tiny"])
        #expect(catalog.defaultTextEncoderDirectory == folder.path + "/text-encoder")
        let error = #expect(throws: GigascaleError.self) { try catalog.reference(for: "no-such-model") }
        #expect(error?.message.hasPrefix("unknown model 'no-such-model'; available: lanczos, bicubic, tiny") == true)
    }

    /// A $GIGASCALE_MODELS of ncnn models only (no text encoder) still runs GigaGAN files: the
    /// encoder comes from the next folder that has one, here the checkout's Models/.
    @Test func theTextEncoderComesFromTheFirstFolderThatHasOne() throws {
        let ncnnOnly = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-ncnn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: ncnnOnly, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: ncnnOnly) }
        let other = ModelCatalog(environment: ["GIGASCALE_MODELS": ncnnOnly.path], programPath: "/nonexistent/bin/gigascale")
        #expect(other.defaultTextEncoderDirectory == ModelCatalog.checkoutModels + "/text-encoder")
        #expect(FileManager.default.fileExists(atPath: other.defaultTextEncoderDirectory + "/vocab.txt"))
    }

    @Test func theEnvironmentChoosesTheDefault() throws {
        let chosen = ModelCatalog(environment: ["GIGASCALE_MODELS": folder.path, "GIGASCALE_MODEL": "tiny"], programPath: "/x/gigascale")
        #expect(try chosen.reference(for: nil) == .weightsFile(path: folder.appendingPathComponent("tiny.safetensors").path))
        #expect(ModelCatalog(environment: ["GIGASCALE_MODELS": folder.path, "GIGASCALE_MODEL": ""], programPath: "/x/gigascale")
            .environmentDefault == nil)
    }

    @Test func describesEveryModelFromHeadersAlone() throws {
        try Data("not safetensors".utf8).write(to: folder.appendingPathComponent("broken.safetensors"))
        let (models, skipped) = catalog.descriptions()
        // The checkout's Models/ comes after $GIGASCALE_MODELS.
        #expect(models.prefix(3).map(\.name) == ["lanczos", "bicubic", "tiny"])
        #expect(models[2].scale == "8" && models[2].tile == "64" && models[2].parameters > 0)
        #expect(skipped.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["broken.safetensors"])
    }

    /// A weights file is loaded once and shared; a resampler is built per image at the smallest
    /// whole factor its requested size needs, and checks its options before any image.
    @Test func upscalerSourcesLoadOnceOrBuildPerImage() throws {
        let gan = try UpscalerSource(model: try catalog.reference(for: "tiny"), options: UpscaleOptions(), catalog: catalog)
        let image = Image(width: 10, height: 20, planes: [[Float]](repeating: [Float](repeating: 0.5, count: 200), count: 3))
        #expect(gan.nativeScale == 8 && gan.tileSize == 64)
        #expect(try gan.upscaler(for: image) === gan.upscaler(for: image))
        let lanczos = try UpscalerSource(model: .classical(.lanczos), options: UpscaleOptions(outputSize: .width(35)), catalog: catalog)
        #expect(try lanczos.upscaler(for: image).nativeScale == 4)
        #expect(throws: GigascaleError.self) {
            try UpscalerSource(model: .classical(.lanczos), options: UpscaleOptions(tileSize: 16, overlap: 9), catalog: catalog)
        }
        let missing = #expect(throws: GigascaleError.self) {
            try UpscalerSource(model: .weightsFile(path: "/nonexistent.safetensors"), options: UpscaleOptions(), catalog: catalog)
        }
        #expect(missing?.namesItsFile == true && missing?.message.contains("/nonexistent.safetensors") == true)
    }
}
