/// Training/bench_ncnn.py as a child process: PyPI ncnn answering one JSON request per line.
enum NCNNBaselineServer {
    static let script = "Training/bench_ncnn.py"

    /// Starts `python` on the script.
    static func start(python: String) throws -> JSONLineChild {
        try JSONLineChild(python: python, script: script, arguments: [], side: "ncnn side",
                          missingPython: "the ncnn comparison needs a Python with the PyPI packages ncnn and numpy (--python)")
    }
}
