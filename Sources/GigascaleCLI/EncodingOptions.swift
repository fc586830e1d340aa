import ArgumentParser
import GigaImage

/// How an output file is encoded: format and per-format settings.
struct EncodingOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Output format: png, jpeg or tiff (default: the -o prefix or extension; else PNG for an upscaled file, the input's format for standard output and for convert).",
                               valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("Bits per sample for PNG and TIFF: 8 or 16 (default: the input's; float inputs give 16).",
                               valueName: "bits"))
    var bitDepth: Int?

    @Option(help: ArgumentHelp("JPEG quality, 1-100.", valueName: "q"))
    var quality: Int = 92

    @Option(help: ArgumentHelp("JPEG chroma subsampling: 444 or 420.", valueName: "mode"))
    var chroma: String = "444"

    @Flag(help: "Write a progressive JPEG.")
    var progressive = false

    @Option(help: ArgumentHelp("PNG zlib compression level, 0-9 (4: a 4096² output 6% larger than at 6 in less than half the time).", valueName: "level"))
    var pngCompression: Int = PNGEncodeOptions.defaultCompressionLevel

    @Option(help: ArgumentHelp("TIFF compression: none, lzw or deflate.", valueName: "scheme"))
    var tiffCompression: String = "deflate"

    func validate() throws {
        if let format, ImageFormat(name: format) == nil {
            throw ValidationError("unknown format '\(format)'; choose png, jpeg or tiff")
        }
        if let bitDepth, bitDepth != 8 && bitDepth != 16 { throw ValidationError("--bit-depth must be 8 or 16") }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be between 1 and 100") }
        guard JPEGEncodeOptions.ChromaSubsampling(rawValue: chroma) != nil else {
            throw ValidationError("--chroma must be 444 or 420")
        }
        guard (0...9).contains(pngCompression) else { throw ValidationError("--png-compression must be between 0 and 9") }
        guard TIFFEncodeOptions.Compression(rawValue: tiffCompression) != nil else {
            throw ValidationError("--tiff-compression must be none, lzw or deflate")
        }
    }

    /// The output format: `--format`, else the output path's extension, else the input's format.
    func resolvedFormat(outputPath: String, inputFormat: ImageFormat?) -> ImageFormat {
        if let format, let chosen = ImageFormat(name: format) { return chosen }
        if outputPath != "-", let dot = outputPath.lastIndex(of: "."),
           let byExtension = ImageFormat(name: String(outputPath[outputPath.index(after: dot)...])) {
            return byExtension
        }
        return inputFormat ?? .png
    }

    func settings(for format: ImageFormat) -> EncodeSettings {
        switch format {
        case .png:
            .png(PNGEncodeOptions(bitDepth: bitDepth, compressionLevel: pngCompression))
        case .jpeg:
            .jpeg(JPEGEncodeOptions(quality: quality, chromaSubsampling: .init(rawValue: chroma) ?? .yuv444,
                                    progressive: progressive))
        case .tiff:
            .tiff(TIFFEncodeOptions(bitDepth: bitDepth, compression: .init(rawValue: tiffCompression) ?? .deflate))
        }
    }
}
