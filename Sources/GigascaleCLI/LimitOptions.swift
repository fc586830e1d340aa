import ArgumentParser
import GigaImage

/// The largest output a run may write: at most what gigascale reads back (`DecodeLimits`).
struct LimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Largest output allowed, in pixels (SI suffixes: 100M, 250k; default and most 268435456, 16384x16384, the largest image gigascale reads back). Larger outputs are refused before any work.",
                               valueName: "n"))
    var maxPixels: String?

    func validate() throws {
        if let maxPixels, try Self.pixelCount(maxPixels) > DecodeLimits.standard.maxInputPixels {
            throw ValidationError("--max-pixels \(maxPixels): at most \(DecodeLimits.standard.maxInputPixels) (16384x16384), the largest image gigascale reads back")
        }
    }

    /// The output limit.
    var limits: DecodeLimits {
        var limits = DecodeLimits.standard
        if let maxPixels, let count = try? Self.pixelCount(maxPixels) { limits.maxOutputPixels = count }
        return limits
    }

    static func pixelCount(_ text: String) throws -> Int {
        let multipliers: [Character: Double] = ["k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "g": 1e9, "G": 1e9]
        var digits = Substring(text)
        var multiplier = 1.0
        if let last = digits.last, let m = multipliers[last] { multiplier = m; digits = digits.dropLast() }
        guard let value = Double(digits), value > 0, value * multiplier < 9e18 else {
            throw ValidationError("--max-pixels '\(text)': expected a pixel count such as 100000000, 100M or 0.1G")
        }
        return Int(value * multiplier)
    }
}
