import ArgumentParser

/// How much the run tells, and in what form. Everything goes to standard error (or a file):
/// standard output carries image bytes only.
struct FeedbackOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print errors only: no progress, no per-file lines, no summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also report every file (single-file runs too), its prompt and tile count, and what was skipped and why.")
    var verbose = false

    @Flag(help: ArgumentHelp("Write one JSON object per file (input, output, sizes, model, prompt, seconds, status, error) to standard error, instead of the human lines. --json=FILE writes them to FILE and keeps the human lines."))
    var json = false

    @Option(help: ArgumentHelp("Write the JSON objects to this file (what --json=FILE means).", valueName: "file"))
    var jsonFile: String?

    func validate() throws {
        if quiet && verbose { throw ValidationError("-q/--quiet and -v/--verbose are exclusive") }
        if json && jsonFile != nil { throw ValidationError("--json and --json=FILE are exclusive") }
    }
}
