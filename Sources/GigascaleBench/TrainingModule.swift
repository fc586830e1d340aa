import Foundation

/// A Python module of the checkout's Training/ folder, e.g. `bench.bench_torch_model`, started the
/// way Training/README.md runs every script there: `python -m MODULE` with Training/ on
/// PYTHONPATH, so that it finds the twin's `gigagan` package whatever the working directory.
struct TrainingModule {
    /// The dotted module name.
    let name: String

    /// Its source file, checkout-relative: what messages name and what must exist.
    var script: String { "Training/" + name.replacingOccurrences(of: ".", with: "/") + ".py" }

    /// Whether the source file is there (from the current folder or the checkout).
    var exists: Bool { FileManager.default.fileExists(atPath: BenchInputs.checkoutPath(script)) }

    /// A process that runs `python -m name arguments…` with Training/ first on PYTHONPATH; the
    /// working directory stays the caller's, so relative paths in `arguments` keep their meaning.
    func process(python: String, arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", name] + arguments
        var environment = ProcessInfo.processInfo.environment
        let training = URL(fileURLWithPath: BenchInputs.checkoutPath("Training")).standardizedFileURL.path
        environment["PYTHONPATH"] = ([training] + [environment["PYTHONPATH"]].compactMap { $0 }.filter { !$0.isEmpty })
            .joined(separator: ":")
        process.environment = environment
        return process
    }
}
