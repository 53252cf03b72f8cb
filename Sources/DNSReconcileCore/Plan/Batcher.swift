/// Splits a zone plan into ChangeResourceRecordSets batches within Route53's per-request limits.
///
/// Route53 applies a batch atomically, so everything that must succeed or fail together goes in
/// one batch: a group is every planned change of one name (the record set, its ownership
/// companion, and every set identifier of the name). Groups are never split; one too large for
/// any batch is an error, never dropped (ExternalDNS drops it with a warning).
public struct Batcher: Hashable, Sendable {
    /// ResourceRecord elements per request; an alias counts 1, an UPSERT counts twice.
    public var maxRecords: Int
    /// Characters of all `Value` elements per request (alias: its DNS name); UPSERT counts twice.
    public var maxValueCharacters: Int
    /// Change elements per request (`batch-change-size`).
    public var maxChanges: Int

    public init(maxRecords: Int = 1000, maxValueCharacters: Int = 32000, maxChanges: Int = 1000) {
        self.maxRecords = maxRecords
        self.maxValueCharacters = maxValueCharacters
        self.maxChanges = maxChanges
    }

    /// What one request spends of each limit.
    struct Cost: Hashable, Sendable {
        var records = 0
        var characters = 0
        var changes = 0

        static func + (lhs: Cost, rhs: Cost) -> Cost {
            Cost(records: lhs.records + rhs.records, characters: lhs.characters + rhs.characters,
                 changes: lhs.changes + rhs.changes)
        }
    }

    /// Route53's accounting for one Change element.
    static func cost(of change: Change) -> Cost {
        let set = change.recordSet
        var cost = Cost(changes: 1)
        if let alias = set.alias {
            cost.records = 1
            cost.characters = alias.dnsName.value.utf8.count
        } else {
            cost.records = set.values.count
            cost.characters = set.values.reduce(0) { $0 + $1.utf8.count }
        }
        // Route53 counts an UPSERT as a delete plus a create.
        if change.action == .upsert {
            cost.records *= 2
            cost.characters *= 2
        }
        return cost
    }

    static func cost(of changes: [PlannedChange]) -> Cost {
        changes.lazy.flatMap(\.changes).map(cost(of:)).reduce(Cost(), +)
    }

    func fits(_ cost: Cost) -> Bool {
        cost.records <= maxRecords && cost.characters <= maxValueCharacters && cost.changes <= maxChanges
    }

    /// The batches for `plan`, in name order, groups packed greedily. Send each with
    /// `Batcher.changes(in:)`, which puts deletes first.
    ///
    /// Throws `.batchTooLarge` naming the name and its counts when one name's changes exceed a
    /// limit on their own.
    public func batches(for plan: ZonePlan) throws(DNSReconcileError) -> [[PlannedChange]] {
        let groups = Dictionary(grouping: plan.changes, by: \.key.name)
        var batches: [[PlannedChange]] = []
        var current: [PlannedChange] = []
        var spent = Cost()
        for name in groups.keys.sorted() {
            let group = groups[name]!.sorted { $0.key < $1.key }
            let cost = Batcher.cost(of: group)
            guard fits(cost) else {
                throw DNSReconcileError(
                    .batchTooLarge,
                    "the changes for \(name.fqdn) in \(plan.zone.name.fqdn) need \(cost.records) resource records, "
                        + "\(cost.characters) value characters and \(cost.changes) changes in one batch, over the limits "
                        + "(\(maxRecords) records, \(maxValueCharacters) characters, \(maxChanges) changes); "
                        + "they must be applied together, so reduce the record sets of this name")
            }
            if !current.isEmpty, !fits(spent + cost) {
                batches.append(Batcher.ordered(current))
                current = []
                spent = Cost()
            }
            current += group
            spent = spent + cost
        }
        if !current.isEmpty { batches.append(Batcher.ordered(current)) }
        return batches
    }

    /// The Change elements of `batch` in the order Route53 must apply them: deletes, then
    /// upserts, then creates, each in record-key order.
    ///
    /// Deletes go first because they free a name for what follows: a CNAME replacing an A record,
    /// a record set whose routing policy or alias-ness changes, a companion rewritten under the
    /// same name. Route53 applies a batch's changes in order and rejects a CREATE that collides
    /// with a set still present.
    public static func changes(in batch: [PlannedChange]) -> [Change] {
        let all = ordered(batch).flatMap(\.changes)
        return all.enumerated().sorted { lhs, rhs in
            if lhs.element.action != rhs.element.action { return lhs.element.action < rhs.element.action }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Planned changes with deletes first, then updates, then creates, for the same reason as
    /// `changes(in:)`.
    static func ordered(_ batch: [PlannedChange]) -> [PlannedChange] {
        func rank(_ action: PlannedChange.Action) -> Int {
            switch action {
            case .delete: 0
            case .update: 1
            case .create: 2
            }
        }
        return batch.sorted { lhs, rhs in
            if lhs.action != rhs.action { return rank(lhs.action) < rank(rhs.action) }
            return lhs.key < rhs.key
        }
    }
}
