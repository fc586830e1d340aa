import Foundation

/// Runs `body` a few times to warm up, then repeatedly for at least `minimumSeconds`, and
/// returns the median time of one run in seconds.
func medianSeconds(minimumSeconds: Double = 1.0, warmups: Int = 2, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmups { try body() }
    var samples: [Double] = []
    let start = DispatchTime.now().uptimeNanoseconds
    repeat {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    } while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < minimumSeconds || samples.count < 3
    samples.sort()
    return samples[samples.count / 2]
}

/// Seconds of CPU this process has used, all threads together.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Wall and process CPU seconds of one run of `body`.
func measuredRun(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
    try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, processCPUSeconds() - cpuStart)
}

/// A progress line on standard error (kept off standard output, where the results go).
func progressLine(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
