import Foundation

/// A Python module running as a child process that answers one JSON request per line on its
/// standard output (the PyTorch and ncnn baselines), so that its runs can alternate with ours
/// and time themselves without pipe traffic. Its standard error passes through.
final class JSONLineChild {
    /// The module's source file, as its messages name it.
    let script: String
    /// Who answers, for errors: "PyTorch side", "ncnn side".
    private let side: String
    private let process: Process
    private let requests: FileHandle
    private let replies: FileHandle
    private var buffered = Data()

    /// Starts `python` on `module` with `arguments`; `missingPython` says what to install when
    /// `python` is not there.
    init(python: String, module: TrainingModule, arguments: [String], side: String, missingPython: String) throws {
        guard FileManager.default.isExecutableFile(atPath: python) else { throw BenchError("\(python) not found: \(missingPython)") }
        guard module.exists else { throw BenchError("\(BenchInputs.checkoutPath(module.script)) not found") }
        script = module.script
        self.side = side
        process = module.process(python: python, arguments: arguments)
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        requests = input.fileHandleForWriting
        replies = output.fileHandleForReading
        try process.run()
    }

    /// Sends `request` and returns the reply; a reply carrying "error" is thrown.
    func send(_ request: [String: Any]) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
        do {
            try requests.write(contentsOf: data + Data("\n".utf8))
        } catch {
            throw BenchError("\(script) is no longer reading requests (\(error)); see its messages above")
        }
        return try readReply()
    }

    /// The next line the script prints, as a reply.
    func readReply() throws -> [String: Any] {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[(newline + 1)...])
                guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw BenchError("\(script) printed something that is not a reply: \(String(decoding: line, as: UTF8.self))")
                }
                if let error = object["error"] as? String { throw BenchError("\(side): \(error)") }
                return object
            }
            let chunk = replies.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                throw BenchError("\(script) exited (status \(process.terminationStatus)) before replying; see its messages above")
            }
            buffered.append(chunk)
        }
    }

    /// Asks the script to quit and waits for it.
    func close() {
        _ = try? requests.write(contentsOf: Data("{\"cmd\": \"quit\"}\n".utf8))
        try? requests.close()
        process.waitUntilExit()
    }
}
