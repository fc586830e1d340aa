import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of another program, with what `wait4` reports about it alone: its exit, its wall
/// time and its own peak resident memory (Foundation's `Process` does not expose the child's
/// rusage, and this process's own counters would mix in the benchmark's memory).
struct ChildProcess {
    /// How the child ended.
    enum Termination: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    var termination: Termination
    var seconds: Double
    /// The child's peak resident set size in bytes (`ru_maxrss`).
    var peakRSSBytes: Int
    /// CPU seconds the child used, user and system (`ru_utime` + `ru_stime`).
    var cpuSeconds: Double = 0

    var succeeded: Bool { termination == .exited(0) }

    /// Runs `executable` with `arguments`, standard input from /dev/null, standard output to
    /// /dev/null and standard error into the file `stderrPath`, and waits for it.
    static func run(_ executable: String, arguments: [String], stderrPath: String,
                    environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { throw BenchError("posix_spawn_file_actions_init failed") }
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }

        let start = DispatchTime.now().uptimeNanoseconds
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw BenchError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 for \(executable) failed: \(String(cString: strerror(errno)))") }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // The <sys/wait.h> macros are not imported: low 7 bits = terminating signal, else the
        // exit code sits in the next byte.
        let signal = status & 0x7f
        let termination: Termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        #if canImport(Darwin)
        let peak = Int(usage.ru_maxrss)  // bytes on Darwin
        #else
        let peak = Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #endif
        let cpu = [usage.ru_utime, usage.ru_stime].reduce(0.0) { $0 + Double($1.tv_sec) + Double($1.tv_usec) / 1e6 }
        return ChildProcess(termination: termination, seconds: seconds, peakRSSBytes: peak, cpuSeconds: cpu)
    }
}

/// A benchmark that cannot run, with the reason on one line.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
