import ArgumentParser
import GigaImage

/// Which metadata goes from input to output, and whether the pixels are turned upright.
struct MetadataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Metadata to carry into the outputs: all, none, or a list of icc and exif (default all).", valueName: "list"))
    var keep: String?

    @Flag(help: "Carry no metadata (same as --keep none).")
    var strip = false

    @Flag(help: "Keep the pixels as stored and the input's orientation tag, instead of turning them upright (orientation 1). A PNG or JPEG output records it in EXIF, so the input's EXIF must carry it.")
    var noAutoOrient = false

    func validate() throws {
        if strip && keep != nil { throw ValidationError("--strip and --keep are exclusive") }
        if let keep { _ = try Self.keptMetadata(keep) }
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
