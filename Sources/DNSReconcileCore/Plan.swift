/// What the planner decided for one record set, with the Route53 changes that carry it out.
public struct PlannedChange: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable, CaseIterable {
        case create, update, delete
    }

    public var action: Action
    /// The record set it is about (desired key for create/update, current key for delete).
    public var key: RecordKey
    public var old: RecordSet?
    public var new: RecordSet?
    /// The ChangeResourceRecordSets elements, companions included. They are applied in one batch.
    public var changes: [Change]
    /// Human-readable reason, shown in the plan (e.g. "routing policy changes: delete + create").
    public var reason: String?

    public init(action: Action, key: RecordKey, old: RecordSet?, new: RecordSet?, changes: [Change], reason: String? = nil) {
        self.action = action
        self.key = key
        self.old = old
        self.new = new
        self.changes = changes
        self.reason = reason
    }
}

/// A desired record set the planner did not act on, and why (claimed by another owner, no
/// companion can be written, held because its source value is invalid, refused by the policy).
public struct PlanNotice: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// Another owner (or no owner) holds the name: counted in `dnsreconcile_conflicts`.
        case conflict
        /// The companion cannot be written, so the record is not written either.
        case noCompanion = "no-companion"
        /// Kept as it is because the endpoint's source value is invalid.
        case held
        /// The policy forbids the change (upsert-only delete, create-only update).
        case policy
        /// The change is invalid for Route53 and was not sent.
        case invalid
    }

    /// A routing policy change blocked only by other owners' sets under the old policy.
    public struct RoutingSwitch: Hashable, Sendable {
        /// The policy this owner wants (`RoutingPolicy.kind`).
        public var wanted: String
        /// The owners whose sets block it.
        public var blockedBy: [String]
        public init(wanted: String, blockedBy: [String]) {
            self.wanted = wanted
            self.blockedBy = blockedBy
        }
    }

    public var kind: Kind
    public var key: RecordKey
    public var message: String
    public var location: SourceLocation?
    /// Set on a `.conflict` that a switch of the other owners in the same pass would resolve.
    public var routingSwitch: RoutingSwitch?

    public init(kind: Kind, key: RecordKey, message: String, location: SourceLocation? = nil) {
        self.kind = kind
        self.key = key
        self.message = message
        self.location = location
    }
}

/// The plan for one zone of one cluster.
public struct ZonePlan: Hashable, Sendable {
    public var zone: HostedZone
    /// The planner's changes, in key order.
    public var changes: [PlannedChange]
    public var notices: [PlanNotice]
    /// Creates at names where the zone has nothing, kept as their endpoints (`FreshCreates`);
    /// they are changes of the plan as much as `changes`.
    public var fresh: FreshCreates?

    public init(zone: HostedZone, changes: [PlannedChange] = [], notices: [PlanNotice] = [], fresh: FreshCreates? = nil) {
        self.zone = zone
        self.changes = changes
        self.notices = notices
        self.fresh = fresh
    }

    public func count(_ action: PlannedChange.Action) -> Int {
        changes.filter { $0.action == action }.count + (action == .create ? fresh?.count ?? 0 : 0)
    }

    /// Every change of the plan, `fresh` included.
    public var changeCount: Int { changes.count + (fresh?.count ?? 0) }

    /// Every change of the plan in key order, the fresh creates made: for showing a plan, not
    /// for applying one (`Batcher.layout` takes them a batch at a time).
    public var allChanges: [PlannedChange] {
        guard let fresh, fresh.count > 0 else { return changes }
        let made = (0..<fresh.count).map { fresh.change(at: $0) }
        return (changes + made).enumerated().sorted { lhs, rhs in
            if lhs.element.key != rhs.element.key { return lhs.element.key < rhs.element.key }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Adds `more` (in key order, at keys the plan has no change for) to `changes`, which stay
    /// in key order: the updates `SteadyState` made without planning.
    public mutating func merge(_ more: [PlannedChange]) {
        guard !more.isEmpty else { return }
        var merged: [PlannedChange] = []
        merged.reserveCapacity(changes.count + more.count)
        var next = 0
        for change in changes {
            while next < more.count && more[next].key < change.key {
                merged.append(more[next])
                next += 1
            }
            merged.append(change)
        }
        merged += more[next...]
        changes = merged
    }

    /// The changes at `items`, in the order given.
    public func changes(at items: [Batcher.Item]) -> [PlannedChange] {
        items.map { item in
            switch item {
            case .planned(let index): changes[Int(index)]
            case .fresh(let index): fresh!.change(at: Int(index))
            }
        }
    }
}
