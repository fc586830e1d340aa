/// Minimum, median and maximum of a set of timings or ratios.
struct Summary: Equatable {
    var min: Double
    var median: Double
    var max: Double
    var count: Int

    /// nil for no samples. An even count takes the mean of the two middle values.
    init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let mid = sorted.count / 2
        min = sorted[0]
        max = sorted[sorted.count - 1]
        median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        count = sorted.count
    }

    var json: [String: Any] { ["min": min, "median": median, "max": max, "count": count] }
}
