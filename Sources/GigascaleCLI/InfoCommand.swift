import ArgumentParser
import Foundation
import GigaImage

/// `gigascale info FILE...`: what a file holds, without changing anything.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show an image's format, size, bit depth, channels, ICC profile and EXIF.",
        discussion: "Every file is reported; the exit status is non-zero if any could not be read."
    )

    @Argument(help: "Image files to inspect ('-' reads standard input).")
    var files: [String]

    @Flag(help: "Print one JSON object per file instead of text.")
    var json = false

    func run() throws {
        var failures = 0
        for path in files {
            do {
                let report = try ImageReport(image: InputSource(path).read(applyOrientation: true))
                print(json ? report.json(path: path) : report.text(path: path))
            } catch let error as ImageError {
                failures += 1
                Diagnostics.error(error.description)
                if json { print(ImageReport.jsonError(path: path, error: error)) }
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }
}
