import ArgumentParser
import GigaImage

/// Spellings that realesrgan-ncnn-vulkan, ImageMagick and vips users already type, honoured
/// where gigascale can honour them and refused with a reason (exit 2) where it cannot; never
/// silently ignored.
struct CompatibilityOptions: ParsableArguments {
    @Option(name: [.customShort("g"), .long], parsing: .unconditional,
            help: ArgumentHelp("GPU to use, as in the ncnn tools: only -1, 'cpu' or 'auto' (gigascale runs on the CPU).", valueName: "id"))
    var gpu: String?

    @Flag(name: [.customShort("x"), .long],
          help: "Test-time augmentation (ncnn -x): average the 8 mirrored and rotated variants; 8 times slower, and the whole output is held in memory.")
    var tta = false

    @Option(name: [.customShort("j"), .long],
            help: ArgumentHelp("ncnn-style threads 'load:proc:save': proc sets --threads (decoding and encoding use one thread each, so load and save are accepted but change nothing).",
                               valueName: "L:P:S"))
    var jobs: String?

    @Option(help: ArgumentHelp("Metadata to carry into the outputs: all, none, or a list of icc and exif (default all).", valueName: "list"))
    var keep: String?

    @Flag(help: "Carry no metadata (same as --keep none).")
    var strip = false

    @Flag(help: "Keep the pixels as stored and the input's orientation tag, instead of turning them upright (orientation 1). A PNG or JPEG output records it in EXIF, so the input's EXIF must carry it.")
    var noAutoOrient = false

    @Option(help: ArgumentHelp("Largest output allowed, in pixels (SI suffixes: 500M, 2G; default 1G). Larger outputs are refused before any work.",
                               valueName: "n"))
    var maxPixels: String?

    func validate() throws {
        if let gpu, !["-1", "cpu", "auto"].contains(gpu.lowercased()) {
            throw ValidationError("-g \(gpu): gigascale runs on the CPU only; there is no GPU \(gpu) to use (leave -g out, or pass -g -1)")
        }
        if let jobs { _ = try Self.inferenceThreads(jobs) }
        if strip && keep != nil { throw ValidationError("--strip and --keep are exclusive") }
        if let keep { _ = try Self.keptMetadata(keep) }
        if let maxPixels { _ = try Self.pixelCount(maxPixels) }
    }

    /// The `P` of `-j L:P:S` (or a plain number), or nil when -j is absent.
    var inferenceThreads: Int? { jobs.flatMap { try? Self.inferenceThreads($0) } }

    static func inferenceThreads(_ text: String) throws -> Int {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 3 else {
            throw ValidationError("-j '\(text)': expected load:proc:save (e.g. 1:2:2) or a thread count")
        }
        let numbers = parts.map { Int($0) }
        guard numbers.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("-j '\(text)': every part must be a whole number of threads of at least 1 (one GPU list per part is not supported: CPU only)")
        }
        return numbers[parts.count == 1 ? 0 : 1]!
    }

    /// Which metadata survives: (ICC profile, EXIF).
    var kept: (icc: Bool, exif: Bool) {
        if strip { return (false, false) }
        return keep.flatMap { try? Self.keptMetadata($0) } ?? (true, true)
    }

    static func keptMetadata(_ text: String) throws -> (icc: Bool, exif: Bool) {
        var icc = false, exif = false
        for item in text.lowercased().split(separator: ",") {
            switch item {
            case "all": icc = true; exif = true
            case "none": break
            case "icc": icc = true
            case "exif": exif = true
            case "xmp", "iptc": throw ValidationError("--keep \(item): gigascale does not read \(item.uppercased()) yet, so it cannot carry it")
            default: throw ValidationError("--keep '\(item)': choose all, none, or a list of icc and exif")
            }
        }
        return (icc, exif)
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
            throw ValidationError("--max-pixels '\(text)': expected a pixel count such as 250000000, 250M or 1G")
        }
        return Int(value * multiplier)
    }

    /// With --no-auto-orient, a PNG or JPEG output records a non-upright orientation only in
    /// EXIF: without an EXIF orientation field to carry it, the picture would show sideways.
    func checkOrientationCanBeKept(_ header: EncodeHeader, in format: ImageFormat) throws {
        guard noAutoOrient, header.orientation != 1, format != .tiff else { return }
        guard header.metadata.exif.flatMap(EXIFBlock.init)?.orientation != nil else {
            throw JobError(message: "--no-auto-orient: cannot record orientation \(header.orientation) in a \(format.displayName) "
                + "without an EXIF orientation field (the input has none, or --keep/--strip dropped EXIF); write TIFF or drop --no-auto-orient")
        }
    }

    /// `metadata` with what --keep/--strip leaves out removed.
    func filter(_ metadata: ImageMetadata) -> ImageMetadata {
        var metadata = metadata
        if !kept.icc { metadata.colorSpace.iccProfile = nil }
        if !kept.exif { metadata.exif = nil }
        return metadata
    }
}
