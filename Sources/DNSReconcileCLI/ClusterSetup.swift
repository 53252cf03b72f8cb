import DNSReconcileCore

/// One cluster as a pass runs it: its plugins built and its settings narrowed to what the pass
/// needs. The plugin table builds it from a `ClusterConfig`; tests build it by hand with fakes.
struct ClusterSetup {
    var name: String
    var ownerID: String?
    var sources: [EndpointSource]
    /// Carries the cluster's registry, policy, managed types and domain filter.
    var planner: Planner
    var zoneFilter: ZoneFilter
    var safety: SafetyLimits
    var batcher: Batcher
    /// The Route53 account connection, shared by every cluster with the same `account`.
    var provider: DNSProvider
    /// Identifies the account and endpoint (`endpoint|access key id`): zones are listed once per
    /// account per pass.
    var account: String
    /// The same connection's health-check operations, for managed health checks (nil: the
    /// provider has none, and an endpoint that asks for a check is held).
    var healthChecks: HealthCheckProvider? = nil
}
