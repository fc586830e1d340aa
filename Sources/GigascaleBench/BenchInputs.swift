import ArgumentParser
import Foundation
import GigaEngine
import GigaImage
import Gigascale

/// Where the benchmarks find the checkout's files, and the square test photos they make from them.
enum BenchInputs {
    /// The source checkout this program was built from.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `path` itself when it is absolute or exists from the current folder, else `path` inside
    /// the checkout (so the defaults work from anywhere).
    static func checkoutPath(_ path: String) -> String {
        path.hasPrefix("/") || FileManager.default.fileExists(atPath: path) ? path : repositoryRoot.appendingPathComponent(path).path
    }

    /// The default GigaGAN weights, relative to the checkout: the first built-in default model
    /// it has (`BuiltInModels.defaultNames`), else the last of them, whose absence then gets the
    /// loader's own error.
    static var defaultWeights: String {
        let candidates = BuiltInModels.defaultNames.map { "Models/\($0).safetensors" }
        return candidates.first { FileManager.default.fileExists(atPath: checkoutPath($0)) } ?? candidates[candidates.count - 1]
    }

    /// An upscaler for the weights file `weights` (checkout-relative or absolute), built the way
    /// the `gigascale` command builds it, with the text encoder in `textEncoder`.
    static func upscaler(weights: String, textEncoder: String = "Models/text-encoder", options: UpscaleOptions) throws -> Upscaler {
        let source = try UpscalerSource(model: .weightsFile(path: checkoutPath(weights)), options: options,
                                        textEncoderDirectory: checkoutPath(textEncoder))
        return try source.upscaler(for: Image(width: 1, height: 1, planes: [[0], [0], [0]]))
    }

    /// The `gigascale` program a benchmark runs: `given` (its --gigascale or --binary option),
    /// else `$GIGASCALE_BIN`, else the one in this program's folder (the same build).
    static func gigascaleExecutable(_ given: String?) throws -> String {
        let own = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let path = given ?? ProcessInfo.processInfo.environment["GIGASCALE_BIN"]
            ?? own.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("gigascale").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError("\(path): no gigascale executable there; build it (swift build -c release --product gigascale), or name one with the option or GIGASCALE_BIN")
        }
        return path
    }

    /// The precisions a comma-separated `--precisions` names, or fp32 and, where the CPU has it,
    /// bf16 when it is not given.
    static func precisions(_ list: String?) throws -> [Precision] {
        guard let list else { return ComputeContext.supportsBF16 ? [.fp32, .bf16] : [.fp32] }
        return try list.split(separator: ",").map { name in
            guard let precision = Precision(rawValue: String(name)) else { throw ValidationError("unknown precision '\(name)'") }
            return precision
        }
    }

    /// The float32 values (native byte order) a baseline server wrote to `path`.
    static func floats(atPath path: String) throws -> [Float] {
        try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// The largest absolute difference between two outputs, or infinity when their sizes differ.
    static func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
        a.count == b.count ? zip(a, b).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) } : .infinity
    }

    /// The default photo: a real 512² RGB sample.
    static let defaultPhoto = "Samples/astronaut.png"

    /// A `side`² photo made from `photo`: its centred square, area-averaged down to `side` (box
    /// filter), or enlarged with Lanczos-3 when the square is smaller than `side`.
    static func square(_ photo: Image, side: Int) -> Image {
        let cropped = centreCrop(photo, side: min(photo.width, photo.height))
        if cropped.width == side { return cropped }
        return cropped.resized(width: side, height: side, filter: cropped.width > side ? .box : .lanczos3)
    }

    /// The centred `side`² square of `image` (`side` at most its width and height).
    static func centreCrop(_ image: Image, side: Int) -> Image {
        precondition(side > 0 && side <= min(image.width, image.height))
        if image.width == side && image.height == side { return image }
        let x0 = (image.width - side) / 2, y0 = (image.height - side) / 2
        func crop(_ plane: [Float]) -> [Float] {
            var out = [Float](); out.reserveCapacity(side * side)
            for y in y0..<(y0 + side) { out.append(contentsOf: plane[(y * image.width + x0)..<(y * image.width + x0 + side)]) }
            return out
        }
        return Image(width: side, height: side, planes: image.planes.map(crop), alpha: image.alpha.map(crop),
                     metadata: image.metadata)
    }
}
