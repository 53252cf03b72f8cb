/// Judges a ChangeResourceRecordSets batch the way Route53 would, before it is sent.
///
/// The emulator accepts much that Route53 rejects (route53-api.md §5.4), and Route53 rejects a
/// whole batch for one bad change. The planner already refuses record sets that are invalid on
/// their own; what it cannot see is the zone as it is when the batch goes out (another cluster
/// wrote there earlier in the pass, a set changed since the listing). So each batch is replayed
/// here on the zone's record sets — the listing the plan was made from, updated with every batch
/// applied since — and the groups Route53 would refuse are kept back, with Route53's reasons.
///
/// Rules, per change in the order sent (deletes, upserts, creates):
/// - DELETE: the set exists exactly as given (values, TTL, routing, health check, alias);
/// - CREATE: no set with its name, type and set identifier exists;
/// - CREATE and UPSERT: the set is valid on its own (`Route53Rules`: TXT strings ≤ 255, TTL
///   range, value lengths and counts, CNAME at the apex, ...); an alias that names this zone
///   points at a name inside it;
/// - a set appears once per batch, except a DELETE followed by a CREATE or UPSERT of it;
/// and per name touched, after the batch (only what the batch introduces counts):
/// - a CNAME shares its name with no other type, whatever the set identifiers;
/// - the sets of one name and type share one routing policy; at most 100 of them route
///   (30 geoproximity).
///
/// Pure: values in, verdicts out; `record(_:)` moves the zone on after a batch was applied.
public struct BatchValidator: Sendable {
    public let zone: HostedZone
    private let base: [RecordSet]
    /// Positions in `base` by name; nil when only `changed` is used (the names were given).
    private let index: NameIndex?
    /// The sets of every name looked at so far that is not read from `base` through `index`.
    private var changed: [DNSName: [RecordSet]] = [:]
    /// The names given, when given: sets at other names are not kept.
    private let names: Set<DNSName>?

    /// Route53's cap on the sets of one name and type that share a routing policy.
    public static let maxRoutedSets = 100
    public static let maxGeoproximitySets = 30

    /// - Parameters:
    ///   - recordSets: the zone's record sets, of any type and owner (a listing of the names
    ///     concerned is enough).
    ///   - names: the names the batches touch that need the zone's sets (those of a plan's
    ///     changes, companions included); only their sets are kept, so a check costs memory in
    ///     proportion to the plan, not to the zone. A batch may touch other names only where
    ///     nothing is listed and no other batch writes (`FreshCreates`): it is judged on its own
    ///     there, and what it writes is not kept. nil: any name.
    public init(zone: HostedZone, recordSets: [RecordSet], names: Set<DNSName>? = nil) {
        self.zone = zone
        self.names = names
        guard let names else {
            base = recordSets
            index = NameIndex(recordSets) { $0.name }
            return
        }
        base = []
        index = nil
        changed.reserveCapacity(names.count)
        for set in recordSets where names.contains(set.name) { changed[set.name, default: []].append(set) }
    }

    /// The record sets at `name` as the zone holds them now.
    public func recordSets(named name: DNSName) -> [RecordSet] {
        if let sets = changed[name] { return sets }
        return index.map { $0.positions(of: name).map { base[$0] } } ?? []
    }

    /// Notes changes Route53 applied (in the order given; deletes first, as sent), so later
    /// batches are judged against the zone as it is now.
    public mutating func record(_ changes: [Change]) {
        for change in changes {
            let set = change.recordSet
            if let names, !names.contains(set.name) { continue }
            var sets = recordSets(named: set.name)
            sets.removeAll { $0.key == set.key }
            if change.action != .delete { sets.append(set) }
            changed[set.name] = sets
        }
    }

    /// The groups of `batch` (`BatchSplitter.groups`) Route53 would accept, in order, and those
    /// it would refuse, each with every reason.
    ///
    /// Groups touch disjoint names, so each is judged on its own; a batch without problems is
    /// judged in one replay.
    public func verdict(on batch: [PlannedChange]) -> BatchVerdict {
        guard !batch.isEmpty else { return BatchVerdict(accepted: [], refused: []) }
        if problems(of: Batcher.changes(in: batch)).isEmpty { return BatchVerdict(accepted: batch, refused: []) }
        var verdict = BatchVerdict(accepted: [], refused: [])
        for group in BatchSplitter.groups(of: batch) {
            let found = problems(of: Batcher.changes(in: group))
            if found.isEmpty {
                verdict.accepted += group
            } else {
                verdict.refused.append(BatchVerdict.Refusal(changes: group, reasons: found))
            }
        }
        return verdict
    }

    /// Every rule Route53 would break applying `changes`, in the order given, to the zone as it
    /// is now; empty when it would accept them.
    public func problems(of changes: [Change]) -> [String] {
        var problems: [String] = []
        var sets: [DNSName: [RecordSet]] = [:]
        var touched: [DNSName] = []
        var actions: [RecordKey: [Change.Action]] = [:]
        var keyOrder: [RecordKey] = []

        for change in changes {
            let set = change.recordSet
            if sets[set.name] == nil {
                sets[set.name] = recordSets(named: set.name)
                touched.append(set.name)
            }
            if actions[set.key] == nil { keyOrder.append(set.key) }
            actions[set.key, default: []].append(change.action)
            let existing = sets[set.name]!.firstIndex { $0.key == set.key }
            switch change.action {
            case .delete:
                guard let existing else {
                    problems.append("Tried to delete resource record set \(BatchValidator.describe(set.key)) but it was not found")
                    continue
                }
                let present = sets[set.name]![existing]
                guard present.sameContent(as: set, compareTTL: true) else {
                    problems.append("Tried to delete resource record set \(BatchValidator.describe(set.key)) but the values "
                                    + "provided do not match the current values")
                    continue
                }
                sets[set.name]!.remove(at: existing)
            case .create, .upsert:
                if change.action == .create, existing != nil {
                    problems.append("Tried to create resource record set \(BatchValidator.describe(set.key)) but it already exists")
                    continue
                }
                problems += Route53Rules.violations(of: set, in: zone.name)
                if let alias = set.alias, alias.hostedZoneID.uppercased() == zone.id.uppercased(),
                   !alias.dnsName.isWithin(zone.name) {
                    problems.append("Tried to create an alias that targets \(alias.dnsName.fqdn), type \(set.type) in zone "
                                    + "\(zone.id), but the alias target name does not lie within the target zone")
                }
                if let existing { sets[set.name]![existing] = set } else { sets[set.name]!.append(set) }
            }
        }

        for key in keyOrder {
            let sequence = actions[key]!
            guard sequence.count > 1, sequence != [.delete, .create], sequence != [.delete, .upsert] else { continue }
            problems.append("The batch changes \(BatchValidator.describe(key)) \(sequence.count) times "
                            + "(\(sequence.map(\.rawValue).joined(separator: ", "))); Route53 takes each record set once, "
                            + "or a DELETE followed by a CREATE")
        }
        for name in touched {
            let before = Set(nameProblems(recordSets(named: name), at: name))
            problems += nameProblems(sets[name]!, at: name).filter { !before.contains($0) }
        }
        return problems
    }

    /// What Route53 refuses among the sets of one name side by side.
    private func nameProblems(_ sets: [RecordSet], at name: DNSName) -> [String] {
        guard sets.count > 1 else { return [] }
        var problems: [String] = []
        let types = Set(sets.map(\.type))
        if types.contains(.cname), types.count > 1 {
            let others = types.subtracting([.cname]).sorted().map(\.rawValue).joined(separator: ", ")
            problems.append("RRSet of type CNAME with DNS name \(name.fqdn) is not permitted because a conflicting RRSet "
                            + "of type \(others) with the same DNS name exists in zone \(zone.name.fqdn)")
        }
        for type in types.sorted() {
            let group = sets.filter { $0.type == type }
            guard group.count > 1 else { continue }
            let kinds = group.map(\.routing.kind).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            if kinds.count > 1 {
                problems.append("The record sets of \(name.fqdn) \(type) mix \(kinds.sorted().joined(separator: " and ")) "
                                + "routing; Route53 holds one routing policy per name and type")
                continue
            }
            let limit = kinds.first == "geoproximity" ? BatchValidator.maxGeoproximitySets : BatchValidator.maxRoutedSets
            if group.count > limit {
                problems.append("\(group.count) \(kinds[0]) record sets share \(name.fqdn) \(type); Route53 allows \(limit)")
            }
        }
        return problems
    }

    /// `[name='www.example.com.', type='A', set-identifier='hk']`, as Route53 names a set.
    static func describe(_ key: RecordKey) -> String {
        "[name='\(key.name.fqdn)', type='\(key.type)'" + (key.setIdentifier.map { ", set-identifier='\($0)'" } ?? "") + "]"
    }
}
