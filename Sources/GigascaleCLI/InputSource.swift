import GigaImage

/// An input named on the command line: a path, or "-" for standard input.
struct InputSource {
    let argument: String

    init(_ argument: String) { self.argument = argument }

    var isStandardInput: Bool { argument == "-" }

    /// The name errors and messages use.
    var displayName: String { isStandardInput ? "<stdin>" : argument }

    func read(applyOrientation: Bool = true) throws -> Image {
        isStandardInput
            ? try ImageReader.readStandardInput(applyOrientation: applyOrientation)
            : try ImageReader.read(path: argument, applyOrientation: applyOrientation)
    }
}
