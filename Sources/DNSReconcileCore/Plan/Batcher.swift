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

    /// A change of a plan: one of its planner's `changes`, or one of its `fresh` creates.
    public enum Item: Hashable, Sendable {
        case planned(Int32)
        case fresh(Int32)
    }

    /// How a plan goes out: its changes per request, and what they cost in total.
    public struct Layout: Hashable, Sendable {
        /// Each a whole number of groups, in name order; `changes(at:in:)` makes a batch of them.
        public var batches: [[Item]]
        public var cost: Cost
    }

    /// The batches for `plan`, each a whole number of groups, packed first fit with the largest
    /// groups first (by their largest share of any limit; ties in name order, so the result does
    /// not depend on the plan's order). Send each with `Batcher.changes(in:)`, which puts deletes
    /// first. A plan that fits one request is one batch, in name order.
    ///
    /// Throws `.batchTooLarge` naming the name and its counts when one name's changes exceed a
    /// limit on their own.
    public func batches(for plan: ZonePlan) throws(DNSReconcileError) -> [[PlannedChange]] {
        try layout(for: plan).batches.map { Batcher.changes(at: $0, in: plan) }
    }

    /// The planned changes at `items` of `plan`, deletes first (`ordered`): one batch of `layout`.
    public static func changes(at items: [Item], in plan: ZonePlan) -> [PlannedChange] {
        ordered(plan.changes(at: items))
    }

    /// `batches(for:)` as positions in the plan: a fresh create is made only to be costed here,
    /// and again when its batch goes out, so a plan of 50,000 of them is never held made.
    public func layout(for plan: ZonePlan) throws(DNSReconcileError) -> Layout {
        guard plan.changeCount > 0 else { return Layout(batches: [], cost: Cost()) }
        // The planner's changes, one group per name: consecutive runs when the plan is in key
        // order (the planner's output), a dictionary otherwise; then in name order.
        var planned: [(name: DNSName, members: [Int32])] = []
        var groupOfName: [DNSName: Int] = [:]
        for (index, change) in plan.changes.enumerated() {
            let name = change.key.name
            if let last = planned.last, last.name == name {
                planned[planned.count - 1].members.append(Int32(index))
            } else if let group = groupOfName[name] {
                planned[group].members.append(Int32(index))
            } else {
                groupOfName[name] = planned.count
                planned.append((name, [Int32(index)]))
            }
        }
        groupOfName = [:]
        if !planned.indices.dropFirst().allSatisfy({ planned[$0 - 1].name < planned[$0].name }) {
            planned.sort { $0.name < $1.name }
        }

        // Merged with the fresh creates (in key order, so one name's are consecutive) into one
        // list of groups in name order: `items` from `starts[g]` on, costing `costs[g]`.
        var items: [Item] = []
        items.reserveCapacity(plan.changeCount)
        var starts: [Int32] = []
        starts.reserveCapacity(plan.changeCount + 1)
        var costs: [GroupCost] = []
        costs.reserveCapacity(plan.changeCount)
        let fresh = plan.fresh
        let freshCount = fresh?.count ?? 0
        var nextPlanned = 0, nextFresh = 0
        func addPlanned() {
            var cost = Cost()
            for index in planned[nextPlanned].members {
                items.append(.planned(index))
                for change in plan.changes[Int(index)].changes { cost = cost + Batcher.cost(of: change) }
            }
            nextPlanned += 1
            costs[costs.count - 1].add(cost)
        }
        while nextPlanned < planned.count || nextFresh < freshCount {
            let freshName = nextFresh < freshCount ? fresh!.endpoints[nextFresh].name : nil
            starts.append(Int32(items.count))
            costs.append(GroupCost())
            if let freshName {
                if nextPlanned < planned.count && planned[nextPlanned].name < freshName {
                    addPlanned()
                    continue
                }
                if nextPlanned < planned.count && planned[nextPlanned].name == freshName { addPlanned() }
                while nextFresh < freshCount && fresh!.endpoints[nextFresh].name == freshName {
                    items.append(.fresh(Int32(nextFresh)))
                    for change in fresh!.change(at: nextFresh).changes { costs[costs.count - 1].add(Batcher.cost(of: change)) }
                    nextFresh += 1
                }
            } else {
                addPlanned()
            }
        }
        planned = []
        starts.append(Int32(items.count))
        let groups = costs.indices
        for group in groups where !fits(costs[group].cost) {
            let cost = costs[group].cost
            let first = plan.changes(at: [items[Int(starts[group])]])[0].key.name
            throw DNSReconcileError(
                .batchTooLarge,
                "the changes for \(first.fqdn) in \(plan.zone.name.fqdn) need \(cost.records) resource records, "
                    + "\(cost.characters) value characters and \(cost.changes) changes in one batch, over the limits "
                    + "(\(maxRecords) records, \(maxValueCharacters) characters, \(maxChanges) changes); "
                    + "they must be applied together, so reduce the record sets of this name")
        }
        let total = costs.reduce(Cost()) { $0 + $1.cost }

        // Parts per million of each limit, per group and in total.
        func shares(_ cost: Cost) -> (records: Int, characters: Int, changes: Int) {
            func part(_ value: Int, _ limit: Int) -> Int { limit > 0 ? value * 1_000_000 / limit : 0 }
            return (part(cost.records, maxRecords), part(cost.characters, maxValueCharacters), part(cost.changes, maxChanges))
        }
        let totalShares = shares(total)
        // Two orders, largest first: by the group's largest share of any limit, and by its share
        // of the limit the whole plan presses hardest (so the other limits fill evenly). Both
        // are packed first fit; the one needing fewer requests wins, the first on a tie. Groups
        // are in name order, so a tie goes to the smaller position. A share of a group that
        // fits is at most 1,000,000, so 32 bits hold it.
        let byLargest = costs.map { group in
            let share = shares(group.cost)
            return Int32(max(share.records, share.characters, share.changes))
        }
        let binding: [Int32] = if totalShares.records >= totalShares.characters && totalShares.records >= totalShares.changes {
            costs.map { Int32(shares($0.cost).records) }
        } else if totalShares.characters >= totalShares.changes {
            costs.map { Int32(shares($0.cost).characters) }
        } else {
            costs.map { Int32(shares($0.cost).changes) }
        }
        var members: [[Int32]] = []
        for weights in [byLargest, binding] {
            var order = Array(0..<Int32(groups.count))
            order.sort { lhs, rhs in
                if weights[Int(lhs)] != weights[Int(rhs)] { return weights[Int(lhs)] > weights[Int(rhs)] }
                return lhs < rhs
            }
            let packed = firstFit(order, costs: costs)
            if members.isEmpty || packed.count < members.count { members = packed }
            if members.count <= minimumBatches(for: total) { break }
        }
        let batches = members.map { batch in
            batch.sorted().flatMap { group in items[Int(starts[Int(group)])..<Int(starts[Int(group) + 1])] }
        }
        return Layout(batches: batches, cost: total)
    }

    /// One group's cost in 12 bytes, as a plan of 50,000 names has 50,000 groups. A count past
    /// 32 bits is kept as the largest, which no limit allows either.
    private struct GroupCost {
        var records: Int32 = 0
        var characters: Int32 = 0
        var changes: Int32 = 0

        var cost: Cost { Cost(records: Int(records), characters: Int(characters), changes: Int(changes)) }

        mutating func add(_ cost: Cost) {
            let sum = self.cost + cost
            records = Int32(clamping: sum.records)
            characters = Int32(clamping: sum.characters)
            changes = Int32(clamping: sum.changes)
        }
    }

    /// Packs the groups at `order` (positions into `costs`) first fit: each into the first
    /// batch it fits, else a new one. Returns the positions per batch.
    private func firstFit(_ order: [Int32], costs: [GroupCost]) -> [[Int32]] {
        // Every group costs at least this in each dimension: a batch that cannot take it is
        // closed for good, which keeps first fit close to linear for plans of many small groups.
        let smallest = costs.dropFirst().reduce(costs[0].cost) { least, group in
            let cost = group.cost
            return Cost(records: min(least.records, cost.records), characters: min(least.characters, cost.characters),
                        changes: min(least.changes, cost.changes))
        }
        var spent: [Cost] = []
        var members: [[Int32]] = []
        var open: [Int] = []
        for index in order {
            let cost = costs[Int(index)].cost
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
