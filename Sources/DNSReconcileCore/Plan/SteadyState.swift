/// Takes a zone's listing page by page and leaves out of planning the names that are exactly as
/// this owner wants them, so that a pass over a large zone holds neither those record sets nor
/// their plan.
///
/// A zone that a timer reconciles every minute is almost always as wanted: the planner would
/// build a candidate, an inventory entry and a companion for each of its 50,000 record sets only
/// to conclude that nothing changes. Here each listed set is compared, as it arrives, with the
/// one record set its key asks for; a set that is byte for byte what the planner would write
/// (the record, or its current-format companion) is dropped and only a bit is kept for it.
/// Everything else is kept for the planner.
///
/// At the end a name is *settled* when every endpoint at it, and at its companion names, found
/// both its record and its companion exactly, and nothing else was listed there. Settled names
/// go nowhere; for every other name the dropped sets are rebuilt (they were exact, so the copy is
/// the listed set) and planned with the rest. The planner therefore sees every record set of
/// every name it may change, and the plan is the one the whole listing would give.
///
/// A record of this owner whose values or TTL changed, and nothing else about it, is set aside
/// too, with its companion found exactly: the plan for it is an UPSERT of the record, made here
/// (`Outcome.updates`) as the planner would make it, so the changed pass over a large zone does
/// not hold the planner's tables for its thousands of updates. Should its name not settle, the
/// listed record goes back to the planner as listed.
///
/// Another owner's (or nobody's) sets at names this owner does not use, which the plan never
/// reads (`NamesInPlay`), are not kept either: in a zone shared with other owners they are most
/// of the listing. Such a set waits only until the listing has passed every name where an
/// ownership record could make it this owner's (`Foreign`), then it is counted by owner and
/// dropped, unless an ownership record of this owner was found for its name.
///
/// Whatever needs more than one key to decide keeps its names out of this: aliases, managed
/// or explicit health checks, several endpoints for one key, a CNAME beside other types, mixed
/// routing policies, held names, endpoints Route53 would refuse, and registries whose
/// companions cannot be rebuilt from the endpoint alone (encrypted values, wildcard
/// replacement).
public struct SteadyState {
    /// What to plan, and how much was left out.
    public struct Outcome {
        /// The endpoints at names that are not settled, in the order given.
        public var desired: [Endpoint]
        /// The listed record sets at names that are not settled, in listing order.
        public var recordSets: [RecordSet]
        /// Record sets left out because they are exactly as wanted (each owned by this owner,
        /// each with its companion, which is not counted).
        public var settledRecords: Int
        /// The endpoints left out because their names are fresh (`FreshCreates`): the plan's
        /// creates for them, without planning.
        public var fresh: FreshCreates?
        /// The plan's updates of record sets left out because only their values or TTL changed,
        /// in key order; each updated set is this owner's and was listed (not in `recordSets`).
        public var updates: [PlannedChange]
        /// Other owners' and unowned record sets left out, by owner (`Owner.metricLabel`).
        public var foreignRecords: [String: Int]

        public init(desired: [Endpoint], recordSets: [RecordSet], settledRecords: Int, fresh: FreshCreates? = nil,
                    updates: [PlannedChange] = [], foreignRecords: [String: Int] = [:]) {
            self.desired = desired
            self.recordSets = recordSets
            self.settledRecords = settledRecords
            self.fresh = fresh
            self.updates = updates
            self.foreignRecords = foreignRecords
        }
    }

    private let planner: Planner
    private let registry: TXTRegistry
    private let zone: HostedZone
    private let desired: [Endpoint]
    private let held: Set<DNSName>
    /// The position of the one endpoint that may settle each key.
    private var index: KeyIndex
    /// Per endpoint: `eligible`, `recordFound` or `recordChanged`, `companionFound`.
    private var state: [UInt8]
    /// The listed record of each endpoint whose record changed, with the endpoint's position:
    /// in listing order, then by position once the listing is complete (`changedRecord(at:)`).
    private var changedRecords: [(position: Int32, record: RecordSet)] = []
    /// The TTL listed for endpoints that leave theirs unset, so the record can be rebuilt.
    private var listedTTL: [Int32]
    /// Names where something was listed or wanted that this filter does not judge.
    private var unsettled: Set<DNSName> = []
    private var kept: [RecordSet] = []
    /// Where each kept set, and each endpoint's dropped record and companion, were listed: the
    /// sets handed over go back in the listing's own order, which sorting cannot restore (Route53
    /// orders by name and type, not by set identifier).
    private var keptAt: [Int32] = []
    private var recordAt: [Int32], companionAt: [Int32]
    private var listed: Int32 = 0
    private let noInventory: ZoneInventory
    /// Sets at names this owner does not use, until they can be judged; nil when the registry's
    /// naming does not say where every ownership record of a name lies.
    private var foreign: Foreign?
    /// The types of the endpoints (an alias may also be an A and an AAAA set).
    private var desiredTypes: Set<RecordType> = []
    /// False when the pages come from more than one listing (subtrees, then the names beside
    /// them): Route53's order then holds within each listing only, and sets at names no endpoint
    /// uses are judged at the end, not as the listing passes them.
    public var listingInOneSweep = true

    private static let eligible: UInt8 = 1, recordFound: UInt8 = 2, companionFound: UInt8 = 4, recordChanged: UInt8 = 8

    /// Nil when the planner's registry writes companions that cannot be rebuilt from the
    /// endpoint alone, or none at all (no owner id): then the whole listing is planned.
    public init?(planner: Planner, zone: HostedZone, desired: [Endpoint], held: Set<DNSName>) {
        guard let registry = planner.registry as? TXTRegistry, registry.writesPlainValues, !registry.ownerID.isEmpty,
              registry.mapper.wildcardReplacement.isEmpty else { return nil }
        self.planner = planner
        self.registry = registry
        self.zone = zone
        self.desired = desired
        self.held = held
        self.noInventory = ZoneInventory(zone: zone, records: [], registryTXTs: [])
        state = [UInt8](repeating: 0, count: desired.count)
        recordAt = [Int32](repeating: 0, count: desired.count)
        companionAt = recordAt
        listedTTL = [Int32](repeating: -1, count: desired.count)
        index = KeyIndex(capacity: desired.count)
        var contested: [RecordKey] = []
        for (position, endpoint) in desired.enumerated() {
            let key = endpoint.key
            if !index.insert(key, at: position, in: desired) { contested.append(key) }
            desiredTypes.insert(key.type)
            if endpoint.alias != nil { desiredTypes.formUnion([.a, .aaaa]) }
            if SteadyState.isSimple(endpoint), planner.manages(endpoint.type, endpoint.name, in: zone),
               !held.contains(endpoint.name) {
                state[position] = SteadyState.eligible
            } else {
                unsettled.insert(endpoint.name)
            }
        }
        // Two endpoints for one key: `Planner.resolve` chooses between them.
        for key in contested { unsettled.insert(key.name) }
        markMixedNames()
        if registry.mapper.isPrefixMode, !registry.mapper.recordTypeInAffix {
            foreign = Foreign(mapper: registry.mapper)
        }
    }

    /// An endpoint whose record set and companion follow from it alone.
    private static func isSimple(_ endpoint: Endpoint) -> Bool {
        endpoint.alias == nil && endpoint.healthCheck == nil && endpoint.healthCheckID == nil && !endpoint.targets.isEmpty
    }

    /// Names where a CNAME is wanted beside other types, or one type under two routing
    /// policies: the planner drops some of them with a notice.
    ///
    /// The endpoints of one name are linked through a table of each name's first position,
    /// without a copy of every key: at 50,000 endpoints the keys and their sort took 8 MB.
    private mutating func markMixedNames() {
        var size = 16
        while size < desired.count * 2 { size <<= 1 }
        let mask = size - 1
        var first = [Int32](repeating: -1, count: size)
        var next = [Int32](repeating: -1, count: desired.count)
        var shared: [Int32] = []
        for position in desired.indices {
            let name = desired[position].name
            var slot = name.hashValue & mask
            while first[slot] >= 0 && desired[Int(first[slot])].name != name { slot = (slot + 1) & mask }
            guard first[slot] >= 0 else {
                first[slot] = Int32(position)
                continue
            }
            let head = Int(first[slot])
            if next[head] < 0 { shared.append(Int32(head)) }
            next[position] = next[head]
            next[head] = Int32(position)
        }
        for head in shared {
            var hasCNAME = false, mixed = false
            var routingByType: [RecordType: String] = [:]
            var position = Int(head)
            while position >= 0 {
                let endpoint = desired[position]
                if endpoint.type == .cname { hasCNAME = true }
                if let other = routingByType.updateValue(endpoint.routing.kind, forKey: endpoint.type),
                   other != endpoint.routing.kind {
                    mixed = true
                }
                position = Int(next[position])
            }
            if hasCNAME || mixed { unsettled.insert(desired[Int(head)].name) }
        }
    }

    /// Takes the next page of the listing.
    public mutating func take(_ page: [RecordSet]) {
        for recordSet in page {
            if !isExpected(recordSet) { keep(recordSet) }
            listed += 1
        }
        if let last = page.last { resolveForeign(before: last.name) }
    }

    /// Keeps an unexpected set for the planner, or sets it apart with `foreign` when its name
    /// is none this owner uses.
    private mutating func keep(_ recordSet: RecordSet) {
        // `foreign` is taken out while it changes, so that `self`'s methods may be called
        // meanwhile without a copy of its tables (as in `resolveForeign`).
        let labelText = recordSet.type == .txt ? registry.registryLabelText(of: recordSet) : nil
        // The name a registry TXT stands for.
        let standsFor = labelText.flatMap { _ in registry.mapper.endpoint(forTXTName: recordSet.name.value) }
            .flatMap { $0.name.isEmpty ? nil : DNSName(canonical: $0.name) }
        if var foreign {
            self.foreign = nil
            defer { self.foreign = foreign }
            if let labelText, TXTLabels.label(TXTLabels.ownerKey, in: labelText) == registry.ownerID {
                // Possibly this owner's sets: those at the name it stands for, and beside it.
                if let standsFor { foreign.markOwned(standsFor) }
                foreign.markOwned(recordSet.name)
            }
            let group = standsFor ?? recordSet.name
            let relevant = isInUse(recordSet.name) || (standsFor.map { isDesiredName($0) || held.contains($0) } ?? false)
            if !relevant {
                if recordSet.healthCheckID == nil, !foreign.isOwned(group) {
                    foreign.add(recordSet, at: listed, group: group, isRegistryTXT: labelText != nil)
                    return
                }
            } else if labelText != nil, let standsFor, !isInUse(standsFor) {
                // Kept, and also seen where its group is judged, for the owners of the sets there.
                foreign.note(recordSet, group: standsFor)
            }
        }
        if labelText != nil, let standsFor { unsettled.insert(standsFor) }
        unsettled.insert(recordSet.name)
        kept.append(recordSet)
        keptAt.append(listed)
    }

    /// Whether an endpoint of this owner has the name, whatever its type.
    private func isDesiredName(_ name: DNSName) -> Bool {
        desiredTypes.contains { index.contains(name: name, type: $0, in: desired) }
    }

    /// Whether the plan may read a set named `name`: an endpoint's name or held name, or a name
    /// the registry reads as an ownership record of one.
    private func isInUse(_ name: DNSName) -> Bool {
        if held.contains(name) || isDesiredName(name) { return true }
        guard let (owner, _) = registry.mapper.endpoint(forTXTName: name.value), !owner.isEmpty else { return false }
        let ownerName = DNSName(canonical: owner)
        return held.contains(ownerName) || isDesiredName(ownerName)
    }

    /// Judges the groups the listing has passed (`before` is listed; nil: the listing is over).
    private mutating func resolveForeign(before name: DNSName?) {
        guard var foreign, name == nil || listingInOneSweep else { return }
        self.foreign = nil
        defer { self.foreign = foreign }
        for (sets, owned) in foreign.resolve(before: name) {
            if owned {
                for (at, recordSet) in sets {
                    kept.append(recordSet)
                    keptAt.append(at)
                }
            } else {
                foreign.count(registry.owners(of: sets.map(\.set), in: zone).records)
            }
        }
    }

    /// True, and noted, when `recordSet` is exactly the record or the companion an eligible
    /// endpoint asks for. A registry TXT that is not makes the name it stands for unsettled.
    private mutating func isExpected(_ recordSet: RecordSet) -> Bool {
        if recordSet.type == .txt, registry.registryLabelText(of: recordSet) != nil {
            guard let (name, type) = registry.mapper.endpoint(forTXTName: recordSet.name.value), !name.isEmpty else {
                return false
            }
            let owner = DNSName(canonical: name)
            guard let type,
                  let position = index.position(of: RecordKey(name: owner, type: type, setIdentifier: recordSet.setIdentifier),
                                                in: desired),
                  state[position] & SteadyState.eligible != 0, state[position] & SteadyState.companionFound == 0,
                  isCompanion(recordSet, of: desired[position]) else {
                // `keep` marks the name it stands for unsettled.
                return false
            }
            state[position] |= SteadyState.companionFound
            companionAt[position] = listed
            return true
        }
        guard let position = index.position(of: recordSet.key, in: desired), state[position] & SteadyState.eligible != 0,
              state[position] & (SteadyState.recordFound | SteadyState.recordChanged) == 0 else { return false }
        let endpoint = desired[position]
        recordAt[position] = listed
        guard isRecord(recordSet, of: endpoint) else {
            guard mayUpdate(recordSet, to: endpoint) else { return false }
            state[position] |= SteadyState.recordChanged
            changedRecords.append((Int32(position), recordSet))
            return true
        }
        state[position] |= SteadyState.recordFound
        if endpoint.ttl == nil, let ttl = recordSet.ttl { listedTTL[position] = Int32(clamping: ttl) }
        return true
    }

    /// True when an UPSERT may turn `listed`, found at `endpoint`'s key, into the endpoint's
    /// record: no alias and no health check on either side, and the same routing. Whether
    /// anything changed at all, and whether the policy updates, is judged at the end
    /// (`update(at:)`).
    private func mayUpdate(_ listed: RecordSet, to endpoint: Endpoint) -> Bool {
        listed.alias == nil && listed.healthCheckID == nil && listed.routing == endpoint.routing
    }

    /// The listed record of the endpoint at `position` whose record changed; `changedRecords`
    /// is sorted by position.
    private func changedRecord(at position: Int) -> RecordSet? {
        let index = Self.lowerBound(of: position, count: changedRecords.count) { Int(changedRecords[$0].position) }
        return index < changedRecords.count && changedRecords[index].position == position ? changedRecords[index].record : nil
    }

    /// The planner's update of the endpoint at `position` from its listed record, or nil when
    /// the planner would do anything else: the two are the same content (nothing to write), the
    /// new record is one Route53 refuses, or the policy refuses the update. The companion stays
    /// as it is: it was found exactly, and the new record's routing and set identifier are the
    /// listed ones.
    private func update(at position: Int) -> PlannedChange? {
        guard let listed = changedRecord(at: position) else { return nil }
        let endpoint = desired[position]
        let record = planner.recordSet(for: endpoint, existing: OwnedRecordSet(record: listed, owner: .this), zone: zone)
        let compareTTL = endpoint.ttl != nil
        guard !record.sameContent(as: listed, compareTTL: compareTTL),
              planner.violations(of: Planner.Candidate(endpoint: endpoint, record: record), in: zone).isEmpty
        else { return nil }
        let change = PlannedChange(action: .update, key: listed.key, old: listed, new: record,
                                   changes: [Change(.upsert, record)],
                                   reason: record.differences(from: listed, compareTTL: compareTTL).joined(separator: ", "))
        return planner.policy.refusal(of: change) == nil ? change : nil
    }

    /// True when `listed`, found at `endpoint`'s key, is exactly `record(of: endpoint, listedTTL:
    /// listed.ttl)`, compared field by field without building that set.
    private func isRecord(_ listed: RecordSet, of endpoint: Endpoint) -> Bool {
        // An eligible endpoint asks for no alias and no health check; an unset TTL takes the
        // listed one, and a listed set without one is rebuilt with the default.
        guard listed.alias == nil, listed.healthCheckID == nil, let ttl = listed.ttl, ttl == (endpoint.ttl ?? ttl),
              // Only a TTL Route53 takes is kept in `listedTTL` (Int32, -1 for none) and rebuilt as listed.
              Route53Rules.ttlRange.contains(ttl),
              listed.routing == endpoint.routing else { return false }
        let targets = endpoint.targets
        if targets.count == 1 && endpoint.type != .cname { return listed.values.count == 1 && listed.values[0] == targets[0] }
        return listed.values == record(of: endpoint, listedTTL: ttl).values
    }

    /// True when `listed` is exactly the companion the registry writes for `endpoint`'s record
    /// set: the same routing and set identifier, TTL 300, no health check, and this owner's
    /// labels. Its name is checked too: the mapping from TXT names back to records is not
    /// one to one under every prefix.
    private func isCompanion(_ listed: RecordSet, of endpoint: Endpoint) -> Bool {
        guard listed.ttl == TXTRegistry.companionTTL, listed.alias == nil, listed.healthCheckID == nil,
              listed.values.count == 1, listed.routing == endpoint.routing,
              listed.name == companionName(of: endpoint),
              // A name the registry would refuse to write could not be rebuilt once dropped.
              listed.name.isWithin(zone.name), Route53Rules.nameViolations(of: listed.name).isEmpty else { return false }
        let value = listed.values[0]
        return value.utf8.count <= TXTRegistry.maximumValueLength + 2
            && value == "\"" + registry.companionPlaintext(resource: endpoint.resource) + "\""
    }

    /// The record set the planner writes for `endpoint`, the TTL of the listed one standing in
    /// for an unset TTL as in `Planner.recordSet`.
    private func record(of endpoint: Endpoint, listedTTL ttl: Int?) -> RecordSet {
        let listed = ttl.map { OwnedRecordSet(record: RecordSet(name: endpoint.name, type: endpoint.type, ttl: $0), owner: .this) }
        return planner.recordSet(for: endpoint, existing: listed, zone: zone)
    }

    /// The companion the registry writes for `endpoint`'s record set, nil when it writes none.
    private func companion(of endpoint: Endpoint, ttl: Int?) -> RecordSet? {
        try? registry.companion(for: record(of: endpoint, listedTTL: ttl), resource: endpoint.resource,
                                existing: nil, inventory: noInventory)
    }

    /// The TTL listed for the endpoint at `position` when it leaves its own unset.
    private func listedTTLOf(_ position: Int) -> Int? {
        listedTTL[position] >= 0 ? Int(listedTTL[position]) : nil
    }

    /// The companion's name for `endpoint`.
    private func companionName(of endpoint: Endpoint) -> DNSName {
        DNSName(canonical: registry.mapper.txtName(for: endpoint.name.value, type: endpoint.type))
    }

    /// Settles what can be settled, sets the fresh names apart and hands over the rest.
    public consuming func finish() -> Outcome {
        resolveForeign(before: nil)
        if let foreign, foreign.resolvedAny, !keptAt.isEmpty {
            // Sets judged late went in after others listed later.
            let order = keptAt.indices.sorted { keptAt[$0] < keptAt[$1] }
            kept = order.map { kept[$0] }
            keptAt = order.map { keptAt[$0] }
        }
        let fresh = freshPositions()
        var found = [Bool](repeating: false, count: desired.count)
        changedRecords.sort { $0.position < $1.position }
        // An update found is a settled endpoint whose plan is its update; by position.
        var updates: [(position: Int32, change: PlannedChange)] = []
        updates.reserveCapacity(changedRecords.count)
        for position in desired.indices {
            let endpoint = desired[position]
            guard !unsettled.contains(endpoint.name) else { continue }
            switch state[position] {
            case SteadyState.eligible | SteadyState.recordFound | SteadyState.companionFound:
                let record = record(of: endpoint, listedTTL: listedTTLOf(position))
                let candidate = Planner.Candidate(endpoint: endpoint, record: record)
                if planner.violations(of: candidate, in: zone).isEmpty { found[position] = true }
            case SteadyState.eligible | SteadyState.recordChanged | SteadyState.companionFound:
                guard let change = update(at: position) else { continue }
                updates.append((Int32(position), change))
                found[position] = true
            default:
                continue
            }
        }
        // A name settles only with everything at it, and an endpoint only with both of its
        // names: spread "unsettled" until nothing changes.
        var settled = found
        var isFresh = [Bool](repeating: false, count: fresh.isEmpty ? 0 : desired.count)
        for position in fresh { isFresh[position] = true }
        // Fresh names are no settled endpoint's, so they need not be spread.
        for position in desired.indices where !settled[position] && (fresh.isEmpty || !isFresh[position]) {
            unsettled.insert(desired[position].name)
            unsettled.insert(companionName(of: desired[position]))
        }
        var changed = true
        while changed {
            changed = false
            for position in desired.indices where settled[position] {
                let endpoint = desired[position]
                let names = (endpoint.name, companionName(of: endpoint))
                if unsettled.contains(names.0) || unsettled.contains(names.1) {
                    settled[position] = false
                    unsettled.insert(names.0)
                    unsettled.insert(names.1)
                    changed = true
                }
            }
        }

        var planned: [Endpoint] = []
        var rebuilt: [(at: Int32, recordSet: RecordSet)] = []
        var settledRecords = 0
        var nextUpdate = 0
        for position in desired.indices {
            let endpoint = desired[position]
            while nextUpdate < updates.count && updates[nextUpdate].position < position { nextUpdate += 1 }
            if settled[position] {
                if nextUpdate == updates.count || updates[nextUpdate].position != position { settledRecords += 1 }
                continue
            }
            if !fresh.isEmpty && isFresh[position] { continue }
            planned.append(endpoint)
            let ttl = listedTTLOf(position)
            if state[position] & SteadyState.recordFound != 0 {
                rebuilt.append((recordAt[position], record(of: endpoint, listedTTL: ttl)))
            }
            if state[position] & SteadyState.recordChanged != 0, let listed = changedRecord(at: position) {
                rebuilt.append((recordAt[position], listed))
            }
            if state[position] & SteadyState.companionFound != 0, let companion = companion(of: endpoint, ttl: ttl) {
                rebuilt.append((companionAt[position], companion))
            }
        }
        var records = kept
        if !rebuilt.isEmpty {
            rebuilt.sort { $0.at < $1.at }
            records = []
            records.reserveCapacity(kept.count + rebuilt.count)
            var next = 0
            for (position, recordSet) in zip(keptAt, kept) {
                while next < rebuilt.count && rebuilt[next].at < position {
                    records.append(rebuilt[next].recordSet)
                    next += 1
                }
                records.append(recordSet)
            }
            records += rebuilt[next...].map(\.recordSet)
        }
        let creates = fresh.isEmpty ? nil : FreshCreates(endpoints: fresh.map { desired[$0] }, registry: registry, zone: zone)
        // The updates of the endpoints that stayed settled, in key order.
        updates.removeAll { !settled[Int($0.position)] }
        let updated = RecordKey.listingOrder(count: updates.count, name: { updates[$0].change.key.name },
                                             key: { updates[$0].change.key }).map { updates[$0].change }
        return Outcome(desired: planned, recordSets: records, settledRecords: settledRecords, fresh: creates,
                       updates: updated, foreignRecords: foreign?.dropped ?? [:])
    }

    /// The positions of the endpoints whose plan is a create the planner need not make
    /// (`FreshCreates`), in key order. Asked before `finish` marks the unsettled endpoints'
    /// own names: `unsettled` then holds what was listed and not expected, and what this filter
    /// does not judge.
    ///
    /// Names are compared by their hashes: two names of one hash count as one, which only ever
    /// leaves a name to the planner.
    private func freshPositions() -> [Int] {
        let fresh = freshCandidates()
        guard !fresh.isEmpty else { return [] }
        // In key order, each key made only where two share a name.
        return RecordKey.listingOrder(count: fresh.count, name: { desired[fresh[$0]].name },
                                      key: { desired[fresh[$0]].key }).map { fresh[$0] }
    }

    /// `freshPositions` in the order given; its tables are gone before the sort.
    private func freshCandidates() -> [Int] {
        // Nothing listed for the endpoint, nothing kept at its name or its companion's.
        var candidates: [Int32] = []
        candidates.reserveCapacity(desired.count)
        for position in desired.indices where state[position] == SteadyState.eligible {
            let endpoint = desired[position]
            if !unsettled.contains(endpoint.name), !unsettled.contains(companionName(of: endpoint)) {
                candidates.append(Int32(position))
            }
        }
        guard !candidates.isEmpty else { return [] }

        // Which names the endpoints use, as their own or for their companions; a found set
        // stands at one of these, since only an endpoint's record or companion is found. Both
        // tables are sorted arrays of hashes, a third of the size of a set and a dictionary;
        // the names keep half of theirs, as a name that matches by chance is only planned.
        var names: [UInt32] = []
        names.reserveCapacity(desired.count)
        /// Companion name and the name and type it stands for. Two endpoints of one companion
        /// key have one name, type and set identifier: one key, contested.
        var owners: [(companion: Int, owner: Int)] = []
        owners.reserveCapacity(desired.count)
        for endpoint in desired {
            let name = endpoint.name
            names.append(UInt32(truncatingIfNeeded: name.hashValue))
            // An alias may become an A and an AAAA set (`Endpoint.expandingAliases`).
            let types = endpoint.alias == nil ? [endpoint.type] : [endpoint.type, .a, .aaaa]
            for type in types {
                owners.append((DNSName(canonical: registry.mapper.txtName(for: name.value, type: type)).hashValue,
                               SteadyState.ownerHash(name, type)))
            }
        }
        names.sort()
        owners.sort { $0.companion != $1.companion ? $0.companion < $1.companion : $0.owner < $1.owner }
        /// The owner of a companion name; 0 once two share it, nil when no endpoint has it.
        func owner(of companion: Int) -> Int? {
            var index = Self.lowerBound(of: companion, count: owners.count) { owners[$0].companion }
            guard index < owners.count, owners[index].companion == companion else { return nil }
            let first = owners[index].owner
            while index < owners.count && owners[index].companion == companion {
                if owners[index].owner != first { return 0 }
                index += 1
            }
            return first
        }
        func isName(_ hash: Int) -> Bool {
            let short = UInt32(truncatingIfNeeded: hash)
            let index = Self.lowerBound(of: Int(short), count: names.count) { Int(names[$0]) }
            return index < names.count && names[index] == short
        }

        // A name is fresh when every endpoint at it is.
        var fresh: [Int] = []
        fresh.reserveCapacity(candidates.count)
        var isCandidate = [Bool](repeating: false, count: desired.count)
        for candidate in candidates {
            let position = Int(candidate)
            let endpoint = desired[position]
            let name = endpoint.name
            let companion = companionName(of: endpoint).hashValue
            guard owner(of: companion) == SteadyState.ownerHash(name, endpoint.type), !isName(companion),
                  owner(of: name.hashValue) == nil else { continue }
            let record = FreshCreates.record(of: endpoint)
            guard planner.violations(of: Planner.Candidate(endpoint: endpoint, record: record), in: zone).isEmpty,
                  FreshCreates.companion(of: record, endpoint: endpoint, registry: registry, zone: zone) != nil else { continue }
            isCandidate[position] = true
            fresh.append(position)
        }
        guard !fresh.isEmpty else { return [] }
        var mixed: Set<Int> = []
        for position in desired.indices where !isCandidate[position] { mixed.insert(desired[position].name.hashValue) }
        fresh.removeAll { mixed.contains(desired[$0].name.hashValue) }
        return fresh
    }

    /// The first position in `0..<count` whose value is not below `value`; `valueAt` ascends.
    private static func lowerBound(of value: Int, count: Int, _ valueAt: (Int) -> Int) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if valueAt(middle) < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The hash of the name and type a companion stands for.
    private static func ownerHash(_ name: DNSName, _ type: RecordType) -> Int {
        var hasher = Hasher()
        hasher.combine(name)
        hasher.combine(type)
        return hasher.finalize()
    }
}

/// The position of the endpoint at each key, in an open-addressed table of positions (4 bytes
/// per slot, at most half full) instead of a dictionary that would hold a copy of every key: a
/// zone of 50,000 endpoints needs 0.5 MB here against several for `[RecordKey: Int32]`.
private struct KeyIndex {
    /// Position + 1 of the endpoint in each slot; 0 is empty.
    private var slots: [Int32]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Files `key` at `position`; false when an endpoint of `desired` already has that key (the
    /// later one is then the one found, as a dictionary's last write).
    mutating func insert(_ key: RecordKey, at position: Int, in desired: [Endpoint]) -> Bool {
        var slot = key.hashValue & mask
        while slots[slot] != 0 {
            if desired[Int(slots[slot]) - 1].hasKey(key) {
                slots[slot] = Int32(position + 1)
                return false
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(position + 1)
        return true
    }

    /// Whether an endpoint has this name and type, whatever its set identifier (the key's hash
    /// leaves the set identifier out).
    func contains(name: DNSName, type: RecordType, in desired: [Endpoint]) -> Bool {
        var slot = RecordKey(name: name, type: type).hashValue & mask
        while slots[slot] != 0 {
            if desired[Int(slots[slot]) - 1].has(name: name, type: type) { return true }
            slot = (slot + 1) & mask
        }
        return false
    }

    func position(of key: RecordKey, in desired: [Endpoint]) -> Int? {
        var slot = key.hashValue & mask
        while slots[slot] != 0 {
            let position = Int(slots[slot]) - 1
            if desired[position].hasKey(key) { return position }
            slot = (slot + 1) & mask
        }
        return nil
    }
}

/// The sets `SteadyState` holds back while it cannot yet tell whether they are this owner's: an
/// unexpected set at a name no endpoint uses, and an ownership TXT that stands for such a name.
///
/// Sets are grouped by the name whose ownership decides them (a TXT by the name it stands for).
/// The registry files a name's ownership records under `<prefix><type>-<name>` and
/// `<prefix><name>` (`TXTNameMapper`, prefix naming without a type template), so once the
/// listing, in Route53's order, has passed the group's name and each of those names for the
/// types listed there, every ownership record that could make a set of the group this owner's
/// has been seen. The group is then kept when one of them is this owner's (its sets may be
/// this owner's to delete), else counted by owner and dropped.
private struct Foreign {
    struct Group {
        /// The last name, in listing order, whose sets the judgment waits for.
        var until: DNSName
        var sets: [(at: Int32, set: RecordSet)] = []
    }

    /// The registry's naming, prefix mode without a type template.
    let mapper: TXTNameMapper
    private var groups: [DNSName: Group] = [:]
    /// Hashes of the names an ownership record of this owner stands for or is at: their groups
    /// are kept, and a set that comes later for one of them too.
    private var owned: Set<Int> = []
    /// Dropped record sets by owner label (TXTs are not counted, as in the registry metrics).
    private(set) var dropped: [String: Int] = [:]
    /// Whether a group was kept after sets listed later had been kept.
    private(set) var resolvedAny = false

    init(mapper: TXTNameMapper) {
        self.mapper = mapper
    }

    func isOwned(_ name: DNSName) -> Bool { owned.contains(name.hashValue) }

    mutating func markOwned(_ name: DNSName) {
        owned.insert(name.hashValue)
    }

    mutating func add(_ recordSet: RecordSet, at position: Int32, group name: DNSName, isRegistryTXT: Bool) {
        let until = isRegistryTXT ? Foreign.later(name, recordSet.name) : lastOwnershipName(of: recordSet, in: name)
        if groups[name] == nil {
            groups[name] = Group(until: until)
        } else if until.order(groups[name]!.until) > 0 {
            groups[name]!.until = until
        }
        groups[name]!.sets.append((position, recordSet))
    }

    /// A registry TXT kept for the planner that stands for the name of a group: seen again when
    /// the group is judged (never kept twice: `at` -1).
    mutating func note(_ recordSet: RecordSet, group name: DNSName) {
        if groups[name] == nil { groups[name] = Group(until: Foreign.later(name, recordSet.name)) }
        groups[name]!.sets.append((-1, recordSet))
    }

    /// The groups the listing has passed when `name` is listed (all of them for nil), each with
    /// whether it is kept; a kept group's sets come without the ones noted (`at` -1).
    mutating func resolve(before name: DNSName?) -> [(sets: [(at: Int32, set: RecordSet)], owned: Bool)] {
        guard !groups.isEmpty else { return [] }
        var result: [(sets: [(at: Int32, set: RecordSet)], owned: Bool)] = []
        var passed: [DNSName] = []
        for (key, group) in groups where name.map({ group.until.order($0) < 0 }) ?? true {
            passed.append(key)
            let isOwned = owned.contains(key.hashValue)
            if isOwned {
                resolvedAny = true
                result.append((group.sets.filter { $0.at >= 0 }, true))
            } else {
                result.append((group.sets, false))
            }
        }
        for key in passed { groups[key] = nil }
        return result
    }

    /// Counts the dropped record sets of a group by owner.
    mutating func count(_ records: [OwnedRecordSet]) {
        for owned in records { dropped[owned.owner.metricLabel, default: 0] += 1 }
    }

    /// The last, in listing order, of the set's name and the names where an ownership record
    /// of a set of its type there is filed: typed (and `cname-` for an A alias) and untyped.
    private func lastOwnershipName(of recordSet: RecordSet, in name: DNSName) -> DNSName {
        var last = Foreign.later(name, DNSName(canonical: mapper.legacyTXTName(for: name.value)))
        last = Foreign.later(last, DNSName(canonical: mapper.txtName(for: name.value, type: recordSet.type)))
        if recordSet.type == .a, recordSet.alias != nil {
            last = Foreign.later(last, DNSName(canonical: mapper.txtName(for: name.value, type: .cname)))
        }
        return last
    }

    private static func later(_ a: DNSName, _ b: DNSName) -> DNSName { a.order(b) >= 0 ? a : b }
}
