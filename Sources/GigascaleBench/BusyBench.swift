import ArgumentParser
import Foundation
import Gigascale

/// `gigascale-bench busy`: the `gigascale` command on an idle machine and beside competing busy
/// loops, with its OpenMP threads spinning briefly (as shipped), sleeping at once, and spinning
/// as long as libgomp does by default.
struct BusyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "busy",
        abstract: "Time gigascale idle and beside busy loops on every core, with three ways for its OpenMP threads to wait.",
        discussion: """
            Runs the gigascale executable built beside this one (or --gigascale) on --input \
            (default Samples/face-128.png, 128² → 1024²) with the default options and with \
            --tile-workers 1 (one tile on all threads, the split a machine with more than 4 cores \
            gets by default). Each case runs with each --waits: 'shipped', gigascale's own (it \
            relaunches itself with GOMP_SPINCOUNT=1000, a brief spin); 'passive', \
            OMP_WAIT_POLICY=PASSIVE (sleep at once); 'spinning', GOMP_SPINCOUNT=300000, libgomp's \
            default (what gigascale did before). The load: idle, then for each \
            --nice level one shell busy loop per core (--competitors) at that nice level, started \
            before the runs and killed after them. Nice 19 is a background job (a training run, a \
            build under nice): the scheduler gives gigascale nearly all of the cores, so a run \
            should take about its idle time. Nice 0 competes as an equal: fair share alone makes a \
            run on all cores about twice as long. One unmeasured run first fills the precision \
            cache and the page cache. Stop other work on the machine for the idle rows.
            """
    )

    @Option(help: ArgumentHelp("The image to enlarge.", valueName: "path"))
    var input = "Samples/face-128.png"

    @Option(name: .customLong("repeat"), help: "Runs per row; the median is reported.")
    var repeats = 3

    @Option(help: ArgumentHelp("Nice levels of the competing loops, comma-separated.", valueName: "n,n"))
    var nice = "19,0"

    @Option(help: ArgumentHelp("Busy loops per load (default: one per core).", valueName: "n"))
    var competitors = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("The gigascale executable (default: $GIGASCALE_BIN, else the one beside this program).", valueName: "path"))
    var gigascale: String?

    @Option(help: ArgumentHelp("How the OpenMP threads wait, comma-separated: shipped, passive, spinning.", valueName: "w,w"))
    var waits = "shipped,passive,spinning"

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard repeats >= 1, competitors >= 1 else { throw ValidationError("--repeat and --competitors must be at least 1") }
        guard niceLevels != nil else { throw ValidationError("--nice must be whole numbers from -20 to 19, comma-separated") }
        guard waitings != nil else { throw ValidationError("--waits must be shipped, passive or spinning, comma-separated") }
    }

    private var waitings: [Waiting]? {
        let values = waits.split(separator: ",").map { Waiting(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { return nil }
        return values.compactMap { $0 }
    }

    /// How a run's OpenMP threads wait, through the environment gigascale starts with.
    enum Waiting: String {
        case shipped, passive, spinning

        /// `OMP_WAIT_POLICY` and `GOMP_SPINCOUNT` for the child (nil: unset).
        var variables: (policy: String?, spinCount: String?) {
            switch self {
            case .shipped: (nil, nil)
            case .passive: ("PASSIVE", nil)
            case .spinning: (nil, "300000")
            }
        }
    }

    private var niceLevels: [Int]? {
        let values = nice.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map { (-20...19).contains($0) } ?? false }) else { return nil }
        return values.compactMap { $0 }
    }

    /// One row's settings.
    struct Row: Hashable {
        var options: [String]
        var waiting: Waiting
        /// Nice level of the competing loops; nil: idle.
        var nice: Int?
    }

    func run() throws {
        let executable = try BenchInputs.gigascaleExecutable(gigascale)
        let inputPath = BenchInputs.checkoutPath(input)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-bench-busy-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [[String]] = [[], ["--tile-workers", "1"]]
        let waitings = self.waitings ?? [.shipped]
        let loads: [Int?] = [nil] + (niceLevels ?? []).map(Optional.some)

        func once(_ row: Row) throws -> ChildProcess {
            let output = directory.appendingPathComponent("out.png").path, log = directory.appendingPathComponent("stderr.txt").path
            var environment = ProcessInfo.processInfo.environment
            (environment[OpenMPWaiting.policyVariable], environment[OpenMPWaiting.spinCountVariable]) = row.waiting.variables
            let child = try ChildProcess.run(executable, arguments: [inputPath, "-o", output, "--overwrite"] + row.options,
                                             stderrPath: log, environment: environment)
            guard child.succeeded else {
                let reason = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").last.map(String.init)
                throw BenchError("\(executable) failed on \(inputPath): \(reason ?? "\(child.termination)")")
            }
            return child
        }

        progress("warm-up run…")
        _ = try once(Row(options: [], waiting: .shipped, nice: nil))
        var seconds = [Row: [Double]](), cpuSeconds = [Row: [Double]]()
        for round in 1...repeats {
            for load in loads {
                let loops = try load.map { try BusyLoops(count: competitors, nice: $0) }
                if loops != nil { usleep(300_000) }  // let the loops reach the cores first
                for options in cases {
                    for waiting in waitings {
                        let row = Row(options: options, waiting: waiting, nice: load)
                        progress("round \(round)/\(repeats): \(label(row))…")
                        let child = try once(row)
                        seconds[row, default: []].append(child.seconds)
                        cpuSeconds[row, default: []].append(child.cpuSeconds)
                    }
                }
                loops?.stop()
            }
        }
        let rows = loads.flatMap { load in cases.flatMap { options in waitings.map { Row(options: options, waiting: $0, nice: load) } } }
        print(json ? jsonReport(rows, seconds, cpuSeconds) : table(rows, seconds, cpuSeconds, executable: executable))
    }

    private func label(_ row: Row) -> String {
        "\(row.options.isEmpty ? "default" : row.options.joined(separator: " ")), \(row.waiting.rawValue), "
            + (row.nice.map { "\(competitors) loops at nice \($0)" } ?? "idle")
    }

    private func idleMedian(_ row: Row, _ seconds: [Row: [Double]]) -> Double? {
        seconds[Row(options: row.options, waiting: row.waiting, nice: nil)].flatMap { Summary($0)?.median }
    }

    private func table(_ rows: [Row], _ seconds: [Row: [Double]], _ cpuSeconds: [Row: [Double]], executable: String) -> String {
        var lines = [
            "\(executable) \(input), \(PrecisionKey.cpuModelName), \(ProcessInfo.processInfo.activeProcessorCount) cores, median of \(repeats)",
            "competitors: \(competitors) × `sh -c 'while :; do :; done'` under `nice -n LEVEL`; shipped = gigascale's own relaunch with GOMP_SPINCOUNT=\(OpenMPWaiting.briefSpinCount), passive = OMP_WAIT_POLICY=PASSIVE, spinning = GOMP_SPINCOUNT=300000 (libgomp's default)",
            "",
            "| options | OpenMP threads | competing load | median s | min s | max s | × idle | CPU s (median) |",
            "|---|---|---|---:|---:|---:|---:|---:|",
        ]
        for row in rows {
            guard let summary = Summary(seconds[row] ?? []) else { continue }
            let ratio = idleMedian(row, seconds).map { String(format: "%.2f×", summary.median / $0) } ?? "–"
            let cpu = Summary(cpuSeconds[row] ?? [])?.median ?? 0
            lines.append(String(format: "| %@ | %@ | %@ | %.2f | %.2f | %.2f | %@ | %.2f |",
                                row.options.isEmpty ? "default" : row.options.joined(separator: " "),
                                row.waiting.rawValue,
                                row.nice.map { "\(competitors) loops, nice \($0)" } ?? "idle",
                                summary.median, summary.min, summary.max, ratio, cpu))
        }
        return lines.joined(separator: "\n")
    }

    private func jsonReport(_ rows: [Row], _ seconds: [Row: [Double]], _ cpuSeconds: [Row: [Double]]) -> String {
        let objects: [[String: Any]] = rows.compactMap { row in
            guard let summary = Summary(seconds[row] ?? []) else { return nil }
            return ["options": row.options, "waiting": row.waiting.rawValue,
                    "nice": row.nice ?? NSNull(), "competitors": row.nice == nil ? 0 : competitors,
                    "seconds": summary.json, "cpuSeconds": Summary(cpuSeconds[row] ?? [])?.json ?? NSNull(), "ratioToIdle": idleMedian(row, seconds).map { summary.median / $0 } ?? NSNull()]
        }
        let report: [String: Any] = ["input": input, "cpu": PrecisionKey.cpuModelName,
                                     "cores": ProcessInfo.processInfo.activeProcessorCount, "rows": objects]
        let data = (try? JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private func progress(_ text: String) {
        if !json { progressLine(text) }
    }
}
