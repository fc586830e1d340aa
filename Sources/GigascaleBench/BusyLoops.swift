import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Competing load for `gigascale-bench busy`: processes that each keep one core busy with a
/// shell loop (`while :; do :; done`, no memory traffic, no I/O) at a given nice level, started
/// through `nice -n LEVEL` and killed by their process ids.
final class BusyLoops {
    private var pids: [pid_t] = []

    /// Starts `count` loops at nice `level` (0: the same priority as the benchmark; 19: the
    /// lowest, as a background training or build job runs).
    init(count: Int, nice level: Int) throws {
        for _ in 0..<count {
            let words: [String] = ["/usr/bin/env", "nice", "-n", String(level), "/bin/sh", "-c", "while :; do :; done"]
            let argv = words.map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            var pid = pid_t()
            let spawned = posix_spawn(&pid, "/usr/bin/env", nil, nil, argv, environ)
            guard spawned == 0 else {
                stop()
                throw BenchError("cannot start a busy loop: \(String(cString: strerror(spawned)))")
            }
            pids.append(pid)
        }
    }

    /// Kills the loops and reaps them.
    func stop() {
        for pid in pids {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        pids = []
    }

    deinit { stop() }
}
