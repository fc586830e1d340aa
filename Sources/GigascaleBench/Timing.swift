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
