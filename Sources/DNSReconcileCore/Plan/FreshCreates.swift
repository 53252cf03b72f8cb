/// Creates at names where the zone holds nothing, each made from its endpoint when it is
/// needed instead of being kept: the first pass over a zone of 50,000 names holds the
/// endpoints it was given, not 100,000 record sets and their drafts.
///
/// `SteadyState` sets them apart when it can show that the planner would plan exactly this
/// for each of them: nothing was listed at the endpoint's name or at its companion's name,
/// every endpoint at the name is a plain one (no alias, health check, held name, competing
/// endpoint or mixed routing), and no other endpoint of the plan has either name as its own
/// or as its companion's. Each is then a CREATE of its record set (TTL as configured, else
/// Route53's default) with a CREATE of its companion, and nothing else in the plan writes at
/// those names.
public struct FreshCreates: Sendable {
    /// In key order.
    public let endpoints: [Endpoint]
    let registry: TXTRegistry
    let zone: HostedZone

    init(endpoints: [Endpoint], registry: TXTRegistry, zone: HostedZone) {
        self.endpoints = endpoints
        self.registry = registry
        self.zone = zone
    }

    public var count: Int { endpoints.count }

    /// The create for the endpoint at `index`.
    public func change(at index: Int) -> PlannedChange {
        let endpoint = endpoints[index]
        let record = FreshCreates.record(of: endpoint)
        guard let companion = FreshCreates.companion(of: record, endpoint: endpoint, registry: registry, zone: zone) else {
            preconditionFailure("a fresh create without its companion: \(record.key)")
        }
        return PlannedChange(action: .create, key: record.key, old: nil, new: record,
                             changes: [Change(.create, record), Change(.create, companion)])
    }

    /// The record set the planner writes for a plain endpoint at a key that has none.
    static func record(of endpoint: Endpoint) -> RecordSet {
        Planner.plainRecordSet(for: endpoint, ttl: endpoint.ttl ?? Endpoint.defaultTTL)
    }

    /// The companion the registry writes for `record`, when it writes one Route53 takes.
    static func companion(of record: RecordSet, endpoint: Endpoint, registry: TXTRegistry,
                          zone: HostedZone) -> RecordSet? {
        let empty = ZoneInventory(zone: zone, records: [], registryTXTs: [])
        guard let made = try? registry.companion(for: record, resource: endpoint.resource, existing: nil, inventory: empty),
              Route53Rules.violations(of: made, in: zone.name).isEmpty else { return nil }
        return made
    }
}

extension FreshCreates: Hashable {
    /// Equal when they make the same changes in the same zone.
    public static func == (lhs: FreshCreates, rhs: FreshCreates) -> Bool {
        lhs.zone == rhs.zone && lhs.count == rhs.count && (0..<lhs.count).allSatisfy { lhs.change(at: $0) == rhs.change(at: $0) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(zone)
        hasher.combine(count)
        for endpoint in endpoints { hasher.combine(endpoint.key) }
    }
}
