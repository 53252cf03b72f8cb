/// The working state of one `Planner.plan` call: what is there, what is wanted, and the draft
/// changes until they are final. Steps run in order: `readCurrent`, `readDesired`, `decide`,
/// `resolveClashes`, `finish`.
struct PlanWork {
    enum Kind {
        case create, update, companionRewrite, replace, delete
    }

    /// A change under consideration for one key.
    struct Draft {
        var kind: Kind
        var key: RecordKey
        var old: OwnedRecordSet?
        var new: Planner.Candidate?
        var companion: RecordSet?
        /// For a create: the companion could not be made. Reported only if no clash blocks it.
        var companionFailure: DNSReconcileError? {
            get { companionFailures.first }
            set { companionFailures = newValue.map { [$0] } ?? [] }
        }
        /// Where `companionFailure` lives: an error is a hundred bytes and rare, an empty array
        /// is one pointer (a plan of 50,000 creates holds 50,000 drafts).
        var companionFailures: [DNSReconcileError] = []
        /// Why, when there is more to say than the action itself (a plain create or delete has none).
        var reason: String?
        var active = true
        /// Keys whose delete (or replacement) this change relies on to free the name.
        var requires: Set<RecordKey> = []
    }

    /// Something at a name that keeps a record set from being created there.
    struct Blocker {
        var message: String
        /// Ours, and kept because its name is held.
        var held: Bool
        /// Another owner's set of the same name and type under another routing policy: the
        /// owner, whose own switch may free the name in this pass.
        var routingOwner: String? = nil
    }

    let planner: Planner
    let inventory: ZoneInventory
    var zone: HostedZone { inventory.zone }
    var held: Set<DNSName>
    var notices: [PlanNotice] = []
    /// Managed record sets in the zone, by key.
    var current: [RecordKey: OwnedRecordSet] = [:]
    var desired: [RecordKey: Planner.Candidate] = [:]
    var drafts = DraftTable()
    /// Companion keys already promised to a record set (its position in `decided`), to catch two
    /// names mapping to one TXT. A position, not the key: at 50,000 creates the table has
    /// 131,072 buckets, and a key is 48 bytes.
    var companionWriters: [RecordKey: Int32] = [:]
    /// The wanted keys, in the order `decide` takes them.
    var decided: [RecordKey] = []
    /// `countCompanionListings` for the companions of every set that may go away, made once
    /// when something may (never for a no-op plan): later questions ask about fewer sets.
    var companionListings: (companions: Set<RecordKey>, counts: [RecordKey: Int])?

    init(planner: Planner, inventory: ZoneInventory, held: Set<DNSName>) {
        self.planner = planner
        self.inventory = inventory
        self.held = held
    }

    mutating func readCurrent() {
        current.reserveCapacity(inventory.records.count)
        for owned in inventory.records where planner.manages(owned.record.type, owned.record.name, in: zone) {
            if current[owned.record.key] == nil { current[owned.record.key] = owned }
        }
    }

    mutating func readDesired(_ given: [Endpoint]) {
        // The sources expand alias CNAMEs already; one that did not must not become a CNAME alias.
        let endpoints = Endpoint.expandingAliases(given)
        var candidates: [Planner.Candidate] = []
        candidates.reserveCapacity(endpoints.count)
        for endpoint in endpoints where planner.manages(endpoint.type, endpoint.name, in: zone) {
            let owned = current[endpoint.key].flatMap { $0.owner == .this ? $0 : nil }
            var record = planner.recordSet(for: endpoint, existing: owned, zone: zone)
            // The usual no-op: keep the listed set, not an equal copy of it, for the plan's life.
            if let owned, owned.record == record { record = owned.record }
            let candidate = Planner.Candidate(endpoint: endpoint, record: record)
            let problems = planner.violations(of: candidate, in: zone)
            guard problems.isEmpty else {
                // Invalid for Route53: never sent, and what the name has now stays, as for an
                // invalid source value.
                held.insert(endpoint.name)
                notices.append(PlanNotice(kind: .invalid, key: endpoint.key,
                                          message: "\(endpoint.key) is not valid for Route53: "
                                              + problems.joined(separator: "; "),
                                          location: endpoint.origin))
                continue
            }
            candidates.append(candidate)
        }
        let resolved = planner.resolve(candidates, current: current)
        desired = resolved.chosen
        notices += resolved.notices
    }

    // MARK: Deciding per key

    mutating func decide() {
        // What is no longer wanted decides alone; what is wanted goes in key order, because
        // the first of two names that map to one companion keeps it (`makeCompanion`).
        for (key, owned) in current where desired[key] == nil { decideAbsent(owned) }
        companionWriters.reserveCapacity(desired.count)
        // Beside the deletes just drafted: one draft per wanted key at most.
        drafts.reserveCapacity(drafts.values.count + desired.count)
        decided = RecordKey.sortedInListingOrder(desired.keys)
        for (position, key) in decided.enumerated() {
            let wanted = desired[key]!
            if let owned = current[key] {
                decideExisting(owned, wanted, at: Int32(position))
            } else {
                decideNew(wanted, at: Int32(position))
            }
        }
    }

    private mutating func decideAbsent(_ owned: OwnedRecordSet) {
        guard owned.owner == .this else { return }
        let key = owned.record.key
        if held.contains(key.name) {
            notices.append(PlanNotice(kind: .held, key: key, message: heldMessage(key, wouldBe: "deleted")))
            return
        }
        drafts[key] = Draft(kind: .delete, key: key, old: owned, reason: nil)
    }

    /// `position`: the key's place in `decided`.
    private mutating func decideExisting(_ owned: OwnedRecordSet, _ wanted: Planner.Candidate, at position: Int32) {
        let key = owned.record.key
        switch owned.owner {
        case .other(let id):
            notices.append(PlanNotice(kind: .conflict, key: key, message: "\(key) is owned by \(id)" + alsoClaimed,
                                      location: wanted.endpoint.origin))
            return
        case .none:
            notices.append(PlanNotice(kind: .conflict, key: key,
                                      message: "\(key) is not managed by any owner: add a companion or remove it by hand",
                                      location: wanted.endpoint.origin))
            return
        case .this:
            break
        }
        let compareTTL = wanted.endpoint.ttl != nil
        let recordSame = wanted.record.sameContent(as: owned.record, compareTTL: compareTTL)
        let companion: RecordSet?
        switch makeCompanion(for: wanted, at: position, existing: owned) {
        case .success(let made):
            companion = made
        case .failure(let error):
            // The record keeps the companion it has; with nothing else to write there is
            // nothing to refuse.
            if recordSame { return }
            notices.append(PlanNotice(kind: .noCompanion, key: key, message: "\(key) is not changed: \(error.message)",
                                      location: wanted.endpoint.origin))
            return
        }
        let companionSame = companion.map { made in
            owned.companions.contains { $0.sameContent(as: made, compareTTL: made.ttl != nil) }
        } ?? true
        if recordSame && companionSame { return }
        if held.contains(key.name) {
            notices.append(PlanNotice(kind: .held, key: key, message: heldMessage(key, wouldBe: "updated"),
                                      location: wanted.endpoint.origin))
            return
        }
        var draft = Draft(kind: .update, key: key, old: owned, new: wanted, companion: companionSame ? nil : companion,
                          reason: nil)
        if recordSame {
            draft.kind = .companionRewrite
            draft.reason = "ownership record rewritten in the current format"
        } else if let why = replacementReason(from: owned.record, to: wanted.record) {
            draft.kind = .replace
            draft.companion = companion
            draft.reason = why
        } else {
            var changes = wanted.record.differences(from: owned.record, compareTTL: compareTTL)
            if !companionSame { changes.append("ownership record rewritten") }
            draft.reason = changes.joined(separator: ", ")
        }
        drafts[key] = draft
    }

    private mutating func decideNew(_ wanted: Planner.Candidate, at position: Int32) {
        let key = wanted.record.key
        var draft = Draft(kind: .create, key: key, new: wanted, reason: nil)
        switch makeCompanion(for: wanted, at: position, existing: nil) {
        case .success(let made): draft.companion = made
        case .failure(let error): draft.companionFailure = error
        }
        drafts[key] = draft
    }

    /// Why `new` cannot replace `old` with an UPSERT, or nil when it can. Route53 refuses to turn
    /// a set into an alias (or back) or to change its routing policy in place.
    private func replacementReason(from old: RecordSet, to new: RecordSet) -> String? {
        if (old.alias == nil) != (new.alias == nil) {
            let change = old.alias == nil ? "from a plain record to an alias" : "from an alias to a plain record"
            return "changes \(change): delete and create in one batch"
        }
        if old.routing.kind != new.routing.kind {
            return "routing policy changes from \(old.routing.kind) to \(new.routing.kind): delete and create in one batch"
        }
        return nil
    }

    /// The companion to write with `wanted`, checked so that a companion Route53 would refuse
    /// never takes its record down with it.
    private mutating func makeCompanion(for wanted: Planner.Candidate, at position: Int32,
                                        existing: OwnedRecordSet?) -> Result<RecordSet?, DNSReconcileError> {
        let made: RecordSet?
        do {
            made = try planner.registry.companion(for: wanted.record, resource: wanted.endpoint.resource,
                                                  existing: existing, inventory: inventory)
        } catch {
            return .failure(error)
        }
        guard let made else { return .success(nil) }
        // One Route53 holds already (the usual no-op) was accepted once: no need to check again.
        let observed = existing?.companions.contains(made) ?? false
        let problems = observed ? [] : Route53Rules.violations(of: made, in: zone.name)
        if !problems.isEmpty {
            return .failure(DNSReconcileError(.registry, "its ownership record \(made.key) is not valid for Route53: "
                                                  + problems.joined(separator: "; ")))
        }
        if let writerPosition = companionWriters[made.key], case let writer = decided[Int(writerPosition)],
           writer != wanted.record.key {
            return .failure(DNSReconcileError(
                .registry, "its ownership record \(made.key) is already written for \(writer): the two names map to "
                    + "one TXT name (wildcard replacement or txt-prefix/txt-suffix); rename one of them"))
        }
        if inventory.records(named: made.name).contains(where: { $0.record.key == made.key }) {
            return .failure(DNSReconcileError(
                .registry, "\(made.key) exists and is not an ownership record; the record is left alone"))
        }
        companionWriters[made.key] = position
        return .success(made)
    }

    /// The second owner of a conflict, for its message: `; rke2 also wants this name …`.
    private var alsoClaimed: String {
        planner.registry.ownerName.map { "; \($0) also wants this name and leaves it alone" } ?? ""
    }

    /// Why `new` cannot be written while `old` stands at its name: the clash `RecordSet.clashes`
    /// found, in words.
    static func clashReason(_ new: RecordSet, _ old: RecordSet) -> String {
        if new.type != old.type {
            return "a CNAME shares its name with no other record set"
        }
        return "the routing policy changes from \(old.routing.kind) to \(new.routing.kind), and Route53 holds one "
            + "routing policy per name and type"
    }

    private func heldMessage(_ key: RecordKey, wouldBe verb: String) -> String {
        "\(key) is kept as it is instead of being \(verb): a source value for \(key.name.fqdn) is invalid; "
            + "fix it and the record follows"
    }

    // MARK: Clashes between record sets of one name

    /// Drops the creates and replacements Route53 would refuse because of what else is at the
    /// name, and notes which deletes the others rely on.
    ///
    /// A replacement that cannot go ahead keeps its old record set, which may in turn block
    /// another one, so replacements are settled first, to a fixed point; creates never free
    /// anything and are judged once after.
    mutating func resolveClashes() {
        var goingAway = Set(drafts.values.filter { $0.kind == .delete || $0.kind == .replace }.map(\.key))
        if !goingAway.isEmpty, companionListings == nil {
            let companions = Set(leavingCompanions(goingAway).keys)
            companionListings = (companions, PlanWork.countCompanionListings(inventory, of: companions))
        }
        let replacements = drafts.keys.filter { drafts[$0]!.kind == .replace }.sorted()
        var changed = true
        while changed {
            changed = false
            let companionOwners = companionOwners(goingAway: goingAway)
            for key in replacements where drafts[key]!.active && drafts[key]!.kind == .replace {
                let found = blockers(for: drafts[key]!.new!.record, goingAway: goingAway, companionOwners: companionOwners)
                guard !found.blockers.isEmpty else { continue }
                if yields(key, to: found.blockers) {
                    // The other owners switch too, later in this pass: free the name for them
                    // now; the new set is created when this cluster runs again after them.
                    let owners = Set(found.blockers.compactMap(\.routingOwner)).sorted().joined(separator: ", ")
                    let draft = drafts[key]!
                    drafts[key]!.reason = "routing policy changes from \(draft.old!.record.routing.kind) to "
                        + "\(draft.new!.record.routing.kind), and \(owners) still has \(draft.old!.record.routing.kind) sets "
                        + "here: deleted first, so that \(owners) can switch; the \(draft.new!.record.routing.kind) set "
                        + "follows once it has"
                    drafts[key]!.kind = .delete
                    drafts[key]!.new = nil
                    drafts[key]!.companion = nil
                    changed = true
                    continue
                }
                drafts[key]!.active = false
                goingAway.remove(key)
                changed = true
            }
        }
        let companionOwners = companionOwners(goingAway: goingAway)
        for key in RecordKey.sortedInListingOrder(drafts.keys) where drafts[key]!.kind == .replace || drafts[key]!.kind == .create {
            let draft = drafts[key]!
            let found = blockers(for: draft.new!.record, goingAway: goingAway, companionOwners: companionOwners)
            drafts[key]!.requires = found.requires
            let location = draft.new!.endpoint.origin
            if !found.blockers.isEmpty {
                let verb = draft.kind == .create ? "created" : "replaced (\(draft.reason ?? "routing changes"))"
                var notice = PlanNotice(
                    kind: found.blockers.allSatisfy(\.held) ? .held : .conflict, key: key,
                    message: "\(key) cannot be \(verb): " + found.blockers.map(\.message).joined(separator: "; "),
                    location: location)
                if found.blockers.allSatisfy({ $0.routingOwner != nil }) {
                    notice.routingSwitch = PlanNotice.RoutingSwitch(
                        wanted: draft.new!.record.routing.kind,
                        blockedBy: Set(found.blockers.compactMap(\.routingOwner)).sorted())
                }
                notices.append(notice)
                drafts[key]!.active = false
            } else if let failure = draft.companionFailure {
                notices.append(PlanNotice(kind: .noCompanion, key: key,
                                          message: "\(key) is not created: \(failure.message)", location: location))
                drafts[key]!.active = false
            }
        }
    }

    /// Whether the replacement at `key` deletes its old set now and leaves the name to the other
    /// owners (`Planner.yielding`): only when every blocker is another owner's set of another
    /// routing policy, which that owner's own switch in this pass takes away.
    func yields(_ key: RecordKey, to blockers: [Blocker]) -> Bool {
        guard !planner.yielding.isEmpty, !held.contains(key.name) else { return false }
        let nameAndType = RecordKey(name: key.name, type: key.type, setIdentifier: nil)
        return planner.yielding.contains(nameAndType) && blockers.allSatisfy { $0.routingOwner != nil }
    }

    /// What keeps `record` from being written at its name, and the deletes it needs first.
    ///
    /// Route53 puts a CNAME beside nothing and one routing policy per name and type, so a set
    /// that clashes must go away in this plan, which only ours can. Beyond Route53's rules, a
    /// managed set of another owner (or of none) in the same (name, set identifier) row blocks
    /// any type, as in ExternalDNS: a name one cluster serves is not shared out by type.
    func blockers(for record: RecordSet, goingAway: Set<RecordKey>,
                  companionOwners: [RecordKey: RecordKey]) -> (blockers: [Blocker], requires: Set<RecordKey>) {
        var blockers: [Blocker] = []
        var requires: Set<RecordKey> = []
        for other in inventory.records(named: record.name) where other.record.key != record.key {
            let otherKey = other.record.key
            let clash = record.clashes(with: other.record)
            guard planner.manages(other.record.type, other.record.name, in: zone) else {
                if clash {
                    blockers.append(Blocker(message: "\(otherKey) is there and its type is not managed by this cluster",
                                            held: false))
                }
                continue
            }
            switch other.owner {
            case .this:
                guard clash else { continue }
                if goingAway.contains(otherKey) {
                    requires.insert(otherKey)
                } else if held.contains(other.record.name) {
                    blockers.append(Blocker(message: "\(otherKey) is kept as it is because a source value for "
                                                + "\(other.record.name.fqdn) is invalid", held: true))
                } else {
                    blockers.append(Blocker(message: "\(otherKey) stays", held: false))
                }
            case .other(let id):
                if clash || other.record.setIdentifier == record.setIdentifier {
                    var message = "\(otherKey) is owned by \(id)"
                    if clash, record.type == other.record.type, record.routing.kind != other.record.routing.kind {
                        // Two clusters disagree on the routing of one name: say who wants what.
                        message += " with \(other.record.routing.kind) routing, and "
                            + (planner.registry.ownerName ?? "this cluster") + " wants \(record.routing.kind) routing; "
                            + "Route53 holds one routing policy per name and type, so the owners must agree on one, "
                            + "and a shared name changes policy only once the other owners' sets are gone (remove "
                            + "them, switch, add them back)"
                    } else {
                        message += alsoClaimed
                    }
                    let routingClash = clash && record.type == other.record.type
                        && record.routing.kind != other.record.routing.kind
                    blockers.append(Blocker(message: message, held: false, routingOwner: routingClash ? id : nil))
                }
            case .none:
                if clash || other.record.setIdentifier == record.setIdentifier {
                    blockers.append(Blocker(message: "\(otherKey) is not managed by any owner: add a companion "
                                                + "or remove it by hand", held: false))
                }
            }
        }
        for txt in inventory.registryTXTs(named: record.name) where record.clashes(with: txt) {
            if let owner = companionOwners[txt.key] {
                requires.insert(owner)
            } else {
                blockers.append(Blocker(message: "the ownership record \(txt.key) is there", held: false))
            }
        }
        return (blockers, requires)
    }

    /// The observed companions each going-away record set takes with it. A companion still
    /// listed by a record set that stays is kept (it still proves that set's ownership), and
    /// one listed by two going-away sets is deleted once (Route53 refuses deleting a set twice).
    func companionDeletions(goingAway: Set<RecordKey>) -> [RecordKey: [RecordSet]] {
        guard !goingAway.isEmpty else { return [:] }
        // A companion is kept when more record sets list it than go away; the zone's sets are
        // counted for the going-away sets' companions only.
        let leaving = leavingCompanions(goingAway)
        let listings: [RecordKey: Int]
        if let cached = companionListings, leaving.keys.allSatisfy(cached.companions.contains) {
            listings = cached.counts
        } else {
            listings = PlanWork.countCompanionListings(inventory, of: Set(leaving.keys))
        }
        var kept: Set<RecordKey> = []
        for (companion, count) in leaving where listings[companion, default: 0] > count { kept.insert(companion) }
        var claimed: Set<RecordKey> = []
        var result: [RecordKey: [RecordSet]] = [:]
        for key in goingAway.sorted() {
            guard let owned = current[key] else { continue }
            for companion in owned.companions where !kept.contains(companion.key) && claimed.insert(companion.key).inserted {
                result[key, default: []].append(companion)
            }
        }
        return result
    }

    /// How many of the `goingAway` sets list each companion they list.
    func leavingCompanions(_ goingAway: Set<RecordKey>) -> [RecordKey: Int] {
        var leaving: [RecordKey: Int] = [:]
        for key in goingAway {
            for owned in inventory.records(named: key.name) where owned.record.key == key {
                for companion in owned.companions { leaving[companion.key, default: 0] += 1 }
            }
        }
        return leaving
    }

    /// How many record sets of the zone list each of `companions`.
    static func countCompanionListings(_ inventory: ZoneInventory, of companions: Set<RecordKey>) -> [RecordKey: Int] {
        var counts: [RecordKey: Int] = [:]
        guard !companions.isEmpty else { return counts }
        for owned in inventory.records {
            for companion in owned.companions where companions.contains(companion.key) { counts[companion.key, default: 0] += 1 }
        }
        return counts
    }

    /// Which going-away record set deletes each companion key.
    func companionOwners(goingAway: Set<RecordKey>) -> [RecordKey: RecordKey] {
        var owners: [RecordKey: RecordKey] = [:]
        for (owner, companions) in companionDeletions(goingAway: goingAway) {
            for companion in companions { owners[companion.key] = owner }
        }
        return owners
    }

    // MARK: Result

    /// The plan: active drafts as Route53 changes, then the policy and what it takes with it.
    mutating func finish() -> ZonePlan {
        // Keys sorted, drafts looked up one at a time: sorting or copying 50,000 drafts of a
        // kilobyte each cost more time and memory than building the plan.
        let active = RecordKey.sortedInListingOrder(drafts.values.compactMap { $0.active ? $0.key : nil })
        let goingAway = Set(active.filter { drafts[$0]!.kind == .delete || drafts[$0]!.kind == .replace })
        let deletedCompanions = companionDeletions(goingAway: goingAway)
        // Only a create writes a companion that may exist already; a no-op plan builds no set.
        let writesNew = active.contains { drafts[$0]!.kind == .create || drafts[$0]!.kind == .replace }
        let existingTXTs = writesNew ? Set(inventory.registryTXTs.map(\.key)) : []
        var planned: [PlannedChange] = []
        var requires: [RecordKey: Set<RecordKey>] = [:]
        planned.reserveCapacity(active.count)
        for key in active {
            let draft = drafts[key]!
            var changes: [Change] = []
            let old = draft.old?.record, new = draft.new?.record
            switch draft.kind {
            case .delete, .replace:
                changes.append(Change(.delete, old!))
                changes += deletedCompanions[draft.key, default: []].map { Change(.delete, $0) }
            case .update:
                changes.append(Change(.upsert, new!))
            case .companionRewrite, .create:
                break
            }
            if draft.kind == .create || draft.kind == .replace { changes.append(Change(.create, new!)) }
            if let companion = draft.companion {
                if draft.kind == .update || draft.kind == .companionRewrite {
                    changes.append(Change(.upsert, companion))
                } else {
                    // A TXT that is there (ours without its record, or the old companion under
                    // the same name) is overwritten; one this change deletes first is created anew.
                    let deletedHere = changes.contains { $0.action == .delete && $0.recordSet.key == companion.key }
                    let exists = existingTXTs.contains(companion.key) && !deletedHere
                    changes.append(Change(exists ? .upsert : .create, companion))
                }
            }
            let action: PlannedChange.Action
            switch draft.kind {
            case .create: action = .create
            case .delete: action = .delete
            case .update, .companionRewrite, .replace: action = .update
            }
            planned.append(PlannedChange(action: action, key: draft.key, old: old,
                                         new: draft.kind == .companionRewrite ? old : new,
                                         changes: PlanWork.ordered(changes), reason: draft.reason))
            if !draft.requires.isEmpty { requires[draft.key] = draft.requires }
            if draft.kind == .create, !draft.requires.isEmpty {
                planned[planned.count - 1].reason = "replaces "
                    + draft.requires.sorted().map(\.description).joined(separator: ", ")
                    + " (" + requirementReason(new!, draft.requires) + "): delete and create in one batch"
            }
        }

        let filtered = planner.policy.filter(planned)
        var kept = filtered.kept
        notices += filtered.refused
        // A create that relied on a refused delete would fail at Route53: refuse it too.
        var keptKeys = requires.isEmpty ? [] : Set(kept.map(\.key))
        var changed = !requires.isEmpty
        while changed {
            changed = false
            for change in kept {
                guard let missing = requires[change.key, default: []].subtracting(keptKeys).sorted().first else { continue }
                let why = change.new.map { requirementReason($0, [missing]) }.map { " because \($0)" } ?? ""
                notices.append(PlanNotice(
                    kind: .policy, key: change.key,
                    message: "\(change.key) is not written: it needs \(missing) deleted first\(why), "
                        + "which policy \(planner.policy.rawValue) does not allow; delete \(missing) and its "
                        + "ownership record by hand, or run once with policy sync",
                    location: desired[change.key]?.endpoint.origin))
                keptKeys.remove(change.key)
                changed = true
            }
            kept.removeAll { !keptKeys.contains($0.key) }
        }
        let sortedNotices = notices.enumerated().sorted { lhs, rhs in
            if lhs.element.key != rhs.element.key { return lhs.element.key < rhs.element.key }
            return lhs.offset < rhs.offset
        }.map(\.element)
        // `planned` is in key order and the filters keep order.
        return ZonePlan(zone: zone, changes: kept, notices: sortedNotices)
    }

    /// Why `record` needs the sets at `keys` gone first, one reason per distinct clash.
    private func requirementReason(_ record: RecordSet, _ keys: Set<RecordKey>) -> String {
        var reasons: [String] = []
        for key in keys.sorted() {
            guard let old = current[key]?.record else { continue }
            let reason = PlanWork.clashReason(record, old)
            if !reasons.contains(reason) { reasons.append(reason) }
        }
        return reasons.isEmpty ? "its name must be freed" : reasons.joined(separator: "; ")
    }

    /// DELETE first, then UPSERT, then CREATE, each kept in the order given.
    static func ordered(_ changes: [Change]) -> [Change] {
        changes.enumerated().sorted { lhs, rhs in
            if lhs.element.action != rhs.element.action { return lhs.element.action < rhs.element.action }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
