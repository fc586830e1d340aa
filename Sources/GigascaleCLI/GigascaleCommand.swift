import ArgumentParser
import Foundation
import Gigascale

/// The `gigascale` executable: the root command and its subcommands.
@main
struct GigascaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gigascale",
        abstract: "Enlarge photographs 8x with a text-conditioned GAN upsampler.",
        discussion: """
            Reads PNG, JPEG and TIFF (the format is detected from the file's bytes, never its \
            name) and writes any of them, carrying ICC profiles and EXIF. 'upscale' runs the \
            default model (see 'gigascale models') tile by tile, streaming the output. Exit status: 0 all done, 1 some inputs failed, 2 usage \
            error, 130 interrupted. See 'man gigascale'.
            """,
        version: "0.1.0",
        subcommands: [UpscaleCommand.self, InfoCommand.self, ConvertCommand.self, ModelsCommand.self],
        defaultSubcommand: UpscaleCommand.self
    )

    /// What the relaunch for briefly spinning OpenMP threads did (it returns only when it did not relaunch).
    nonisolated(unsafe) static var relaunch = OpenMPWaiting.Outcome.environmentDecides

    /// ArgumentParser's own entry point exits 64 (EX_USAGE) on a usage error; scripts written for
    /// GNU tools expect 2, which is what the manual page promises.
    static func main() async {
        HeapSettings.retainFreedMemory()
        do {
            var command = try parseAsRoot(ArgumentSpelling.normalized(Array(CommandLine.arguments.dropFirst())))
            // Only an upscale runs oneDNN. Its OpenMP runtime took its wait policy from the
            // environment when it loaded, so a brief spin (robust on a busy machine) needs a
            // fresh start of the program, before anything reads standard input; this returns
            // when the user's environment already decides (see OpenMPWaiting).
            if command is UpscaleCommand { relaunch = OpenMPWaiting.relaunchWithBriefSpinning() }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as UsageError {
            Diagnostics.error(error.message)
            Foundation.exit(ExitStatus.usage)
        } catch {
            if exitCode(for: error) == .validationFailure {
                // One prefix for every error the tool prints, ArgumentParser's included.
                var message = fullMessage(for: error)
                if message.hasPrefix("Error: ") { message = "gigascale: error: " + message.dropFirst("Error: ".count) }
                Diagnostics.raw(message + "\n")
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}
