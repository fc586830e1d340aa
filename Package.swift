// swift-tools-version: 6.1
import PackageDescription

/// Which oneDNN the shim is built against. By default Debian's libdnnl-dev (2.x) on the default
/// paths. `Scripts/onednn3.sh` builds against oneDNN 3 from PyPI instead: it sets
/// GIGASCALE_ONEDNN3 to a prefix with that release's headers and its library linked as
/// `libdnnl3.so`, a name Debian's 2.x cannot shadow (the codecs' pkg-config puts the system
/// library folder first on the link line).
let oneDNN3: (cSettings: [CSetting], linkerSettings: [LinkerSetting]) = {
    guard let prefix = Context.environment["GIGASCALE_ONEDNN3"], !prefix.isEmpty else {
        return ([], [.linkedLibrary("dnnl")])
    }
    return ([.unsafeFlags(["-I\(prefix)/include"])],
            [.linkedLibrary("dnnl3"), .unsafeFlags(["-L\(prefix)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(prefix)/lib"])])
}()

let package = Package(
    name: "Gigascale",
    products: [
        .library(name: "GigaImage", targets: ["GigaImage"]),
        .library(name: "GigaEngine", targets: ["GigaEngine"]),
        .library(name: "GigaModels", targets: ["GigaModels"]),
        .library(name: "Gigascale", targets: ["Gigascale"]),
        .executable(name: "gigascale", targets: ["GigascaleCLI"]),
        .executable(name: "gigascale-bench", targets: ["GigascaleBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian's -dev packages, Homebrew on macOS).
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg62-turbo-dev"]), .brew(["jpeg-turbo"])]),
        .systemLibrary(name: "CLibTIFF", pkgConfig: "libtiff-4",
                       providers: [.apt(["libtiff-dev"]), .brew(["libtiff"])]),
        // The only C we write: setjmp/longjmp-safe entry points into libpng and libjpeg,
        // and per-handle error capture for libtiff.
        .target(name: "CCodecShims", dependencies: ["CLibPNG", "CLibJPEG", "CLibTIFF"]),

        .target(name: "GigaImage", dependencies: ["CCodecShims", "CLibPNG", "CLibJPEG", "CLibTIFF"]),
        // oneDNN (Debian's libdnnl-dev has no pkg-config file; headers and library are on the default paths).
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"]), .brew(["onednn"])]),
        // Every oneDNN call, written once for the 2.x and 3.x C APIs.
        .target(name: "CDNNLShim", dependencies: ["CDNNL"], cSettings: oneDNN3.cSettings, linkerSettings: oneDNN3.linkerSettings),
        // Our own SIMD kernels where oneDNN has none (bf16 Winograd), dispatched at run time.
        .target(name: "CKernels"),
        .target(name: "GigaEngine", dependencies: ["CDNNLShim", "CKernels"]),
        // The GigaGAN-8x generator, its text encoder, and AuraSR-compatible loading.
        .target(name: "GigaModels", dependencies: ["GigaEngine"]),
        // The public library: tiled, streaming, texture-consistent upscaling.
        .target(name: "Gigascale", dependencies: ["GigaModels", "GigaImage"]),
        .executableTarget(
            name: "GigascaleCLI",
            dependencies: ["Gigascale", "GigaImage", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // Fixtures live in Tests/Fixtures and are found through #filePath, not bundled.
        // Speed measurements: `swift run -c release gigascale-bench engine`.
        .executableTarget(
            name: "GigascaleBench",
            dependencies: ["Gigascale", "GigaModels", "GigaEngine", "GigaImage", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        .testTarget(name: "GigaImageTests", dependencies: ["GigaImage"]),
        .testTarget(name: "GigaEngineTests", dependencies: ["GigaEngine"]),
        .testTarget(name: "GigaModelsTests", dependencies: ["GigaModels"]),
        .testTarget(name: "GigascaleTests", dependencies: ["Gigascale"]),
        // Runs the built `gigascale` executable end to end; depends on it so it is built first,
        // and on the benchmark for its child-process runner, which reports a child's peak memory.
        .testTarget(name: "GigascaleCLITests", dependencies: ["GigascaleCLI", "GigascaleBench"]),
        // The benchmark's own logic (tile plan sent to PyTorch); never a timing.
        .testTarget(name: "GigascaleBenchTests", dependencies: ["GigascaleBench"]),
    ]
)
