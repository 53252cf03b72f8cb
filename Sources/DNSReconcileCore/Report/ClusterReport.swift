/// The outcome of one cluster's part of a pass: the numbers behind its metrics, its plans and
/// what went wrong.
public struct ClusterReport: Sendable {
    /// How the cluster's part of the pass ended, worst first.
    public enum Status: String, Hashable, Sendable {
        /// Everything planned was applied (or only planned, in plan / dry-run mode).
        case ok
        /// A source, the provider, the config file or some changes failed.
        case failed
        /// A plan exceeded the safety limits and was not applied.
        case refused
    }

    public var name: String
    /// When this cluster's work started (seconds since the epoch).
    public var startedAt: Double
    public var duration: Double
    /// Desired endpoints the sources produced (valid ones).
    public var sourceEndpoints: Int
    /// Endpoints skipped for bad values; their names were held.
    public var invalidEndpoints: [InvalidEndpoint]
    /// Record sets of the cluster's zones by owner, keyed by `Owner.metricLabel`.
    public var registryRecords: [String: Int]
    public var zones: [ZoneReport]
    /// Desired endpoints that fall in none of the cluster's zones.
    public var unassigned: [Endpoint]
    /// Planned changes that Route53 accepted, by action.
    public var applied: [PlannedChange.Action: Int]
    /// Planned changes that were sent and refused, or not sent because the deadline passed.
    public var failedChanges: Int
    /// Why the cluster failed (config, source, provider, batch, deadline), in order.
    public var errors: [DNSReconcileError]

    public init(name: String, startedAt: Double = 0, duration: Double = 0, sourceEndpoints: Int = 0,
                invalidEndpoints: [InvalidEndpoint] = [], registryRecords: [String: Int] = [:],
                zones: [ZoneReport] = [], unassigned: [Endpoint] = [], applied: [PlannedChange.Action: Int] = [:],
                failedChanges: Int = 0, errors: [DNSReconcileError] = []) {
        self.name = name
        self.startedAt = startedAt
        self.duration = duration
        self.sourceEndpoints = sourceEndpoints
        self.invalidEndpoints = invalidEndpoints
        self.registryRecords = registryRecords
        self.zones = zones
        self.unassigned = unassigned
        self.applied = applied
        self.failedChanges = failedChanges
        self.errors = errors
    }

    /// A failure outranks a refusal: `--force` would not fix a cluster that also failed.
    public var status: Status {
        if !errors.isEmpty || failedChanges > 0 { return .failed }
        if zones.contains(where: { $0.refusal != nil }) { return .refused }
        return .ok
    }

    /// Planned changes over all zones, by action.
    public func planned(_ action: PlannedChange.Action) -> Int {
        zones.reduce(0) { $0 + $1.plan.count(action) }
    }

    /// Names claimed by another owner (or by nobody) that this cluster wanted.
    public var conflicts: Int {
        zones.reduce(0) { total, zone in total + zone.plan.notices.filter { $0.kind == .conflict }.count }
    }
}
