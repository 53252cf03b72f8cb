/// Average, median and 95th percentile of a set of durations.
///
/// The median of an even count is the mean of the two middle values; p95 is nearest-rank (the
/// smallest sample with at least 95 % of the samples at or below it), so it is always a value
/// that was measured: with fewer than 20 samples it is the maximum.
public struct LatencyStatistics: Hashable, Sendable {
    public var count: Int
    public var average: Double
    public var median: Double
    public var p95: Double
    public var minimum: Double
    public var maximum: Double

    /// nil for no samples.
    public init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let count = sorted.count
        self.count = count
        average = sorted.reduce(0, +) / Double(count)
        median = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
        p95 = sorted[LatencyStatistics.nearestRank(0.95, count: count) - 1]
        minimum = sorted[0]
        maximum = sorted[count - 1]
    }

    /// The 1-based rank ⌈fraction × count⌉, computed in integers so 0.95 × 20 is exactly 19.
    static func nearestRank(_ fraction: Double, count: Int) -> Int {
        let hundredths = Int((fraction * 100).rounded())
        return max(1, (hundredths * count + 99) / 100)
    }
}
