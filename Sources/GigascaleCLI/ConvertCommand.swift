import ArgumentParser
import Foundation
import GigaImage

/// `gigascale convert IN -o OUT`: decode, turn upright, re-encode (ICC and EXIF carried).
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an image between PNG, JPEG and TIFF, keeping its ICC profile and EXIF.",
        discussion: """
            The EXIF orientation is applied to the pixels and reset to 1 in the output. The \
            output appears under its name only once it is complete. '-' reads standard input or \
            writes standard output.
            """
    )

    @Argument(help: "The image to read ('-' for standard input).")
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the result ('-' for standard output).", valueName: "path"))
    var output: String

    @OptionGroup(title: "Encoding")
    var encoding: EncodingOptions

    func run() throws {
        let source = InputSource(input)
        do {
            try source.refuseWritingOnto(output)
            // An image the output format cannot hold is refused from its header, before decoding.
            let image = try source.readReportingNotes { declared in
                let format = encoding.resolvedFormat(outputPath: output, inputFormat: declared.format)
                try DecodeLimits.standard.checkOutput(width: declared.width, height: declared.height, format: format)
            }
            let format = encoding.resolvedFormat(outputPath: output, inputFormat: image.metadata.sourceFormat)
            source.warnIfAlphaIsLost(image, in: format)
            let settings = encoding.settings(for: format)
            if output == "-" {
                try ImageWriter.writeToStandardOutput(image, settings: settings)
            } else {
                try ImageWriter.write(image, to: output, settings: settings)
            }
        } catch let error as ImageError {
            Diagnostics.error(error.description)
            throw ExitCode.failure
        }
    }
}
