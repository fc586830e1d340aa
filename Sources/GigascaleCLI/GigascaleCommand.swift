import ArgumentParser

/// The `gigascale` executable: the root command and its subcommands.
@main
struct GigascaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gigascale",
        abstract: "Enlarge photographs 8x with a text-conditioned GAN upsampler.",
        discussion: """
            Reads PNG, JPEG and TIFF (the format is detected from the file's bytes, never its \
            name) and writes any of them. The upscaling model is not built yet: today the tool \
            inspects images and converts between formats, carrying ICC profiles and EXIF.
            """,
        version: "0.1.0",
        subcommands: [InfoCommand.self, ConvertCommand.self]
    )
}
