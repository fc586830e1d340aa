import Foundation

/// Training/bench_torch_model.py running as a child process: the PyTorch twin with the same
/// weights file, answering one JSON request per line so that its runs can alternate with ours.
final class TorchModelServer {
    static let python = "Training/.venv/bin/python"
    static let script = "Training/bench_torch_model.py"

    private let process = Process()
    private let requests: FileHandle
    private let replies: FileHandle
    private var buffered = Data()
    /// What the server said when it was ready (torch version, config name, threads).
    private(set) var greeting: [String: Any] = [:]

    /// Starts the server and waits until it has loaded the weights. Its standard error passes
    /// through, so Python's own messages reach the terminal.
    init(weights: String, textEncoder: String, threads: Int, channelsLast: Bool) throws {
        let python = BenchInputs.checkoutPath(Self.python), script = BenchInputs.checkoutPath(Self.script)
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("\(python) not found: the PyTorch comparison needs the Training venv (bash Training/setup-venv.sh, see Training/README.md)")
        }
        guard FileManager.default.fileExists(atPath: script) else { throw BenchError("\(script) not found") }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--weights", weights, "--threads", String(threads), "--text-encoder", textEncoder]
            + (channelsLast ? ["--channels-last"] : [])
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        requests = input.fileHandleForWriting
        replies = output.fileHandleForReading
        try process.run()
        greeting = try readReply()
    }

    /// Sends `request` and returns the reply; a reply carrying "error" is thrown.
    func send(_ request: [String: Any]) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
        do {
            try requests.write(contentsOf: data + Data("\n".utf8))
        } catch {
            throw BenchError("\(Self.script) is no longer reading requests (\(error)); see its messages above")
        }
        return try readReply()
    }

    /// Asks the server to quit and waits for it.
    func close() {
        _ = try? requests.write(contentsOf: Data("{\"cmd\": \"quit\"}\n".utf8))
        try? requests.close()
        process.waitUntilExit()
    }

    private func readReply() throws -> [String: Any] {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[(newline + 1)...])
                guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw BenchError("\(Self.script) printed something that is not a reply: \(String(decoding: line, as: UTF8.self))")
                }
                if let error = object["error"] as? String { throw BenchError("PyTorch side: \(error)") }
                return object
            }
            let chunk = replies.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                throw BenchError("\(Self.script) exited (status \(process.terminationStatus)) before replying; see its messages above")
            }
            buffered.append(chunk)
        }
    }
}
