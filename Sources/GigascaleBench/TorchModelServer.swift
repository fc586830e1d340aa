/// Training/bench/bench_torch_model.py as a child process: the PyTorch twin with the same
/// weights file, answering one JSON request per line.
enum TorchModelServer {
    static let python = "Training/.venv/bin/python"
    static let module = TrainingModule(name: "bench.bench_torch_model")

    /// Starts the server and waits until it has loaded the weights; returns it with what it said
    /// when ready (torch version, memory format, threads).
    static func start(weights: String, textEncoder: String, threads: Int,
                      channelsLast: Bool) throws -> (server: JSONLineChild, greeting: [String: Any]) {
        let server = try JSONLineChild(
            python: BenchInputs.checkoutPath(python), module: module,
            arguments: ["--weights", weights, "--threads", String(threads), "--text-encoder", textEncoder]
                + (channelsLast ? ["--channels-last"] : []),
            side: "PyTorch side",
            missingPython: "the PyTorch comparison needs the Training venv (bash Training/setup-venv.sh, see Training/README.md)")
        return (server, try server.readReply())
    }
}
