import GigaImage

/// An input named on the command line: a path, or "-" for standard input.
struct InputSource {
    let argument: String

    init(_ argument: String) { self.argument = argument }

    var isStandardInput: Bool { argument == "-" }

    /// The name errors and messages use.
    var displayName: String { isStandardInput ? "<stdin>" : argument }

    /// Decodes the input; `checkHeader` sees its declared size before the pixels are decoded.
    func read(applyOrientation: Bool = true, checkHeader: HeaderCheck? = nil) throws -> Image {
        isStandardInput
            ? try ImageReader.readStandardInput(applyOrientation: applyOrientation, checkHeader: checkHeader)
            : try ImageReader.read(path: argument, applyOrientation: applyOrientation, checkHeader: checkHeader)
    }

    /// Throws when `output` is this input file itself (any spelling or link of it).
    func refuseWritingOnto(_ output: String) throws {
        if !isStandardInput && output != "-" && FileIdentity.same(argument, output) {
            throw ImageError(.invalidArgument, "refusing to write the output onto its own input", source: output)
        }
    }

    /// Reads the image and passes its decoder notes on to the user.
    func readReportingNotes(checkHeader: HeaderCheck? = nil) throws -> Image {
        let image = try read(checkHeader: checkHeader)
        for note in image.metadata.notes { Diagnostics.note("\(displayName): \(note)") }
        return image
    }

    /// Warns when `image`'s alpha plane cannot survive `format`.
    func warnIfAlphaIsLost(_ image: Image, in format: ImageFormat) {
        if format == .jpeg && image.hasAlpha {
            Diagnostics.warning("\(displayName): JPEG has no alpha channel; the alpha plane is dropped")
        }
    }
}
