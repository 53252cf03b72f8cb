/// Decides, for one owner in one hosted zone, which Route53 health check each desired record set
/// uses, what must be created or updated for it before the record sets are written, and which
/// checks go once they have been.
///
/// Pure: values in, values out. A check is this owner's when its `CallerReference` parses as a
/// `HealthCheckReference` with this owner's and this zone's digests; any other check (another
/// owner's, a person's, another tool's) is never used, changed or deleted.
///
///     record set at key             | checks of ours for the key        | decision
///     ------------------------------+-----------------------------------+------------------------------------
///     references C, C as desired    |                                   | use C
///     references C, C differs in    |                                   | update C (address, port, path, host,
///       updatable fields            |                                   |   search, threshold, SNI, children)
///     references C, type or interval|                                   | create N; the record set moves to N,
///       or address/name differs     |                                   |   C goes after it did
///     none, or not ours             | U unreferenced, settings as wanted| use U (a pass created it, then failed
///                                   |                                   |   to write the record set)
///     none, or not ours             | none usable                       | create
///     several targets               |                                   | the same per child (by address first),
///                                   |                                   |   then the CALCULATED parent
///     invalid settings              |                                   | refused: `.invalid`, name held
///
/// After the record sets were written (`deletions`): a check of ours for this zone that no
/// record set references and that this pass did not resolve is deleted, parents before
/// children. A zone read only in part (a subtree) cannot tell what the rest references, so
/// there only checks an applied change took off a record set of ours go.
public struct HealthCheckPlanner: Sendable {
    public var ownerID: String
    public var zone: HostedZone
    /// Seconds since the epoch, the `t` of new references; one value per pass, so a retried
    /// create sends the same reference.
    public var now: Double

    public init(ownerID: String, zone: HostedZone, now: Double) {
        self.ownerID = ownerID
        self.zone = zone
        self.now = now
    }

    /// The plan for `desired` (endpoints without a health-check spec are ignored).
    ///
    /// - Parameters:
    ///   - owned: this owner's record sets in the zone, with the health check each references.
    ///   - referenced: every health check id any record set of the zone listing references.
    ///   - observed: every health check of the account.
    public func plan(desired: [Endpoint], owned: [RecordSet], referenced: Set<String>,
                     observed: [HealthCheck]) -> HealthCheckPlan {
        var state = State(planner: self, observed: observed, referenced: referenced)
        var ownedIDs: [RecordKey: String] = [:]
        for record in owned {
            if let id = record.healthCheckID, ownedIDs[record.key] == nil { ownedIDs[record.key] = id }
        }
        var result = HealthCheckPlan()
        let wanted = desired.indices.filter { desired[$0].healthCheck != nil }
            .sorted { (desired[$0].key, $0) < (desired[$1].key, $1) }
        // Two passes: endpoints whose current check is already right claim it first, so that
        // of two endpoints competing for one key the one that matches never loses its check.
        var order: [Int] = []
        var later: [Int] = []
        for index in wanted {
            let endpoint = desired[index]
            let desiredChecks = endpoint.healthCheck.flatMap { DesiredHealthCheck.make(for: endpoint, spec: $0) }
            let current = ownedIDs[endpoint.key].flatMap { state.byID[$0] }
            if case .single(let config)? = desiredChecks, let current, current.config.matches(config) {
                order.append(index)
            } else {
                later.append(index)
            }
        }
        for index in order + later {
            let endpoint = desired[index]
            let problems = HealthCheckRules.violations(of: endpoint)
            guard problems.isEmpty, let spec = endpoint.healthCheck,
                  let desiredChecks = DesiredHealthCheck.make(for: endpoint, spec: spec) else {
                result.refused.append(HealthCheckPlan.Refusal(index: index, notice: PlanNotice(
                    kind: .invalid, key: endpoint.key,
                    message: "\(endpoint.key) cannot have its health check: "
                        + (problems.isEmpty ? "no target to probe" : problems.joined(separator: "; ")),
                    location: endpoint.origin)))
                continue
            }
            let keyDigest = HealthCheckReference.keyDigest(endpoint.key)
            let current = ownedIDs[endpoint.key].flatMap { state.byID[$0] }.flatMap {
                state.isOurs($0, key: keyDigest) && !state.claimed.contains($0.id) ? $0 : nil
            }
            var work: HealthCheckWork
            switch desiredChecks {
            case .single(let config):
                work = HealthCheckWork(index: index, key: endpoint.key,
                                       root: state.step(for: config, current: current, key: endpoint.key))
            case .calculated(let children):
                work = state.calculated(children, current: current, key: endpoint.key)
                work.index = index
            }
            result.work.append(work)
        }
        result.work.sort { ($0.key, $0.index) < ($1.key, $1.index) }
        result.refused.sort { ($0.notice.key, $0.index) < ($1.notice.key, $1.index) }
        return result
    }

    /// The checks to delete once the zone's changes are applied, parents before children.
    ///
    /// - Parameters:
    ///   - observed: every health check of the account as it is now (this pass's creates and
    ///     updates included).
    ///   - referenced: every id a record set of the zone listing references after the changes.
    ///   - resolved: the ids this pass gave to record sets (and their children).
    ///   - takenOff: for a zone read as a subtree only, the ids applied changes took off record
    ///     sets of ours; nil when the whole zone was read.
    public func deletions(observed: [HealthCheck], referenced: Set<String>, resolved: Set<String>,
                          takenOff: Set<String>?) -> [HealthCheck] {
        let state = State(planner: self, observed: observed, referenced: [])
        let live = state.closure(referenced.union(resolved))
        var gone = observed.filter { state.isOurs($0, key: nil) && !live.contains($0.id) }
        if let takenOff {
            let scope = state.closure(takenOff)
            gone.removeAll { !scope.contains($0.id) }
        }
        // A child in use by a parent cannot be deleted (HealthCheckInUse): parents first.
        return gone.sorted { lhs, rhs in
            let left = lhs.config.kind == .calculated ? 0 : 1, right = rhs.config.kind == .calculated ? 0 : 1
            return (left, lhs.id) < (right, rhs.id)
        }
    }

    /// The working state of one `plan` call.
    struct State {
        let planner: HealthCheckPlanner
        let byID: [String: HealthCheck]
        let observed: [HealthCheck]
        let ownerDigest: String
        let zoneDigest: String
        /// Checks some record set uses, directly or as a parent's child: never adopted.
        var busy: Set<String> = []
        /// Checks given to a record set in this plan.
        var claimed: Set<String> = []

        init(planner: HealthCheckPlanner, observed: [HealthCheck], referenced: Set<String>) {
            self.planner = planner
            self.observed = observed
            var byID: [String: HealthCheck] = [:]
            for check in observed where byID[check.id] == nil { byID[check.id] = check }
            self.byID = byID
            ownerDigest = HealthCheckReference.ownerDigest(planner.ownerID)
            zoneDigest = HealthCheckReference.zoneDigest(planner.zone.id)
            busy = closure(referenced)
        }

        func isOurs(_ check: HealthCheck, key: String?) -> Bool {
            guard let reference = HealthCheckReference(parsing: check.callerReference) else { return false }
            return reference.owner == ownerDigest && reference.zone == zoneDigest && (key == nil || reference.key == key)
        }

        /// `ids` and the children of every CALCULATED check among them, transitively.
        func closure(_ ids: Set<String>) -> Set<String> {
            var result = ids
            var pending = Array(ids)
            while let id = pending.popLast() {
                guard let check = byID[id], check.config.kind == .calculated else { continue }
                for child in check.config.childHealthChecks where result.insert(child).inserted { pending.append(child) }
            }
            return result
        }

        /// The step that gives a record set (or a parent) a check with `config`: `current` kept
        /// when an update can make it so, else an unused check of ours with exactly these
        /// settings, else a new one.
        mutating func step(for config: HealthCheckConfig, current: HealthCheck?, key: RecordKey) -> HealthCheckStep {
            if let current, current.config.replacementReason(toReach: config) == nil {
                claimed.insert(current.id)
                let changes = current.config.differences(from: config)
                return HealthCheckStep(action: changes.isEmpty ? .use : .update, existing: current, config: config,
                                       reason: changes.isEmpty ? nil : changes.joined(separator: ", "))
            }
            if let adopted = adoptable(config, key: key) {
                claimed.insert(adopted.id)
                return HealthCheckStep(action: .use, existing: adopted, config: config)
            }
            return create(config, key: key, replacing: current, why: current?.config.replacementReason(toReach: config))
        }

        mutating func create(_ config: HealthCheckConfig, key: RecordKey, replacing: HealthCheck?,
                             why: String?) -> HealthCheckStep {
            let reference = HealthCheckReference(ownerID: planner.ownerID, zoneID: planner.zone.id, recordKey: key,
                                                 canonicalConfig: config.canonical, createdAt: planner.now)
            var reason: String?
            if let replacing { reason = "replaces \(replacing.id)" + (why.map { ": \($0)" } ?? "") }
            return HealthCheckStep(action: .create, callerReference: reference.text, config: config, reason: reason)
        }

        /// An unreferenced, unclaimed check of ours for `key` whose settings are exactly `config`.
        func adoptable(_ config: HealthCheckConfig, key: RecordKey) -> HealthCheck? {
            let digest = HealthCheckReference.keyDigest(key)
            return observed.first { check in
                !busy.contains(check.id) && !claimed.contains(check.id) && isOurs(check, key: digest)
                    && check.config.kind != .calculated && check.config.matches(config)
            }
        }

        /// Children per target address under one CALCULATED parent.
        mutating func calculated(_ children: [HealthCheckConfig], current: HealthCheck?, key: RecordKey) -> HealthCheckWork {
            let digest = HealthCheckReference.keyDigest(key)
            let parent = current?.config.kind == .calculated ? current : nil
            if parent == nil, let adopted = adoptableParent(children, key: digest) {
                // A parent (and its children) left over from a pass that failed to write the set.
                claimed.insert(adopted.parent.id)
                for child in adopted.children { claimed.insert(child.id) }
                let steps = zip(children, adopted.children).map { HealthCheckStep(action: .use, existing: $1, config: $0) }
                return HealthCheckWork(index: 0, key: key, children: steps,
                                       root: HealthCheckStep(action: .use, existing: adopted.parent,
                                                             config: adopted.parent.config))
            }
            if let parent { claimed.insert(parent.id) }
            var existing = (parent?.config.childHealthChecks ?? []).compactMap { byID[$0] }
                .filter { isOurs($0, key: digest) && !claimed.contains($0.id) && $0.config.kind != .calculated }
            var steps = [HealthCheckStep?](repeating: nil, count: children.count)
            // The child of the same address first, then any other that an update can turn into
            // the wanted one (a changed address is an update, not a new check).
            for (index, config) in children.enumerated() {
                let address = config.ipAddress.map(DesiredHealthCheck.comparableAddress)
                guard let position = existing.firstIndex(where: {
                    $0.config.ipAddress.map(DesiredHealthCheck.comparableAddress) == address
                        && $0.config.replacementReason(toReach: config) == nil
                }) else { continue }
                steps[index] = step(for: config, current: existing.remove(at: position), key: key)
            }
            for (index, config) in children.enumerated() where steps[index] == nil {
                let position = existing.firstIndex { $0.config.replacementReason(toReach: config) == nil }
                steps[index] = step(for: config, current: position.map { existing.remove(at: $0) }, key: key)
            }
            let childSteps = steps.map { $0! }
            let knownChildren = childSteps.compactMap(\.knownID)
            let wanted = DesiredHealthCheck.parent(children: knownChildren)
            let root: HealthCheckStep
            if let parent {
                var changes = parent.config.differences(from: wanted)
                if knownChildren.count < childSteps.count, !changes.contains("children") { changes.append("children") }
                root = HealthCheckStep(action: changes.isEmpty ? .use : .update, existing: parent, config: wanted,
                                       reason: changes.isEmpty ? nil : changes.joined(separator: ", "))
            } else {
                // The reference digest covers the children's settings (their ids come later).
                let template = DesiredHealthCheck.parent(children: [])
                let canonical = ([template.canonical] + children.map(\.canonical)).joined(separator: "+")
                let reference = HealthCheckReference(ownerID: planner.ownerID, zoneID: planner.zone.id, recordKey: key,
                                                     canonicalConfig: canonical, createdAt: planner.now)
                var reason: String?
                if let current {
                    reason = "replaces \(current.id): " + (current.config.replacementReason(toReach: wanted)
                                                            ?? "several targets need a CALCULATED check")
                }
                root = HealthCheckStep(action: .create, callerReference: reference.text, config: wanted, reason: reason)
            }
            return HealthCheckWork(index: 0, key: key, children: childSteps, root: root)
        }

        /// An unreferenced CALCULATED check of ours for the key whose children have exactly the
        /// wanted settings, with those children in the order of `children`.
        func adoptableParent(_ children: [HealthCheckConfig], key digest: String)
            -> (parent: HealthCheck, children: [HealthCheck])? {
            for check in observed where check.config.kind == .calculated && !busy.contains(check.id)
                && !claimed.contains(check.id) && isOurs(check, key: digest)
                && check.config.childHealthChecks.count == children.count
                && (check.config.healthThreshold ?? 0) == DesiredHealthCheck.parentHealthThreshold {
                var pool = check.config.childHealthChecks.compactMap { byID[$0] }
                guard pool.count == children.count else { continue }
                var matched: [HealthCheck] = []
                for config in children {
                    guard let position = pool.firstIndex(where: { $0.config.matches(config) }) else { break }
                    matched.append(pool.remove(at: position))
                }
                if matched.count == children.count { return (check, matched) }
            }
            return nil
        }
    }
}
