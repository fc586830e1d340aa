import Foundation
import GigaImage
import Testing
@testable import Gigascale

/// ncnn graphs in the library's catalog: found by name, described from their text, loaded as
/// weights files, and pre-enlarged when asked for a whole multiple of their scale.
@Suite struct NCNNCatalogTests {
    private let folder: URL
    private let catalog: ModelCatalog

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-ncnn-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for ending in ["param", "bin"] {
            try FileManager.default.copyItem(atPath: NCNNModelTests.folder + "/realesr-animevideov3-x4.\(ending)",
                                             toPath: folder.appendingPathComponent("anime4.\(ending)").path)
        }
        try FileManager.default.copyItem(atPath: NCNNModelTests.folder + "/realesr-animevideov3-x2.param",
                                         toPath: folder.appendingPathComponent("orphan.param").path)
        catalog = ModelCatalog(environment: ["GIGASCALE_MODELS": folder.path], programPath: "/nonexistent/bin/gigascale")
    }

    @Test func namesAndPathsResolveToTheParam() throws {
        let path = folder.appendingPathComponent("anime4.param").path
        #expect(try catalog.reference(for: "anime4") == .weightsFile(path: path))
        #expect(try catalog.reference(for: "anime4").displayName == "anime4")
        #expect(try catalog.reference(for: "some.param") == .weightsFile(path: "some.param"))
        #expect(catalog.availableNames.contains("anime4"))
    }

    @Test func theListingReadsScaleParametersAndLayersFromTheText() throws {
        let (models, skipped) = catalog.descriptions()
        let anime = try #require(models.first { $0.name == "anime4" })
        #expect(anime.scale == "4" && anime.layers == 40 && anime.tile == "any")
        // 16 convolutions 64→64 3x3 with bias, the first 3→64, the last 64→48, and 17 PReLUs of 64.
        #expect(anime.parameters == (64 * 3 * 9 + 64) + 16 * (64 * 64 * 9 + 64) + (48 * 64 * 9 + 48) + 17 * 64)
        #expect(skipped.contains { $0.file.hasSuffix("orphan.param") && $0.reason.contains("orphan.bin are missing") })
    }

    @Test func aWholeMultipleOfTheScaleEnlargesWithBicubicFirst() throws {
        let reference = try catalog.reference(for: "anime4")
        let native = try UpscalerSource(model: reference, options: UpscaleOptions(), catalog: catalog)
        #expect(native.nativeScale == 4 && native.preEnlargement == 1 && native.tileSize == 128)
        let eight = try UpscalerSource(model: reference, options: UpscaleOptions(outputSize: .scale(8)), catalog: catalog)
        #expect(eight.nativeScale == 8 && eight.preEnlargement == 2 && eight.tileSize == 64)
        let image = Image(width: 6, height: 5, planes: [[Float]](repeating: [Float](repeating: 0.5, count: 30), count: 3))
        #expect(try eight.upscaler(for: image).outputSize(for: image) == (48, 40))
        // Not a whole multiple: refused as any request above the native scale is.
        #expect(throws: GigascaleError.self) {
            try UpscalerSource(model: reference, options: UpscaleOptions(outputSize: .scale(6)), catalog: catalog).upscaler(for: image).outputSize(for: image)
        }
    }

    @Test func aBrokenGraphIsAnErrorNamingItsFile() throws {
        let path = folder.appendingPathComponent("broken.param").path
        try Data("7767517\n1 1\nSwish s 0 1 data\n".utf8).write(to: URL(fileURLWithPath: path))
        try Data().write(to: folder.appendingPathComponent("broken.bin"))
        let error = #expect(throws: GigascaleError.self) {
            try UpscalerSource(model: .weightsFile(path: path), options: UpscaleOptions(), catalog: catalog)
        }
        #expect(error?.message.hasPrefix(path + ": line 3: layer 's' (Swish)") == true, "\(error?.message ?? "")")
    }
}
