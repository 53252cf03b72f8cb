/// How many answered rounds one cluster label served.
public struct ClusterShare: Hashable, Sendable {
    public var label: String
    public var count: Int
    /// Of the answered rounds, 0-100.
    public var percent: Double

    public init(label: String, count: Int, percent: Double) {
        self.label = label
        self.count = count
        self.percent = percent
    }
}
