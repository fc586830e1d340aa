import Foundation

/// Training/bench_ncnn.py running as a child process: PyPI ncnn answering one JSON request per
/// line, so that its runs can alternate with ours and time themselves without pipe traffic.
final class NCNNBaselineServer {
    static let script = "Training/bench_ncnn.py"

    private let process = Process()
    private let requests: FileHandle
    private let replies: FileHandle
    private var buffered = Data()

    /// Starts `python` on the script. Its standard error passes through.
    init(python: String) throws {
        let script = BenchInputs.checkoutPath(Self.script)
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("\(python) not found: the ncnn comparison needs a Python with the PyPI packages ncnn and numpy (--python)")
        }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script]
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
        do { try requests.write(contentsOf: data + Data("\n".utf8)) }
        catch { throw BenchError("\(Self.script) is no longer reading requests (\(error)); see its messages above") }
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[(newline + 1)...])
                guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw BenchError("\(Self.script) printed something that is not a reply: \(String(decoding: line, as: UTF8.self))")
                }
                if let error = object["error"] as? String { throw BenchError("ncnn side: \(error)") }
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

    /// Asks the server to quit and waits for it.
    func close() {
        _ = try? requests.write(contentsOf: Data("{\"cmd\": \"quit\"}\n".utf8))
        try? requests.close()
        process.waitUntilExit()
    }
}
