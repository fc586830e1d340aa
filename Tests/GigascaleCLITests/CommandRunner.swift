import Foundation

/// Runs the built `gigascale` executable, as a user would, and captures what it prints.
struct CommandRunner {
    struct Result {
        var status: Int32
        var terminatedBySignal: Bool
        var stdout: Data
        var stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable sits beside the test bundle in the build folder.
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("gigascale")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/gigascale")
    }

    /// `$XDG_CACHE_HOME` of every run that names none: one folder for this test process.
    static let testCacheDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("gigascale-cli-cache-\(ProcessInfo.processInfo.processIdentifier)").path

    static func fixture(_ relativePath: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relativePath).path
    }

    static func sample(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Samples").appendingPathComponent(name).path
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `gigascale arguments...`, feeding `stdin` if given; `environment` adds variables.
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    in directory: URL? = nil) throws -> Result {
        try launch(executable, arguments, stdin: stdin, environment: environment, in: directory)
    }

    /// Runs a shell command line (pipes, xargs, sample scripts) with `gigascale` first on PATH.
    static func shell(_ script: String, environment: [String: String] = [:], in directory: URL? = nil) throws -> Result {
        var environment = environment
        environment["PATH"] = executable.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", script], stdin: nil, environment: environment, in: directory)
    }

    private static func launch(_ program: URL, _ arguments: [String], stdin: Data?, environment: [String: String],
                               in directory: URL?) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        // The tests pin the default model to Lanczos (fast in a debug build, and independent of
        // which trained weights the checkout ships); a test that wants the real default passes
        // GIGASCALE_MODEL="" (empty means unset).
        var environment = environment
        environment["GIGASCALE_MODEL"] = environment["GIGASCALE_MODEL"] ?? "lanczos"
        // The automatic precision choice caches its verdict; tests keep it out of the user's home.
        environment["XDG_CACHE_HOME"] = environment["XDG_CACHE_HOME"] ?? testCacheDirectory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            // Feed stdin while the process runs so a large input cannot deadlock on a full pipe.
            DispatchQueue.global().async {
                input.fileHandleForWriting.write(stdin)
                try? input.fileHandleForWriting.close()
            }
        }
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      terminatedBySignal: process.terminationReason == .uncaughtSignal,
                      stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }
}
