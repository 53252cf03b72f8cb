import DNSReconcileCore
import Logging

/// Managed Route53 health checks in a pass: what `HealthCheckPlanner` decides, carried out around
/// each zone's record changes.
///
/// Before a zone is planned (`prepare`) the checks its endpoints ask for are found, created or
/// updated, and each endpoint gets the id its record set (and so its ownership TXT) must
/// reference. After the zone's batches (`finish`) the checks of this owner that no record set
/// references any more are deleted, parents before children. In plan and dry-run modes nothing
/// is sent: the actions are reported as "would" lines and a record set keeps its current id.
///
/// The account's checks are listed at most once per pass and only when needed (an endpoint asks
/// for a check, or an applied change took a check id off a record set), so a pass without
/// managed checks makes no health-check call at all. A check that cannot be created or updated
/// holds its record set (not written this pass, counted as failed); it never stops the pass.
final class HealthCheckStage {
    /// One zone of one cluster, between `prepare` and `finish`.
    final class ZoneWork {
        let zone: HostedZone
        let planner: HealthCheckPlanner
        /// The checks were listed for this zone (some endpoint asked for one).
        var listed = false
        /// Ids given to record sets this pass, children included: never deleted by this pass.
        var resolved: Set<String> = []
        /// What was sent or would be, for the report.
        var changes: [HealthCheckChange] = []
        /// Notices to add to the zone's plan: refusals and failures.
        var notices: [PlanNotice] = []
        /// Keys held because their check failed; the planner's generic held notice is replaced.
        var failedKeys: Set<RecordKey> = []
        /// Record changes applied in the zone (apply mode), in order.
        var applied: [Change] = []

        init(zone: HostedZone, planner: HealthCheckPlanner) {
            self.zone = zone
            self.planner = planner
        }
    }

    private let mode: Pass.Mode
    /// The `t` of every reference this pass creates: a retried create sends the same reference.
    private let now: Double
    private var listings: [String: Result<[HealthCheck], DNSReconcileError>] = [:]
    /// Checks created this pass by reference: two record sets that need the same new check (one
    /// key wanted twice) share it.
    private var created: [String: HealthCheck] = [:]
    /// The zone whose batches are being applied (`noteApplied`).
    private var active: ZoneWork?

    init(mode: Pass.Mode, now: Double) {
        self.mode = mode
        self.now = now
    }

    // MARK: Before planning

    /// Resolves the health checks of `desired` in `zone`: fills in `healthCheckID` of the
    /// endpoints whose check exists (or was just created), and takes out (holding their names)
    /// those whose settings are refused or whose check could not be made.
    func prepare(zone: HostedZone, desired: inout [Endpoint], held: inout Set<DNSName>, inventory: ZoneInventory,
                 cluster: ClusterSetup, into report: inout ClusterReport, log: Logger) -> ZoneWork {
        let work = ZoneWork(zone: zone, planner: HealthCheckPlanner(ownerID: cluster.ownerID ?? cluster.name, zone: zone,
                                                                    now: now))
        active = work
        guard desired.contains(where: { $0.healthCheck != nil && !held.contains($0.name) }) else { return work }

        var drop: Set<Int> = []
        func fail(_ index: Int, _ error: DNSReconcileError, doing what: String) {
            let endpoint = desired[index]
            drop.insert(index)
            held.insert(endpoint.name)
            work.failedKeys.insert(endpoint.key)
            report.failedChanges += 1
            // One listing failure holds many record sets: the report names it once.
            if !report.errors.contains(where: { $0.code == error.code && $0.message == error.message }) {
                report.errors.append(error)
            }
            let message = "\(endpoint.key) is kept as it is: \(what) failed: \(error); the next pass tries again"
            work.notices.append(PlanNotice(kind: .held, key: endpoint.key, message: message, location: endpoint.origin))
            let line = "health check for \(Pass.describe(endpoint.key)): \(what) failed: \(error); the record set is "
                + "not written this pass and the next pass tries again"
            log.error("\(line)")
        }
        let candidates = desired.indices.filter { desired[$0].healthCheck != nil && !held.contains(desired[$0].name) }

        guard let provider = cluster.healthChecks else {
            let error = DNSReconcileError(.internal, "this provider cannot manage Route53 health checks")
            for index in candidates { fail(index, error, doing: "managing its health check") }
            desired = desired.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            return work
        }
        let observed: [HealthCheck]
        switch checks(of: cluster, provider: provider) {
        case .success(let listed): observed = listed
        case .failure(let error):
            let line = "cannot list the Route53 health checks: \(error); record sets with a managed health check are "
                + "held this pass (check the credentials' route53:ListHealthChecks permission)"
            log.error("\(line)")
            for index in candidates { fail(index, error, doing: "listing the health checks") }
            desired = desired.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            return work
        }
        work.listed = true

        let owned = inventory.records.filter { $0.owner == .this }.map(\.record)
        let plan = work.planner.plan(desired: candidates.map { desired[$0] }, owned: owned,
                                     referenced: Self.referencedIDs(inventory), observed: observed)
        for refusal in plan.refused {
            let index = candidates[refusal.index]
            drop.insert(index)
            held.insert(desired[index].name)
            work.notices.append(refusal.notice)
        }
        work.resolved = plan.resolved
        for item in plan.work {
            let index = candidates[item.index]
            if mode != .apply {
                announce(item, log: log, into: work)
                if let id = item.root.knownID { desired[index].healthCheckID = id }
                continue
            }
            do {
                let id = try carryOut(item, provider: provider, cluster: cluster, log: log, into: work)
                desired[index].healthCheckID = id
            } catch {
                let verb = item.steps.contains { $0.action == .create } ? "creating" : "updating"
                fail(index, error, doing: "\(verb) its health check")
            }
        }
        if !drop.isEmpty { desired = desired.enumerated().filter { !drop.contains($0.offset) }.map(\.element) }
        return work
    }

    /// Puts the stage's notices into the zone's plan, in place of the planner's generic held
    /// notice for a record set whose check failed.
    func amend(_ plan: inout ZonePlan, with work: ZoneWork) {
        guard !work.notices.isEmpty else { return }
        plan.notices.removeAll { $0.kind == .held && work.failedKeys.contains($0.key) }
        plan.notices = (plan.notices + work.notices).enumerated().sorted { lhs, rhs in
            if lhs.element.key != rhs.element.key { return lhs.element.key < rhs.element.key }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Notes a batch Route53 accepted in the zone being applied.
    ///
    /// A create without a health check is left out: Route53 took it, so nothing stood at its
    /// key, and it references no check; `finish` would find nothing to note (a first pass
    /// creates a whole zone this way).
    func noteApplied(_ changes: [Change], in zone: HostedZone) {
        guard let active, active.zone.id == zone.id else { return }
        active.applied += changes.lazy.filter { $0.action != .create || $0.recordSet.healthCheckID != nil }
    }

    /// Logs and reports what `item` would send (plan and dry-run modes).
    private func announce(_ item: HealthCheckWork, log: Logger, into work: ZoneWork) {
        let level: Logger.Level = mode == .plan ? .debug : .info
        for step in item.steps where step.action != .use {
            var config = step.config
            if config.kind == .calculated {
                // Shown with as many children as it will have; new ones have no id yet.
                config.childHealthChecks = item.children.map { $0.knownID ?? "(new)" }
            }
            let change = HealthCheckChange(action: step.action == .create ? .create : .update, key: item.key,
                                           id: step.knownID, config: config, reason: step.reason)
            work.changes.append(change)
            log.log(level: level, "would \(change.action.rawValue) \(Self.describe(change))")
        }
    }

    /// Sends `item`'s creates and updates, children first; returns the id of the check the
    /// record set references.
    private func carryOut(_ item: HealthCheckWork, provider: HealthCheckProvider, cluster: ClusterSetup, log: Logger,
                          into work: ZoneWork) throws(DNSReconcileError) -> String {
        var children: [String] = []
        for step in item.children {
            children.append(try carryOut(step, key: item.key, child: true, provider: provider, cluster: cluster, log: log,
                                         into: work))
        }
        var root = item.root
        if root.config.kind == .calculated { root.config.childHealthChecks = children.sorted() }
        return try carryOut(root, key: item.key, child: false, provider: provider, cluster: cluster, log: log, into: work)
    }

    private func carryOut(_ step: HealthCheckStep, key: RecordKey, child: Bool, provider: HealthCheckProvider,
                          cluster: ClusterSetup, log: Logger, into work: ZoneWork) throws(DNSReconcileError) -> String {
        switch step.action {
        case .use:
            return step.existing!.id
        case .update:
            let existing = step.existing!
            let updated = try provider.updateHealthCheck(id: existing.id, version: existing.version, config: step.config)
            remember(updated, account: cluster.account)
            let change = HealthCheckChange(action: .update, key: key, id: updated.id, config: step.config, reason: step.reason)
            work.changes.append(change)
            log.info("update \(Self.describe(change))")
            return updated.id
        case .create:
            let reference = step.callerReference!
            if let known = created[reference] { return known.id }
            let check = try provider.createHealthCheck(callerReference: reference, config: step.config)
            created[reference] = check
            remember(check, account: cluster.account)
            work.resolved.insert(check.id)
            let change = HealthCheckChange(action: .create, key: key, id: check.id, config: step.config, reason: step.reason)
            work.changes.append(change)
            log.info("create \(Self.describe(change))")
            let label = "\(key.name.value) \(key.type)" + (key.setIdentifier.map { " \($0)" } ?? "")
            let address = child ? step.config.ipAddress.map { " " + $0 } ?? "" : ""
            do {
                try provider.tagHealthCheck(id: check.id, tags: ["Name": label + address,
                                                                 "dnsreconcile/owner": cluster.ownerID ?? cluster.name,
                                                                 "dnsreconcile/record": label])
            } catch {
                // The reference carries the ownership; tags only help people in the console.
                let line = "could not tag health check \(check.id) for \(Pass.describe(key)): \(error); "
                    + "it is managed all the same"
                log.warning("\(line)")
            }
            return check.id
        }
    }

    // MARK: After the batches

    /// Deletes (or, in plan and dry-run modes, reports) the checks of this owner in the zone that
    /// nothing references any more, judged by the zone's listing with the applied changes (in
    /// plan and dry-run modes: the changes that would be applied) replayed on it.
    func finish(_ work: ZoneWork, inventory: ZoneInventory, plan: ZonePlan, cluster: ClusterSetup,
                into report: inout ClusterReport, log: Logger) {
        if active === work { active = nil }
        let zoneIndex = report.zones.lastIndex { $0.plan.zone.id == work.zone.id }
        let wouldApply = zoneIndex.map { report.zones[$0].refusal == nil } ?? false
        var ids: [RecordKey: String] = [:]
        var keyOf: [String: RecordKey] = [:]
        for owned in inventory.records {
            guard let id = owned.record.healthCheckID else { continue }
            ids[owned.record.key] = id
            if owned.owner == .this, keyOf[id] == nil { keyOf[id] = owned.record.key }
        }
        for txt in inventory.registryTXTs {
            if let id = txt.healthCheckID { ids[txt.key] = id }
        }
        let listed = work.listed || (try? listings[cluster.account]?.get()) != nil
        // Nothing references a check and none was read: no change can take one off, nothing to do.
        guard listed || !ids.isEmpty else { return }
        var takenOff: Set<String> = []
        func replay(_ change: Change) {
            let key = change.recordSet.key
            if let before = ids[key] { takenOff.insert(before) }
            ids[key] = change.action == .delete ? nil : change.recordSet.healthCheckID
        }
        if mode == .apply {
            for change in work.applied { replay(change) }
        } else if wouldApply {
            for planned in plan.changes { for change in planned.changes { replay(change) } }
        }
        let referenced = Set(ids.values)
        takenOff.subtract(referenced)
        guard listed || !takenOff.isEmpty else { return }
        guard let provider = cluster.healthChecks else { return }
        let observed: [HealthCheck]
        switch checks(of: cluster, provider: provider) {
        case .success(let listed): observed = listed
        case .failure(let error):
            log.warning("cannot list the Route53 health checks to remove unused ones: \(error); a later pass does it")
            return
        }
        let wholeZone = cluster.planner.listingScope(in: work.zone).isWholeZone
        let gone = work.planner.deletions(observed: observed, referenced: referenced, resolved: work.resolved,
                                          takenOff: wholeZone ? nil : takenOff)
        guard !gone.isEmpty else { return }
        // A child is shown with the record set its parent served.
        for check in gone where check.config.kind == .calculated {
            if let key = keyOf[check.id] { for child in check.config.childHealthChecks where keyOf[child] == nil { keyOf[child] = key } }
        }
        var deleted: [HealthCheckChange] = []
        for check in gone {
            let change = HealthCheckChange(action: .delete, key: keyOf[check.id], id: check.id, config: check.config,
                                           reason: "no record set references it any more")
            if mode != .apply {
                deleted.append(change)
                log.log(level: mode == .plan ? .debug : .info, "would delete \(Self.describe(change))")
                continue
            }
            do {
                try provider.deleteHealthCheck(id: check.id)
                forget(check.id, account: cluster.account)
                deleted.append(change)
                log.info("delete \(Self.describe(change))")
            } catch where error.cause == "HealthCheckInUse" {
                let line = "health check \(check.id) is still in use (by a record set outside what this cluster "
                    + "reads, or by a check of another owner); it is left in place"
                log.warning("\(line)")
            } catch {
                report.failedChanges += 1
                report.errors.append(error)
                let line = "could not delete health check \(check.id) (\(check.config.summary)): \(error); a later pass "
                    + "tries again, or delete it by hand: aws route53 delete-health-check --health-check-id \(check.id)"
                log.error("\(line)")
            }
        }
        if let zoneIndex { report.zones[zoneIndex].healthChecks += deleted }
    }

    // MARK: The account's checks

    /// Every health check of the account, listed once per pass.
    private func checks(of cluster: ClusterSetup,
                        provider: HealthCheckProvider) -> Result<[HealthCheck], DNSReconcileError> {
        if let known = listings[cluster.account] { return known }
        let result: Result<[HealthCheck], DNSReconcileError>
        do { result = .success(try provider.listHealthChecks()) } catch { result = .failure(error) }
        listings[cluster.account] = result
        return result
    }

    /// Keeps the cached listing current with a created or updated check.
    private func remember(_ check: HealthCheck, account: String) {
        guard case .success(var known)? = listings[account] else { return }
        known.removeAll { $0.id == check.id }
        known.append(check)
        listings[account] = .success(known)
    }

    private func forget(_ id: String, account: String) {
        guard case .success(var known)? = listings[account] else { return }
        known.removeAll { $0.id == id }
        listings[account] = .success(known)
    }

    /// Every health check id the listed record sets reference (companions included).
    static func referencedIDs(_ inventory: ZoneInventory) -> Set<String> {
        var ids: Set<String> = []
        for owned in inventory.records { if let id = owned.record.healthCheckID { ids.insert(id) } }
        for txt in inventory.registryTXTs { if let id = txt.healthCheckID { ids.insert(id) } }
        return ids
    }

    /// `health check app.example.com A hk: HTTP 203.0.113.10:80 /healthz Host app.example.com (id …)`.
    static func describe(_ change: HealthCheckChange) -> String {
        let line = change.line
        // The line starts with its plan symbol; logs say the verb instead.
        return String(line.drop { $0 != " " }.dropFirst())
    }
}
