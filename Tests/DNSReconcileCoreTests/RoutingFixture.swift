import DNSReconcileCore

/// A zone that passes happen to: plans with the real TXT registry of an owner, applied the way
/// Route53 applies a batch (deletes must match, creates must be new), so several owners and
/// several passes can be played one after the other.
struct RoutingFixture {
    static let zone = HostedZone(id: "Z1EXAMPLE", name: "example.com")
    static let origin = SourceLocation(file: "conf.d/test.ini", line: 1)

    var zone = RoutingFixture.zone
    var sets: [RecordSet] = []

    static func registry(_ owner: String) -> TXTRegistry {
        TXTRegistry(ownerID: owner, managedTypes: [.a, .aaaa, .cname])
    }

    static func planner(_ owner: String, policy: Policy = .sync, evaluateTargetHealth: Bool = true) -> Planner {
        Planner(policy: policy, managedTypes: [.a, .aaaa, .cname], registry: registry(owner),
                evaluateTargetHealthDefault: evaluateTargetHealth)
    }

    static func endpoint(_ name: String, _ type: RecordType = .a, _ targets: [String], ttl: Int? = nil, set: String? = nil,
                         routing: RoutingPolicy = .simple, alias: AliasOptions? = nil, healthCheckID: String? = nil,
                         resource: String? = nil) -> Endpoint {
        Endpoint(name: DNSName(name), type: type, targets: targets, ttl: ttl, setIdentifier: set, routing: routing,
                 healthCheckID: healthCheckID, alias: alias, resource: resource, origin: origin)
    }

    /// What `owner` plans for `desired` against the zone as it is.
    func plan(_ owner: String, _ desired: [Endpoint], policy: Policy = .sync, held: Set<DNSName> = []) -> ZonePlan {
        RoutingFixture.planner(owner, policy: policy)
            .plan(desired: desired, held: held, inventory: RoutingFixture.registry(owner).inventory(of: sets, in: zone))
    }

    /// Applies `plan` batch by batch as the `Batcher` cuts it; returns false (and changes
    /// nothing of that batch) when Route53 would refuse one.
    @discardableResult
    mutating func apply(_ plan: ZonePlan, batcher: Batcher = Batcher()) -> Bool {
        guard let batches = try? batcher.batches(for: plan) else { return false }
        for batch in batches {
            var next = sets
            for change in Batcher.changes(in: batch) {
                let key = change.recordSet.key
                switch change.action {
                case .delete:
                    guard let index = next.firstIndex(of: change.recordSet) else { return false }
                    next.remove(at: index)
                case .create:
                    guard !next.contains(where: { $0.key == key }) else { return false }
                    next.append(change.recordSet)
                case .upsert:
                    next.removeAll { $0.key == key }
                    next.append(change.recordSet)
                }
            }
            sets = next
        }
        return true
    }

    /// Plans for `owner` and applies it; the plan is returned.
    @discardableResult
    mutating func pass(_ owner: String, _ desired: [Endpoint], policy: Policy = .sync) -> ZonePlan {
        let result = plan(owner, desired, policy: policy)
        apply(result)
        return result
    }

    /// `ACTION name TYPE [set]` per Route53 change, then `kind key` per notice.
    static func render(_ plan: ZonePlan) -> [String] {
        plan.changes.flatMap(\.changes).map(render) + plan.notices.map { "\($0.kind.rawValue) \($0.key)" }
    }

    static func render(_ change: Change) -> String {
        let set = change.recordSet
        return "\(change.action.rawValue) \(set.name) \(set.type)" + (set.setIdentifier.map { " [\($0)]" } ?? "")
    }

    /// The record sets at `name` (companions excluded), as `TYPE [set] routing`.
    func records(at name: DNSName) -> [String] {
        sets.filter { $0.name == name }.map { "\($0.type) [\($0.setIdentifier ?? "-")] \($0.routing.kind)" }.sorted()
    }
}
