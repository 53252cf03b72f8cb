/// What one cluster did in one hosted zone during a pass.
public struct ZoneReport: Hashable, Sendable {
    public var plan: ZonePlan
    /// Record sets this cluster owned in the zone before the pass (the safety check's base).
    public var ownedRecords: Int
    /// Set when the plan exceeded the safety limits and was not applied: the verdict's reason.
    public var refusal: String?
    /// Set when the plan exceeded the limits but `--force` applied it anyway.
    public var forcedPast: String?
    /// Managed health checks created, updated or deleted for the zone (in plan and dry-run
    /// modes: what would be), in the order they are sent.
    public var healthChecks: [HealthCheckChange] = []

    public init(plan: ZonePlan, ownedRecords: Int = 0, refusal: String? = nil, forcedPast: String? = nil) {
        self.plan = plan
        self.ownedRecords = ownedRecords
        self.refusal = refusal
        self.forcedPast = forcedPast
    }
}
