/// Decides, for one hosted zone, what one owner must change so the zone holds its desired
/// endpoints, and what it must leave alone.
///
/// `plan` is a pure function: values in, a `ZonePlan` out; no logging, clock or I/O. Only record
/// sets of the managed types and inside the domain filter are seen, on both sides: every other
/// set is invisible, so it is never created, changed or deleted. A *key* is (name, type, set
/// identifier); *current* is the record set at a key with the owner the registry found,
/// *desired* the endpoint chosen for it.
///
///     name      | current                     | desired               | action
///     ----------+-----------------------------+-----------------------+-----------------------------------------------
///     www       | -                           | A 192.0.2.1           | CREATE record + CREATE companion (UPSERT when
///               |                             |                       |   that TXT already exists)
///     www       | - (A held by other-owner,   | CNAME lb.example.net  | .conflict notice naming the owner: Route53
///               |   or by no owner)           |                       |   puts a CNAME beside nothing
///     www       | - (A ours, deleted in this  | CNAME lb.example.net  | CREATE, after the DELETE of the A (same batch)
///               |   plan)                     |                       |
///     www       | - (A of other-owner at the  | AAAA 2001:db8::1      | .conflict: one owner per (name, set id) row,
///               |   same set identifier)      |                       |   as ExternalDNS
///     www       | A 192.0.2.1 ours            | A 192.0.2.1           | nothing (values as sets, TTL only if configured)
///     www       | A 192.0.2.1 ours, companion | A 192.0.2.1           | UPSERT companion ("ownership record rewritten
///               |   legacy-only or stale      |                       |   in the current format")
///     www       | A 192.0.2.1 ours            | A 192.0.2.2, or TTL 60| UPSERT record (+ UPSERT companion if changed)
///     www       | A 192.0.2.1 TTL 60 ours     | A 192.0.2.1, no TTL   | nothing: an unset TTL keeps the existing one
///     www       | A simple ours               | A weighted, or alias  | DELETE old + its companions as observed,
///               |                             |                       |   CREATE new + companion (one batch)
///     www       | A ours                      | -                     | DELETE record + every observed companion,
///               |                             |                       |   byte for byte as observed
///     www       | A ours, name held           | -, or different       | .held notice: an invalid source value never
///               |                             |                       |   takes a name off the air
///     www       | A of other-owner            | A ...                 | .conflict "owned by other-owner; this-owner
///               |                             |                       |   also wants this name"
///     www       | A [hk] latency of           | A [blue] weighted     | .conflict naming both owners and both routing
///               |   other-owner               |                       |   policies; never written
///     www       | -                           | alias, CNAME type     | CREATE an A and an AAAA alias, each with its
///               |                             |                       |   companion; target zone: aws-target-hosted-zone,
///               |                             |                       |   else `CanonicalHostedZones`, else this zone
///     www       | -                           | alias to a name with  | .invalid: Route53 would refuse it; the name
///               |                             |   no zone to name     |   is held
///     www       | A of no owner               | A ...                 | .conflict "not managed by any owner: add a
///               |                             |                       |   companion or remove it by hand"
///     www       | A of other-owner / no owner | -                     | nothing: not ours
///     www       | any                         | companion refused     | .noCompanion notice, no change for the record
///     www       | any                         | invalid for Route53   | .invalid notice, never sent; the name is held
///     www       | any                         | 2 endpoints, same key | the current owner's `resource` keeps it, else
///               |                             |                       |   fewest, then smallest sorted targets;
///               |                             |                       |   the others: .conflict notices
///     www       | any                         | CNAME and A           | the CNAME candidates: .conflict notices
///     www       | any                         | A simple and A        | the policy of the smallest key stays; the
///               |                             |   weighted            |   others: .conflict notices
///
/// Then the policy filters the changes: upsert-only refuses deletes and replacements (a delete
/// is needed), create-only everything but creates; a create that relied on a refused delete is
/// refused too. Each refusal is a `.policy` notice, saying which set would have to go and why
/// (a routing policy change, a CNAME that needs its name to itself).
public struct Planner {
    public var policy: Policy
    public var managedTypes: Set<RecordType>
    public var registry: Registry
    /// `[provider "route53"] evaluate-target-health`, for aliases that do not say.
    public var evaluateTargetHealthDefault: Bool
    /// Names outside it are not managed, on either side.
    public var domainFilter: DomainFilter
    /// Names and types (keys without a set identifier) where this owner's routing policy
    /// change may go ahead in two steps: its old sets are deleted now, while other owners'
    /// sets of the old policy are still there, and the new ones are created in a later plan,
    /// once those owners have switched too. The pass sets it when every owner at the name is
    /// switching to the same policy; Route53 holds one routing policy per name and type, so
    /// otherwise nobody could move first.
    public var yielding: Set<RecordKey> = []

    public init(policy: Policy, managedTypes: Set<RecordType> = [.a, .aaaa, .cname], registry: Registry,
                evaluateTargetHealthDefault: Bool = true, domainFilter: DomainFilter = DomainFilter()) {
        self.policy = policy
        self.managedTypes = managedTypes
        self.registry = registry
        self.evaluateTargetHealthDefault = evaluateTargetHealthDefault
        self.domainFilter = domainFilter
    }

    /// The plan for `inventory.zone`. `desired` are the endpoints assigned to this zone; `held`
    /// are names whose source value is invalid: what this owner has there stays as it is.
    public func plan(desired: [Endpoint], held: Set<DNSName>, inventory: ZoneInventory) -> ZonePlan {
        var work = PlanWork(planner: self, inventory: inventory, held: held)
        work.readCurrent()
        work.readDesired(desired)
        work.decide()
        work.resolveClashes()
        return work.finish()
    }

    func manages(_ type: RecordType, _ name: DNSName, in zone: HostedZone) -> Bool {
        managedTypes.contains(type) && domainFilter.matches(name) && name.isWithin(zone.name)
    }
}
