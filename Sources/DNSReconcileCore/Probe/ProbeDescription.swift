/// What was probed and how: the heading of a summary.
public struct ProbeDescription: Hashable, Sendable {
    public var url: String
    public var name: String
    public var type: RecordType
    public var resolver: String
    /// Seconds between round starts.
    public var interval: Double
    public var watch: Bool

    public init(url: String, name: String, type: RecordType, resolver: String, interval: Double, watch: Bool) {
        self.url = url
        self.name = name
        self.type = type
        self.resolver = resolver
        self.interval = interval
        self.watch = watch
    }
}
