import ArgumentParser

/// The `gigascale` executable: the root command and its subcommands.
@main
struct GigascaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gigascale",
        abstract: "Enlarge photographs 8x with a text-conditioned GAN upsampler.",
        discussion: """
            Reads PNG, JPEG and TIFF (the format is detected from the file's bytes, never its \
            name) and writes any of them, carrying ICC profiles and EXIF. No trained GAN ships \
            yet: 'upscale' runs the tiled, streaming pipeline with a classical model (Lanczos or \
            bicubic) until it does.
            """,
        version: "0.1.0",
        subcommands: [UpscaleCommand.self, InfoCommand.self, ConvertCommand.self],
        defaultSubcommand: UpscaleCommand.self
    )
}
