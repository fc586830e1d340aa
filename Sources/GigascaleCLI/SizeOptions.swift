import ArgumentParser
import Foundation
import Gigascale

/// How large the output is: the model's native scale, a smaller factor, a width, a height or a
/// box to fit. Anything below the native scale is the native output downscaled with Lanczos-3 as
/// it streams; nothing is ever enlarged by a resampler, so asking a GigaGAN model (8x) for more
/// than 8x is an error. The classical models are built at the smallest whole factor (up to 16)
/// the request needs.
struct SizeOptions: ParsableArguments {
    @Option(name: [.customShort("s"), .long],
            help: ArgumentHelp("Enlargement factor: the model's native one (8) or any smaller, e.g. 2 or 2.5 (the classical models go up to 16). With an ncnn model, a whole multiple of its scale enlarges each image with bicubic first: --scale 8 with a 4x model is bicubic ×2, then the model.",
                               valueName: "n"))
    var scale: Double?

    @Option(help: ArgumentHelp("Output width in pixels; the height keeps the aspect ratio.", valueName: "px"))
    var width: Int?

    @Option(help: ArgumentHelp("Output height in pixels; the width keeps the aspect ratio.", valueName: "px"))
    var height: Int?

    @Option(help: ArgumentHelp("Fit inside a box, keeping the aspect ratio: WxH, 4k (3840x2160) or 8k (7680x4320). An image whose native output already fits comes out at the native scale.",
                               valueName: "box"))
    var fit: String?

    func validate() throws {
        let given = [("--scale", scale != nil), ("--width", width != nil), ("--height", height != nil), ("--fit", fit != nil)]
            .filter(\.1).map(\.0)
        guard given.count <= 1 else {
            throw ValidationError("\(given.joined(separator: " and ")) both set the output size; give only one")
        }
        if let scale, !(scale.isFinite && scale > 0 && scale <= Double(ClassicalModel.maximumScale)) {
            throw ValidationError("--scale must be above 0 and at most \(ClassicalModel.maximumScale)")
        }
        if let width, width < 1 { throw ValidationError("--width must be at least 1") }
        if let height, height < 1 { throw ValidationError("--height must be at least 1") }
        if let fit, Self.box(fit) == nil {
            throw ValidationError("--fit takes WxH (e.g. 3840x2160), 4k or 8k, not '\(fit)'")
        }
    }

    /// The size request for the library.
    var outputSize: OutputSize {
        if let scale { return .scale(scale) }
        if let width { return .width(width) }
        if let height { return .height(height) }
        if let fit, let box = Self.box(fit) { return .fit(width: box.width, height: box.height) }
        return .native
    }

    /// `WxH`, `4k` or `8k` as a box; nil when it is none of these.
    static func box(_ text: String) -> (width: Int, height: Int)? {
        switch text.lowercased() {
        case "4k": return (3840, 2160)
        case "8k": return (7680, 4320)
        default:
            let sides = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
            guard sides.count == 2, let width = Int(sides[0]), let height = Int(sides[1]), width >= 1, height >= 1 else { return nil }
            return (width, height)
        }
    }

    /// What the default output name says about the size: `x8`, `x2.5`, `w1920`, `h1080`, `fit3840x2160`.
    /// The factor as file names spell it: "8", "2.5"; for a width, height or fit request the
    /// factor the output actually got (2 decimals at most), known once the input is decoded.
    func scaleText(nativeScale: Int, input: (width: Int, height: Int)?, output: (width: Int, height: Int)?) -> String? {
        if let scale { return Self.decimal(scale) }
        if width == nil && height == nil && fit == nil { return String(nativeScale) }
        guard let input, let output else { return nil }
        return Self.decimal((Double(output.width) / Double(input.width) * 100).rounded() / 100)
    }

    private static func decimal(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// What the default name says of the size: x8, x2.5, w1920, h1080 or fit3840x2160.
    func nameSuffix(nativeScale: Int) -> String {
        if let scale { return "x" + Self.decimal(scale) }
        if let width { return "w\(width)" }
        if let height { return "h\(height)" }
        if let fit, let box = Self.box(fit) { return "fit\(box.width)x\(box.height)" }
        return "x\(nativeScale)"
    }
}
