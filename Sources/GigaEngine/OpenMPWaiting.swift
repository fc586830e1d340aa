import CDNNLShim
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the OpenMP threads that oneDNN runs on wait between parallel regions, which decides how
/// a process behaves on a machine that other work keeps busy.
///
/// After each parallel region (each convolution, each band of rows of one) libgomp's threads
/// spin before they sleep: 300,000 checks by default (`GOMP_SPINCOUNT`). Beside other work a
/// spinning thread holds a core that the thread it waits for, or the other program, needs: on 2
/// cores, `gigascale --tile-workers 1` (one tile on two threads) took 24.8 s instead of 2.9 s
/// beside another process. Sleeping at once (`OMP_WAIT_POLICY=PASSIVE`) fixes that but pays a
/// wake-up for every region: the same run took 1.46 s instead of 1.06 s on an idle machine. A
/// brief spin, 1,000 checks, was within the spread of the default's time when idle and as robust
/// as passive waiting under load (README, Performance, "On a busy machine").
///
/// The runtime reads its variables once, when it is loaded, before `main` runs: setting them from
/// inside the program is too late. `relaunchWithBriefSpinning()` therefore executes the program
/// again with them set. A program that cannot re-execute itself (an app, a plug-in) should be
/// started with `GOMP_SPINCOUNT=1000` in its environment: its launcher, service unit or shell.
public enum OpenMPWaiting {
    /// The standard variable: `PASSIVE` (sleep at once) or `ACTIVE` (spin).
    public static let policyVariable = "OMP_WAIT_POLICY"
    /// libgomp's own: how many checks a thread spins before it sleeps; it overrides the policy.
    public static let spinCountVariable = "GOMP_SPINCOUNT"
    /// The spin count the relaunch sets.
    public static let briefSpinCount = 1000

    /// Whether oneDNN runs its threads on OpenMP here (Debian's oneDNN does; other builds use
    /// TBB or a thread pool, where these variables mean nothing).
    public static var runtimeIsOpenMP: Bool { gs_openmp_runtime() != 0 }

    /// Whether the environment already says how OpenMP threads wait: either variable set, by the
    /// user or by an earlier relaunch. A user's own value is always kept.
    public static var environmentDecides: Bool {
        getenv(policyVariable) != nil || getenv(spinCountVariable) != nil
    }

    /// The variables as this process's environment sets them, e.g. "GOMP_SPINCOUNT=1000".
    public static var settings: String {
        let names: [String] = [policyVariable, spinCountVariable]
        return names.compactMap { name in getenv(name).map { "\(name)=\(String(cString: $0))" } }.joined(separator: " ")
    }

    /// What `relaunchWithBriefSpinning()` did, when it returns at all.
    public enum Outcome: Equatable, Sendable {
        /// `OMP_WAIT_POLICY` or `GOMP_SPINCOUNT` was already set; it stands.
        case environmentDecides
        /// oneDNN does not run on OpenMP here; nothing to do.
        case notOpenMP
        /// The program could not be executed again (the reason); it goes on with spinning threads.
        case failed(String)
    }

    /// Executes the running program again, with the same arguments, open files and process id,
    /// and `GOMP_SPINCOUNT=1000` added to its environment, unless the environment already decides
    /// or oneDNN is not on OpenMP. `OMP_WAIT_POLICY=PASSIVE` is added too, for OpenMP runtimes
    /// other than libgomp, which ignore `GOMP_SPINCOUNT` (libgomp lets the spin count win).
    /// Call it first thing in `main`, before anything reads standard input or starts a thread.
    /// Returns only when it did not relaunch.
    @discardableResult
    public static func relaunchWithBriefSpinning() -> Outcome {
        guard runtimeIsOpenMP else { return .notOpenMP }
        guard !environmentDecides else { return .environmentDecides }
        guard let executable = runningExecutable else { return .failed("cannot find the running executable") }
        setenv(spinCountVariable, String(briefSpinCount), 1)
        setenv(policyVariable, "PASSIVE", 1)
        execv(executable, CommandLine.unsafeArgv)
        let reason = String(cString: strerror(errno))
        unsetenv(spinCountVariable)
        unsetenv(policyVariable)
        return .failed("\(executable): \(reason)")
    }

    /// The file this process runs (the kernel's link on Linux, which survives a renamed or
    /// relative argv[0]).
    private static var runningExecutable: String? {
        #if os(Linux)
        "/proc/self/exe"
        #else
        Bundle.main.executablePath
        #endif
    }
}
