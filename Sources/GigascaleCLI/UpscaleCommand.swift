import ArgumentParser
import Foundation
import GigaEngine
import GigaImage
import GigaModels
import Gigascale

/// `gigascale upscale IN [-o OUT]`: enlarge one image through the tiled, streaming upscaler.
struct UpscaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upscale",
        abstract: "Enlarge an image, tile by tile, straight into the output file.",
        discussion: """
            The output goes beside the input as NAME-xSCALE.png unless -o says otherwise ('-' \
            writes standard output). Rows are written as soon as they are final, so memory does not \
            grow with the image's height; the file appears under its name only when complete.
            """
    )

    @Argument(help: "The image to enlarge ('-' for standard input).")
    var inputArgument: String?

    @Option(name: [.customShort("i"), .customLong("input")], help: ArgumentHelp("The image to enlarge (the familiar -i spelling).", valueName: "path"))
    var inputOption: String?

    /// The input, however it was spelled.
    private var input: String { inputOption ?? inputArgument ?? "-" }

    func validate() throws {
        guard (inputOption == nil) != (inputArgument == nil) else {
            throw ValidationError(inputOption == nil ? "name the image to enlarge ('-' for standard input)"
                                                     : "give the input once, either as an argument or with -i")
        }
    }

    @Option(name: .shortAndLong, help: ArgumentHelp("Output path ('-' for standard output).", valueName: "path"))
    var output: String?

    @Option(help: ArgumentHelp("What the photo shows, to guide the model (ignored by the classical models).", valueName: "text"))
    var prompt: String?

    @OptionGroup(title: "Model")
    var model: ModelOptions

    @OptionGroup(title: "Size")
    var size: SizeOptions

    @OptionGroup(title: "Encoding")
    var encoding: EncodingOptions

    func run() async throws {
        let source = InputSource(input)
        let destination = output ?? defaultOutputPath()
        do {
            try source.refuseWritingOnto(destination)
            let image = try source.readReportingNotes()
            let upscaler = try size.upscaler(model: model, for: image)
            let format = encoding.resolvedFormat(outputPath: destination, inputFormat: destination == "-" ? image.metadata.sourceFormat : .png)
            source.warnIfAlphaIsLost(image, in: format)
            let header = try upscaler.outputHeader(for: image)
            let settings = encoding.settings(for: format)
            let writer = destination == "-"
                ? try ImageWriter.standardOutput(settings: settings, header: header)
                : try ImageWriter(path: destination, settings: settings, header: header)
            do {
                try await upscaler.upscale(image, prompt: prompt, into: writer)
            } catch {
                writer.cancel()
                throw error
            }
        } catch let error as ImageError {
            Diagnostics.error(error.description)
            throw ExitCode.failure
        } catch let error as EngineError {
            Diagnostics.error("\(source.displayName): \(error)")
            throw ExitCode.failure
        } catch let error as ModelError {
            // Model errors already name their file.
            Diagnostics.error(error.description)
            throw ExitCode.failure
        }
    }

    /// NAME-xSCALE.png beside the input (in the current folder for standard input).
    private func defaultOutputPath() -> String {
        let url = URL(fileURLWithPath: input == "-" ? "stdin" : input)
        let stem = url.deletingPathExtension().lastPathComponent
        let name = "\(stem)-\(size.nameSuffix(nativeScale: model.nativeScale)).\(encoding.format.flatMap(ImageFormat.init(name:))?.fileExtension ?? "png")"
        return input == "-" ? name : url.deletingLastPathComponent().appendingPathComponent(name).path
    }
}
