/// Training/bench/bench_aurasr.py as a child process: fal's AuraSR in PyTorch answering one JSON
/// request per line.
enum AuraSRBaselineServer {
    static let module = TrainingModule(name: "bench.bench_aurasr")

    /// Starts `python` on the module.
    static func start(python: String) throws -> JSONLineChild {
        try JSONLineChild(python: python, module: module, arguments: [], side: "PyTorch side",
                          missingPython: "the AuraSR comparison needs Training/.venv with torch and aura-sr (--python)")
    }
}
