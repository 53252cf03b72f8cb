/// Splits a zone plan into ChangeResourceRecordSets batches within Route53's per-request limits,
/// in as few requests as those limits allow.
///
/// Route53 applies a batch atomically, so everything that must succeed or fail together goes in
/// one batch: a group is every planned change of one name (the record set, its ownership
/// companion, and every set identifier of the name). Groups are never split; one too large for
/// any batch is an error, never dropped (ExternalDNS drops it with a warning).
///
/// Groups of different names never depend on each other (a change that needs another name's
/// delete first is refused by the planner), so they are packed in any order: first fit,
/// largest groups first. With groups much smaller than a batch (a record and its companion cost
/// 2–6 of the 1,000 records) every batch but the last is full to within one group, so a plan
/// takes ⌈records / 1,000⌉ or ⌈characters / 32,000⌉ batches, whichever is more (`minimumBatches`).
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
    public struct Cost: Hashable, Sendable {
        public var records = 0
        public var characters = 0
        public var changes = 0

        public init(records: Int = 0, characters: Int = 0, changes: Int = 0) {
            self.records = records
            self.characters = characters
            self.changes = changes
        }

        public static func + (lhs: Cost, rhs: Cost) -> Cost {
            Cost(records: lhs.records + rhs.records, characters: lhs.characters + rhs.characters,
                 changes: lhs.changes + rhs.changes)
        }
    }

    /// Route53's accounting for one Change element.
    public static func cost(of change: Change) -> Cost {
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

    /// The total cost of every Change element of `changes`.
    public static func cost(of changes: [PlannedChange]) -> Cost {
        var total = Cost()
        for planned in changes {
            for change in planned.changes { total = total + cost(of: change) }
        }
        return total
    }

    /// The fewest requests any packing needs for `cost`: each limit divides the total.
    public func minimumBatches(for cost: Cost) -> Int {
        func ceiling(_ value: Int, _ limit: Int) -> Int { limit > 0 ? (value + limit - 1) / limit : 0 }
        return max(ceiling(cost.records, maxRecords), ceiling(cost.characters, maxValueCharacters),
                   ceiling(cost.changes, maxChanges))
    }

    func fits(_ cost: Cost) -> Bool {
        cost.records <= maxRecords && cost.characters <= maxValueCharacters && cost.changes <= maxChanges
    }

    /// The batches for `plan`, each a whole number of groups, packed first fit with the largest
    /// groups first (by their largest share of any limit; ties in name order, so the result does
    /// not depend on the plan's order). Send each with `Batcher.changes(in:)`, which puts deletes
    /// first. A plan that fits one request is one batch, in name order.
    ///
    /// Throws `.batchTooLarge` naming the name and its counts when one name's changes exceed a
    /// limit on their own.
    public func batches(for plan: ZonePlan) throws(DNSReconcileError) -> [[PlannedChange]] {
        guard !plan.changes.isEmpty else { return [] }
        // One group per name: consecutive runs when the plan is in key order (the planner's
        // output), a dictionary otherwise.
        var groups: [(name: DNSName, changes: [PlannedChange], cost: Cost)] = []
        var groupOfName: [DNSName: Int] = [:]
        for change in plan.changes {
            let name = change.key.name
            if let last = groups.last, last.name == name {
                groups[groups.count - 1].changes.append(change)
            } else if let index = groupOfName[name] {
                groups[index].changes.append(change)
            } else {
                groupOfName[name] = groups.count
                groups.append((name, [change], Cost()))
            }
        }
        groupOfName = [:]
        for index in groups.indices {
            let cost = Batcher.cost(of: groups[index].changes)
            guard fits(cost) else {
                let name = groups[index].name
                throw DNSReconcileError(
                    .batchTooLarge,
                    "the changes for \(name.fqdn) in \(plan.zone.name.fqdn) need \(cost.records) resource records, "
                        + "\(cost.characters) value characters and \(cost.changes) changes in one batch, over the limits "
                        + "(\(maxRecords) records, \(maxValueCharacters) characters, \(maxChanges) changes); "
                        + "they must be applied together, so reduce the record sets of this name")
            }
            groups[index].cost = cost
        }

        // Parts per million of each limit, per group and in total.
        func shares(_ cost: Cost) -> (records: Int, characters: Int, changes: Int) {
            func part(_ value: Int, _ limit: Int) -> Int { limit > 0 ? value * 1_000_000 / limit : 0 }
            return (part(cost.records, maxRecords), part(cost.characters, maxValueCharacters), part(cost.changes, maxChanges))
        }
        let groupShares = groups.map { shares($0.cost) }
        let total = shares(groups.reduce(Cost()) { $0 + $1.cost })
        // Two orders, largest first: by the group's largest share of any limit, and by its share
        // of the limit the whole plan presses hardest (so the other limits fill evenly). Both
        // are packed first fit; the one needing fewer requests wins, the first on a tie.
        let byLargest = groups.indices.map { i in max(groupShares[i].records, groupShares[i].characters, groupShares[i].changes) }
        let binding: [Int]
        if total.records >= total.characters && total.records >= total.changes {
            binding = groupShares.map(\.records)
        } else if total.characters >= total.changes {
            binding = groupShares.map(\.characters)
        } else {
            binding = groupShares.map(\.changes)
        }
        var members: [[Int]] = []
        for weights in [byLargest, binding] {
            let order = groups.indices.sorted { lhs, rhs in
                if weights[lhs] != weights[rhs] { return weights[lhs] > weights[rhs] }
                return groups[lhs].name < groups[rhs].name
            }
            let packed = firstFit(order, costs: groups.map(\.cost))
            if members.isEmpty || packed.count < members.count { members = packed }
            if members.count <= minimumBatches(for: groups.reduce(Cost()) { $0 + $1.cost }) { break }
        }
        return members.map { batch in
            Batcher.ordered(batch.sorted { groups[$0].name < groups[$1].name }.flatMap { groups[$0].changes })
        }
    }

    /// Packs the groups at `order` (positions into `costs`) first fit: each into the first
    /// batch it fits, else a new one. Returns the positions per batch.
    private func firstFit(_ order: [Int], costs: [Cost]) -> [[Int]] {
        // Every group costs at least this in each dimension: a batch that cannot take it is
        // closed for good, which keeps first fit close to linear for plans of many small groups.
        let smallest = costs.dropFirst().reduce(costs[0]) { least, cost in
            Cost(records: min(least.records, cost.records), characters: min(least.characters, cost.characters),
                 changes: min(least.changes, cost.changes))
        }
        var spent: [Cost] = []
        var members: [[Int]] = []
        var open: [Int] = []
        for index in order {
            let cost = costs[index]
            let target: Int
            if let position = open.firstIndex(where: { fits(spent[$0] + cost) }) {
                target = open[position]
            } else {
                target = spent.count
                spent.append(Cost())
                members.append([])
                open.append(target)
            }
            spent[target] = spent[target] + cost
            members[target].append(index)
            if !fits(spent[target] + smallest) { open.removeAll { $0 == target } }
        }
        return members
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
