/// Everything one invocation did, from which the exit status and the metrics file follow.
public struct PassReport: Sendable {
    /// One Route53 operation and its outcome (`"200"`, `"Throttling"`, `"transport"`) or retry
    /// reason: the labels of `dnsreconcile_api_requests` / `dnsreconcile_api_retries`.
    public struct APICall: Hashable, Comparable, Sendable {
        public var operation: String
        public var detail: String
        public init(operation: String, detail: String) {
            self.operation = operation
            self.detail = detail
        }
        public static func < (lhs: APICall, rhs: APICall) -> Bool {
            (lhs.operation, lhs.detail) < (rhs.operation, rhs.detail)
        }
    }

    public var version: String
    /// Start of the pass (seconds since the epoch).
    public var startedAt: Double
    /// True for `plan` and `run --dry-run`: nothing was applied, so no success is recorded.
    public var dryRun: Bool
    public var clusters: [ClusterReport]
    public var apiRequests: [APICall: Int]
    public var apiRetries: [APICall: Int]

    public init(version: String, startedAt: Double, dryRun: Bool = false, clusters: [ClusterReport] = [],
                apiRequests: [APICall: Int] = [:], apiRetries: [APICall: Int] = [:]) {
        self.version = version
        self.startedAt = startedAt
        self.dryRun = dryRun
        self.clusters = clusters
        self.apiRequests = apiRequests
        self.apiRetries = apiRetries
    }

    /// The process exit status of CONTRACT §2: 1 when a cluster failed, else 2 when a plan was
    /// refused by the safety limits, else 0.
    public var exitStatus: Int32 {
        let statuses = clusters.map(\.status)
        if statuses.contains(.failed) { return 1 }
        if statuses.contains(.refused) { return 2 }
        return 0
    }
}
