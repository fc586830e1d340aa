/// Training/bench/bench_ncnn.py as a child process: PyPI ncnn answering one JSON request per line.
enum NCNNBaselineServer {
    static let module = TrainingModule(name: "bench.bench_ncnn")

    /// Starts `python` on the module.
    static func start(python: String) throws -> JSONLineChild {
        try JSONLineChild(python: python, module: module, arguments: [], side: "ncnn side",
                          missingPython: "the ncnn comparison needs a Python with the PyPI packages ncnn and numpy (--python)")
    }
}
