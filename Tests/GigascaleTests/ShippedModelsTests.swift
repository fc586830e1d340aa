import Foundation
import GigaImage
import Testing
@testable import Gigascale

/// Every trained model in Models/ does what it ships for: on real photos reduced 8x by area
/// averaging (as `Training/eval/eval.py` does), its 8x is closer to the photo than bicubic's.
/// Measured on 2026-12-03 (fp32, PSNR-Y, 8 px border): bicubic / gigagan-8x-s-psnr / gigagan-8x-s
/// astronaut 23.08 / 23.54 / 23.73 dB, chelsea 28.01 / 28.44 / 28.32, coffee 24.99 / 25.28 / 25.35.
/// A model exported from the wrong checkpoint, in the wrong layout or with broken weights falls
/// far below bicubic.
@Suite struct ShippedModelsTests {
    static let root = GigaGANModelTests.root
    static let photos = ["astronaut.png", "chelsea.png", "coffee.jpg"]
    /// Well under every measured margin (0.31–0.65 dB), well over a blurred or noisy output.
    static let requiredGain = 0.15

    static var installed: [String] {
        BuiltInModels.defaultNames.filter { FileManager.default.fileExists(atPath: weightsPath($0)) }
    }

    static func weightsPath(_ name: String) -> String { root.appendingPathComponent("Models/\(name).safetensors").path }

    @Test func bothShippedModelsAreInstalled() {
        #expect(Self.installed == BuiltInModels.defaultNames)
    }

    @Test(arguments: installed)
    func beatsBicubicOnRealPhotos(name: String) async throws {
        let model = try GigaGANModel(weightsPath: Self.weightsPath(name), textEncoderDirectory: GigaGANModelTests.textEncoder)
        let ours = try Upscaler(model: model, options: UpscaleOptions(seed: 1))
        let bicubic = try Upscaler(model: ResamplingModel(filter: .bicubic, scale: 8))
        for photo in Self.photos {
            let original = try ImageReader.read(path: Self.root.appendingPathComponent("Samples/\(photo)").path)
            let (small, reference) = Self.areaReduced(original, by: 8)
            let gain = Self.psnrY(try await ours.upscale(small, prompt: nil), reference)
                - Self.psnrY(try await bicubic.upscale(small, prompt: nil), reference)
            #expect(gain >= Self.requiredGain, "\(name) on \(photo): \(gain) dB over bicubic")
        }
    }

    /// The photo's top-left part that is a whole number of `factor` blocks, and that part averaged
    /// over each block (the box filter at a whole factor) and rounded to 8 bits.
    static func areaReduced(_ image: Image, by factor: Int) -> (small: Image, reference: Image) {
        let (w, h) = (image.width / factor, image.height / factor)
        let reference = Image(width: w * factor, height: h * factor, planes: image.planes.prefix(3).map { plane in
            (0..<(h * factor)).flatMap { y in plane[(y * image.width)..<(y * image.width + w * factor)] }
        })
        let averaged = reference.resized(width: w, height: h, filter: .box)
        return (Image(width: w, height: h, planes: averaged.planes.map { $0.map { ($0 * 255).rounded() / 255 } }), reference)
    }

    /// PSNR of BT.601 luma (on the 0–255 scale of `Training/gigagan/metrics.py`), 8 px border cropped.
    static func psnrY(_ a: Image, _ b: Image, border: Int = 8) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        func luma(_ image: Image, _ i: Int) -> Double {
            16 + 65.481 * Double(image.planes[0][i]) + 128.553 * Double(image.planes[1][i]) + 24.966 * Double(image.planes[2][i])
        }
        var squared = 0.0, count = 0
        for y in border..<(a.height - border) {
            for x in border..<(a.width - border) {
                let i = y * a.width + x, d = luma(a, i) - luma(b, i)
                squared += d * d
                count += 1
            }
        }
        return 10 * log10(255 * 255 / (squared / Double(count)))
    }
}
