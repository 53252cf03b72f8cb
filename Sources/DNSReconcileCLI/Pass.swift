import DNSReconcileCore
import Logging

/// One reconcile pass over several clusters: sources → zones → registry → plan → safety →
/// batches → apply, with the numbers for the report.
///
/// All I/O goes through the core protocols (`EndpointSource`, `DNSProvider`, `TimeSource`), so
/// the whole orchestration runs in unit tests against an in-memory provider. What it guarantees:
/// - zones are listed once per account, and each zone's record sets once per pass even when
///   several clusters use it (later clusters see the cached listing updated with what earlier
///   clusters applied); of a zone only what the clusters' domain filters cover is read (a
///   subtree, plus the ownership records of its own name: `ListingScope`);
/// - one failing cluster never stops the others; a failing source stops its cluster before
///   anything is planned, so a broken source can never delete records;
/// - a plan over the safety limits is not applied without `force`;
/// - the deadline is checked before each batch and each cluster; what it cuts off is counted as
///   failed.
final class Pass {
    enum Mode: Equatable {
        /// Apply the plans.
        case apply
        /// Compute, log and meter the plans; change nothing.
        case dryRun
        /// As `dryRun`, for `plan`: the printed table is the output, so each change is logged
        /// only at debug level.
        case plan
    }

    let mode: Mode
    let force: Bool
    let time: TimeSource
    let logger: Logger
    /// Absolute time (seconds since the epoch) after which no batch is sent.
    let deadline: Double

    private var zoneCache: [String: Result<[HostedZone], DNSReconcileError>] = [:]
    private var tagCache: [String: [String: [String: String]]] = [:]
    private let listings = ZoneListings()
    /// Every cluster of the pass, so the first cluster to read a zone reads what all need.
    private var passClusters: [ClusterSetup] = []
    /// Managed health checks: resolved before each zone is planned, cleaned up after it.
    private let healthCheckStage: HealthCheckStage

    init(mode: Mode, force: Bool, deadline: Double, time: TimeSource, logger: Logger) {
        self.mode = mode
        self.force = force
        self.deadline = deadline
        self.time = time
        self.logger = logger
        healthCheckStage = HealthCheckStage(mode: mode, now: time.now())
    }

    /// Runs every cluster in order and reports each.
    func run(_ clusters: [ClusterSetup]) -> [ClusterReport] {
        passClusters = clusters
        var reports = clusters.map(runOnce)
        if mode == .apply { switchRoutingTogether(clusters, reports: &reports) }
        for (cluster, report) in zip(clusters, reports) { finish(report, of: cluster) }
        return reports
    }

    /// Lets clusters that share a name move it to another routing policy together.
    ///
    /// Route53 holds one routing policy per name and type, so when every owner at a name wants
    /// the same new policy, each one's switch is blocked by the others' old sets and nobody can
    /// move first. When all of those owners are clusters of this pass (same account), the pass
    /// breaks the tie in steps, re-planning from the listings it already holds (no new listing):
    /// every cluster but the last deletes its old sets at the name (`Planner.yielding`), the last
    /// switches in one batch, then the others create their new sets. The name keeps answering
    /// throughout, from the sets still there. Anything else blocked stays a conflict.
    private func switchRoutingTogether(_ clusters: [ClusterSetup], reports: inout [ClusterReport]) {
        struct Stuck: Hashable {
            var account: String
            var zone: String
            var key: RecordKey
            var wanted: String
        }
        var members: [Stuck: [Int]] = [:]
        var blockers: [Stuck: Set<String>] = [:]
        for (index, report) in reports.enumerated() {
            for zone in report.zones {
                for notice in zone.plan.notices {
                    guard let routingSwitch = notice.routingSwitch else { continue }
                    let stuck = Stuck(account: clusters[index].account, zone: zone.plan.zone.id,
                                      key: RecordKey(name: notice.key.name, type: notice.key.type, setIdentifier: nil),
                                      wanted: routingSwitch.wanted)
                    if members[stuck]?.contains(index) != true { members[stuck, default: []].append(index) }
                    blockers[stuck, default: []].formUnion(routingSwitch.blockedBy)
                }
            }
        }
        var yielding: [Int: Set<RecordKey>] = [:]
        var lasts: [Int] = []
        var stragglers: Set<Int> = []
        for (stuck, indices) in members {
            let owners = Set(indices.compactMap { clusters[$0].ownerID })
            guard indices.count > 1 else {
                // Blocked only by clusters that ran later and changed something (they switched
                // after this one planned: an earlier pass was cut short): one more plan settles it.
                let later = clusters.indices.filter { $0 > indices[0] && !reports[$0].applied.isEmpty }
                if blockers[stuck, default: []].isSubset(of: Set(later.compactMap { clusters[$0].ownerID })) {
                    stragglers.insert(indices[0])
                }
                continue
            }
            // Every blocking owner must be one of the switching clusters, or the name stays stuck.
            guard blockers[stuck, default: []].isSubset(of: owners) else { continue }
            let ordered = indices.sorted()
            for index in ordered.dropLast() { yielding[index, default: []].insert(stuck.key) }
            lasts.append(ordered.last!)
            logger.notice("\(stuck.key.name.value) \(stuck.key.type): clusters \(ordered.map { clusters[$0].name }.joined(separator: ", ")) switch to \(stuck.wanted) routing together: the first ones delete their old sets, \(clusters[ordered.last!].name) switches, then they create theirs")
        }
        guard !yielding.isEmpty || !stragglers.isEmpty else { return }
        func rerun(_ index: Int, yielding keys: Set<RecordKey>) {
            var cluster = clusters[index]
            cluster.planner.yielding = keys
            let again = runOnce(cluster)
            reports[index] = Pass.merge(reports[index], with: again)
        }
        for index in yielding.keys.sorted() { rerun(index, yielding: yielding[index]!) }
        for index in Set(lasts).sorted() { rerun(index, yielding: []) }
        for index in Set(yielding.keys).union(stragglers).sorted() { rerun(index, yielding: []) }
    }

    /// A cluster's report after it ran again: the plans and notices of the last run, the
    /// applied and failed changes and the errors of all runs.
    static func merge(_ first: ClusterReport, with again: ClusterReport) -> ClusterReport {
        var merged = again
        merged.startedAt = first.startedAt
        merged.duration = max(first.duration, again.startedAt + again.duration - first.startedAt)
        merged.applied = first.applied.merging(again.applied, uniquingKeysWith: +)
        merged.failedChanges = first.failedChanges + again.failedChanges
        merged.errors = first.errors + again.errors
        merged.registryRecords = first.registryRecords
        return merged
    }

    func run(_ cluster: ClusterSetup) -> ClusterReport {
        let report = runOnce(cluster)
        finish(report, of: cluster)
        return report
    }

    /// One cluster's plans and batches; its summary is logged by `finish`, once per pass even
    /// when the cluster plans again (`switchRoutingTogether`).
    private func runOnce(_ cluster: ClusterSetup) -> ClusterReport {
        let started = time.now()
        var report = ClusterReport(name: cluster.name, startedAt: started)
        reconcile(cluster, into: &report, log: clusterLog(cluster))
        report.duration = max(0, time.now() - started)
        return report
    }

    private func clusterLog(_ cluster: ClusterSetup) -> Logger {
        var log = logger
        log[metadataKey: "cluster"] = .string(cluster.name)
        return log
    }

    /// The warnings for routing switches still blocked at the end of the pass (while the pass
    /// may still settle them they are only notices), then the cluster's summary line.
    private func finish(_ report: ClusterReport, of cluster: ClusterSetup) {
        var log = clusterLog(cluster)
        for zone in report.zones {
            for notice in zone.plan.notices where notice.kind == .conflict && notice.routingSwitch != nil {
                log[metadataKey: "zone"] = .string(zone.plan.zone.name.value)
                log.warning("\(notice.kind.rawValue): \(Pass.describe(notice.key)): \(notice.message)")
            }
        }
        log[metadataKey: "zone"] = nil
        summarize(report, log: log)
    }

    private func reconcile(_ cluster: ClusterSetup, into report: inout ClusterReport, log: Logger) {
        if time.now() >= deadline {
            report.errors.append(DNSReconcileError(.deadline, "the pass deadline passed before this cluster started"))
            return
        }

        // Sources. Any failure stops the cluster here: planning without the full desired state
        // would delete the records of the source that failed.
        var desired: [Endpoint] = []
        var invalid: [InvalidEndpoint] = []
        for source in cluster.sources {
            do {
                let result = try source.endpoints()
                // The first source's array is shared, not copied (50,000 endpoints are 17 MB).
                if desired.isEmpty { desired = result.endpoints } else { desired += result.endpoints }
                invalid += result.invalid
                for warning in result.warnings { log.warning("source \(source.kind): \(warning)") }
            } catch {
                log.error("source \(source.kind) failed: \(error)")
                report.errors.append(error)
            }
        }
        report.sourceEndpoints = desired.count
        report.invalidEndpoints = invalid
        for skipped in invalid {
            var line = "skipped invalid endpoint"
            if let location = skipped.location { line += " at \(location)" }
            line += ": \(skipped.message)"
            if !skipped.names.isEmpty { line += "; holding \(skipped.names.map(\.value).joined(separator: ", "))" }
            log.warning("\(line)")
        }
        guard report.errors.isEmpty else { return }
        let held = Set(invalid.flatMap(\.names))

        // Zones of the account, listed once per pass.
        let zones: [HostedZone]
        switch zonesOf(cluster) {
        case .success(let listed): zones = listed
        case .failure(let error):
            log.error("cannot list hosted zones: \(error)")
            report.errors.append(error)
            return
        }
        var matched: [HostedZone] = []
        do {
            let tags = try tagsOf(zones, cluster: cluster)
            matched = zones.filter { cluster.zoneFilter.matches($0, tags: tags[$0.id] ?? [:]) }
        } catch {
            log.error("cannot read hosted zone tags: \(error)")
            report.errors.append(error)
            return
        }
        matched.sort { ($0.name, $0.id) < ($1.name, $1.id) }
        if matched.isEmpty {
            log.warning("no hosted zone matches the cluster's zone filters")
        }

        // An endpoint pinned to a zone (aws-hosted-zone-id) goes there or nowhere.
        let pinned = desired.filter { $0.hostedZoneID != nil }
        var (byZone, unassigned) = ZoneFilter.assign(pinned.isEmpty ? desired : desired.filter { $0.hostedZoneID == nil },
                                                     to: matched)
        // From here on the endpoints live in `byZone`: no second copy while planning.
        desired = []
        for endpoint in pinned {
            if let zone = matched.first(where: { $0.id == endpoint.hostedZoneID }), endpoint.name.isWithin(zone.name) {
                byZone[zone.id, default: []].append(endpoint)
            } else {
                unassigned.append(endpoint)
            }
        }
        report.unassigned = unassigned
        for endpoint in unassigned {
            log.warning("\(Pass.describe(endpoint.key)) is in none of the cluster's hosted zones; skipped")
        }

        for zone in matched {
            var zoneLog = log
            zoneLog[metadataKey: "zone"] = .string(zone.name.value)
            reconcile(zone: zone, desired: byZone[zone.id] ?? [], held: held, cluster: cluster,
                      into: &report, log: zoneLog)
        }
    }

    private func reconcile(zone: HostedZone, desired: [Endpoint], held: Set<DNSName>, cluster: ClusterSetup,
                           into report: inout ClusterReport, log: Logger) {
        guard let (inventory, listed, reduced, fresh, updates, ownedCount) = inventory(
            of: zone, desired: desired, held: held, cluster: cluster, into: &report, log: log) else { return }
        var desired = reduced
        // Health checks first: the record sets (and their companions) reference what they resolve to.
        var held = held
        let checks = healthCheckStage.prepare(zone: zone, desired: &desired, held: &held, inventory: inventory,
                                              cluster: cluster, into: &report, log: log)
        var plan = cluster.planner.plan(desired: desired, held: held, inventory: inventory)
        plan.fresh = fresh
        plan.merge(updates)
        healthCheckStage.amend(&plan, with: checks)
        // Unused checks go after the zone's batches, whichever way the zone ends.
        defer { healthCheckStage.finish(checks, inventory: inventory, plan: plan, cluster: cluster, into: &report, log: log) }
        var zoneReport = ZoneReport(plan: plan, ownedRecords: ownedCount)
        zoneReport.healthChecks = checks.changes
        for notice in plan.notices {
            let line = "\(notice.kind.rawValue): \(Pass.describe(notice.key)): \(notice.message)"
            switch notice.kind {
            case .conflict where notice.routingSwitch != nil:
                // Other clusters of this pass may still switch too; `finish` warns if not.
                log.notice("\(line)")
            case .conflict, .noCompanion, .invalid: log.warning("\(line)")
            case .held, .policy: log.notice("\(line)")
            }
        }

        if case .exceeded(let why) = cluster.safety.check(plan, ownedCount: ownedCount, ownerID: cluster.ownerID) {
            if force {
                zoneReport.forcedPast = why
                log.warning("plan exceeds the safety limits, applying it because of --force: \(why)")
            } else {
                zoneReport.refusal = why
                log.error("plan not applied: \(why)")
                report.zones.append(zoneReport)
                return
            }
        }
        report.zones.append(zoneReport)
        guard plan.changeCount > 0 else { return }

        let layout: Batcher.Layout
        do {
            layout = try cluster.batcher.layout(for: plan)
        } catch {
            log.error("cannot batch the plan for \(zone.name.value): \(error)")
            report.errors.append(error)
            report.failedChanges += plan.changeCount
            return
        }
        let cost = layout.cost
        let batches = layout.batches
        let batchLine = "\(plan.changeCount) changes in \(zone.name.value): \(batches.count) "
            + (batches.count == 1 ? "batch" : "batches") + " for \(cost.records) resource records and "
            + "\(cost.characters) value characters (Route53's limits allow no fewer than \(cluster.batcher.minimumBatches(for: cost)))"
        log.info("\(batchLine)")

        // Each batch is checked against the zone as it is when it goes out (Route53's rules the
        // emulator does not enforce): the listing, moved on by every batch applied before it.
        // Fresh creates are judged alone: nothing is listed at their names and nothing else in
        // the plan writes there. An update made aside is judged with its listed set; the other
        // sets at its name, left out as exactly wanted, stood beside that set already, and the
        // update changes neither its type nor its routing policy.
        var validator = mode == .apply
            ? BatchValidator(zone: zone, recordSets: listed,
                             names: Set(plan.changes.lazy.flatMap(\.changes).map(\.recordSet.name)))
            : nil
        for (index, items) in batches.enumerated() {
            let batch = Batcher.changes(at: items, in: plan)
            if mode != .apply {
                let level: Logger.Level = mode == .plan ? .debug : .info
                for change in batch { log.log(level: level, "would \(Pass.describe(change))") }
                continue
            }
            let later = batches[(index + 1)...].reduce(0) { $0 + $1.count }
            let sendable = validator.map { refuseInvalid(batch, validator: $0, into: &report, log: log) } ?? batch
            guard apply(sendable, later: later, zone: zone, cluster: cluster, validator: &validator, into: &report,
                        log: log) else { return }
        }
    }

    /// Applies one batch; when Route53 rejects it as invalid, isolates the bad groups by sending
    /// halves (`BatchSplitter`) and applies everything else. Returns false when the deadline
    /// stopped it: nothing more may be sent for this zone (`later` changes follow this batch and
    /// are counted as failed too).
    ///
    /// The halves are sent depth first, so the changes of one name are never far from their
    /// neighbours in the order of the plan. Every request is a whole number of groups, so what
    /// was applied is consistent whenever the work stops (a record never without its companion).
    private func apply(_ batch: [PlannedChange], later: Int, zone: HostedZone, cluster: ClusterSetup,
                       validator: inout BatchValidator?, into report: inout ClusterReport, log: Logger) -> Bool {
        var pending = batch.isEmpty ? [] : [batch]
        var isolating = false
        while let current = pending.first {
            pending.removeFirst()
            if time.now() >= deadline {
                stopAtDeadline(left: current.count + pending.reduce(0) { $0 + $1.count } + later, zone: zone,
                               error: nil, into: &report, log: log)
                return false
            }
            let elements = Batcher.changes(in: current)
            do {
                _ = try cluster.provider.apply(elements, in: zone, comment: "dnsreconcile \(cluster.name)")
                for change in current {
                    report.applied[change.action, default: 0] += 1
                    log.info("\(Pass.describe(change))")
                }
                updateCache(zone: zone, cluster: cluster, with: elements)
                validator?.record(elements)
            } catch where error.code == .deadline {
                stopAtDeadline(left: current.count + pending.reduce(0) { $0 + $1.count } + later, zone: zone,
                               error: error, into: &report, log: log)
                return false
            } catch where Pass.isRejection(error) {
                if let (first, second) = BatchSplitter.halves(of: current) {
                    if !isolating {
                        let line = "Route53 rejected a batch of \(current.count) changes in \(zone.name.value); "
                            + "sending it in parts to find the bad ones and apply the rest: \(error.message)"
                        log.warning("\(line)")
                        isolating = true
                    }
                    pending.insert(contentsOf: [first, second], at: 0)
                    continue
                }
                report.failedChanges += current.count
                report.errors.append(error)
                let messages = error.details.isEmpty ? [error.message] : error.details
                for change in current {
                    log.error("rejected by Route53: \(Pass.describe(change)): \(messages.joined(separator: "; "))")
                }
            } catch {
                report.failedChanges += current.count
                report.errors.append(error)
                log.error("batch of \(current.count) changes failed: \(error)")
                for change in current { log.error("not applied: \(Pass.describe(change))") }
            }
        }
        return true
    }

    /// `batch` without the groups Route53 would refuse (`BatchValidator`): those are not sent, and
    /// count as failed with their reasons, as a group Route53 itself rejects does.
    private func refuseInvalid(_ batch: [PlannedChange], validator: BatchValidator, into report: inout ClusterReport,
                               log: Logger) -> [PlannedChange] {
        let verdict = validator.verdict(on: batch)
        for refusal in verdict.refused {
            var error = DNSReconcileError(.invalidChangeBatch, "not sent, Route53 would reject it: "
                                              + refusal.reasons.joined(separator: "; "), cause: "validation")
            error.details = refusal.reasons
            report.failedChanges += refusal.changes.count
            report.errors.append(error)
            for change in refusal.changes {
                log.error("not sent, Route53 would reject it: \(Pass.describe(change)): \(refusal.reasons.joined(separator: "; "))")
            }
        }
        return verdict.accepted
    }

    /// Route53 refused the batch's content (not the rate, the network or the credentials): some
    /// change in it is bad, and the others may be fine on their own.
    static func isRejection(_ error: DNSReconcileError) -> Bool {
        error.code == .invalidChangeBatch || (error.code == .route53 && error.cause == "InvalidInput")
    }

    private func stopAtDeadline(left: Int, zone: HostedZone, error: DNSReconcileError?, into report: inout ClusterReport,
                                log: Logger) {
        log.error("deadline passed: \(left) changes in \(zone.name.value) not applied")
        var stop = DNSReconcileError(.deadline, "the pass deadline passed; \(left) changes in \(zone.name.value) were not applied")
        if let error { stop.cause = error.message }
        report.errors.append(stop)
        report.failedChanges += left
    }

    private func summarize(_ report: ClusterReport, log: Logger) {
        var line = "\(report.name): "
        if mode != .apply {
            line += "planned \(report.planned(.create)) to create, \(report.planned(.update)) to update, "
                + "\(report.planned(.delete)) to delete"
        } else {
            line += "\(report.applied[.create] ?? 0) created, \(report.applied[.update] ?? 0) updated, "
                + "\(report.applied[.delete] ?? 0) deleted"
        }
        line += ", \(report.failedChanges) failed, \(report.conflicts) conflicts, \(report.sourceEndpoints) endpoints"
        if !report.invalidEndpoints.isEmpty { line += " (\(report.invalidEndpoints.count) invalid)" }
        line += " in " + String(format: report.duration) + " s"
        switch report.status {
        case .ok: log.info("\(line)")
        case .refused: log.error("\(line); refused by the safety limits (use --force)")
        case .failed: log.error("\(line); failed")
        }
    }

    // MARK: Caches

    private func zonesOf(_ cluster: ClusterSetup) -> Result<[HostedZone], DNSReconcileError> {
        if let cached = zoneCache[cluster.account] { return cached }
        let result: Result<[HostedZone], DNSReconcileError>
        do { result = .success(try cluster.provider.listZones()) } catch { result = .failure(error) }
        zoneCache[cluster.account] = result
        return result
    }

    private func tagsOf(_ zones: [HostedZone], cluster: ClusterSetup) throws(DNSReconcileError) -> [String: [String: String]] {
        guard cluster.zoneFilter.needsTags else { return [:] }
        var known = tagCache[cluster.account] ?? [:]
        let missing = zones.map(\.id).filter { known[$0] == nil }
        if !missing.isEmpty {
            let fetched = try cluster.provider.zoneTags(missing)
            for id in missing { known[id] = fetched[id] ?? [:] }
            tagCache[cluster.account] = known
        }
        return known
    }

    /// The record sets of `zone` this cluster sees: what its domain filter covers, plus the
    /// ownership records of each covered subtree's own name (they sit beside it), read once per
    /// pass.
    ///
    /// The first cluster to read a zone reads the union of what every cluster of the account
    /// that matches the zone needs (a whole zone when one needs it all), so they share one
    /// listing. The companion names follow from the types found or desired at each subtree's
    /// own name and are read on top, one name at a time. Each cluster sees exactly its own scope
    /// whatever was read for others, so its plan does not depend on which clusters share a zone.
    private func recordsOf(_ zone: HostedZone, cluster: ClusterSetup,
                           desired: [Endpoint]) -> Result<[RecordSet], DNSReconcileError> {
        let own = cluster.planner.listingScope(in: zone)
        var shared = own
        if listings.scope(of: zone, account: cluster.account).isEmpty {
            for other in passClusters where other.account == cluster.account && other.name != cluster.name {
                let tags = tagCache[other.account]?[zone.id]
                // Unknown tags: read for it anyway; reading more is harmless.
                guard (other.zoneFilter.needsTags && tags == nil) || other.zoneFilter.matches(zone, tags: tags ?? [:]) else {
                    continue
                }
                shared = shared.union(other.planner.listingScope(in: zone))
            }
        }
        let records: [RecordSet]
        switch listings.records(in: zone, account: cluster.account, scope: shared, provider: cluster.provider) {
        case .success(let listed): records = listed
        case .failure(let error): return .failure(error)
        }
        // A zone only this cluster uses is read once and not kept: nothing reads it again. (A
        // cluster run on its own, outside `run(_:)`, keeps it: the pass does not know the others.)
        let keep = !isAlone(cluster)
        guard !own.isWholeZone else {
            if !keep { listings.release(zone, account: cluster.account) }
            return .success(records)
        }

        var listedTypes: [DNSName: Set<RecordType>] = [:]
        for set in records where own.subtrees.contains(set.name) { listedTypes[set.name, default: []].insert(set.type) }
        let companions = Pass.rootCompanions(of: own, listedTypes: listedTypes, desired: desired, planner: cluster.planner, zone: zone)
        let result = listings.records(in: zone, account: cluster.account,
                                      scope: own.union(ListingScope(subtrees: [], names: companions)), provider: cluster.provider)
        if !keep { listings.release(zone, account: cluster.account) }
        return result
    }

    /// The zone's record sets by owner and as listed, both narrowed to what the plan for `desired`
    /// reads (`NamesInPlay`), with the endpoints left to plan, the fresh creates and updates made
    /// without planning, and how many record sets this owner has in the zone. The registry
    /// metrics count every listed set. The whole listing is gone when this returns: another
    /// owner's sets at names this owner does not use are not kept while planning. The listed
    /// sets are for `BatchValidator`, which judges a batch on the listing itself, not on the
    /// registry's reading of it. Nil when the zone could not be listed (the error is reported).
    private func inventory(of zone: HostedZone, desired: [Endpoint], held: Set<DNSName>, cluster: ClusterSetup,
                           into report: inout ClusterReport, log: Logger)
        -> (inventory: ZoneInventory, listed: [RecordSet], desired: [Endpoint], fresh: FreshCreates?,
            updates: [PlannedChange], ownedCount: Int)? {
        let listing = streamedRecordsOf(zone, cluster: cluster, desired: desired, held: held)
            ?? recordsOf(zone, cluster: cluster, desired: desired).map { SteadyState.Outcome(desired: desired, recordSets: $0, settledRecords: 0) }
        let outcome: SteadyState.Outcome
        switch consume listing {
        case .success(let listed): outcome = listed
        case .failure(let error):
            log.error("cannot list the record sets of \(zone.name.value): \(error)")
            report.errors.append(error)
            return nil
        }
        // By owner, without an index of the whole zone: only the part in play is indexed.
        let whole = cluster.planner.registry.owners(of: outcome.recordSets, in: zone)
        // An updated set is this owner's, listed and left out like a settled one.
        let settled = outcome.settledRecords, updated = outcome.updates.count
        var ownedCount = settled + updated
        for owned in whole.records {
            report.registryRecords[owned.owner.metricLabel, default: 0] += 1
            if owned.owner == .this { ownedCount += 1 }
        }
        // Other owners' sets at names this owner does not use, counted and left out as listed.
        for (label, count) in outcome.foreignRecords { report.registryRecords[label, default: 0] += count }
        if settled + updated > 0 { report.registryRecords[Owner.this.metricLabel, default: 0] += settled + updated }
        if settled > 0 { log.debug("\(settled) record sets are as wanted and were left out of the plan") }
        if updated > 0 { log.debug("\(updated) record sets changed only in values or TTL and are updated without planning") }
        let inPlay = cluster.planner.namesInPlay(desired: outcome.desired, held: held, records: whole.records)
        let inventory = ZoneInventory(zone: zone, records: whole.records, registryTXTs: whole.registryTXTs,
                                      keeping: inPlay)
        // The batch check sees each updated set as listed.
        let listed = outcome.recordSets.filter(inPlay.covers) + outcome.updates.compactMap(\.old)
        return (inventory, listed, outcome.desired, outcome.fresh, outcome.updates, ownedCount)
    }

    /// The listing of a zone no other cluster of the pass uses, read page by page through
    /// `SteadyState`: what is exactly as wanted is left out as it comes, so neither the zone nor
    /// its no-op plan is ever held. Nil when that does not apply (a zone shared with other
    /// clusters, read once for all of them and kept; a registry whose companions cannot be
    /// rebuilt): then the whole listing is planned.
    private func streamedRecordsOf(_ zone: HostedZone, cluster: ClusterSetup, desired: [Endpoint],
                                   held: Set<DNSName>) -> Result<SteadyState.Outcome, DNSReconcileError>? {
        guard isAlone(cluster), listings.scope(of: zone, account: cluster.account).isEmpty,
              var filter = SteadyState(planner: cluster.planner, zone: zone, desired: desired, held: held) else { return nil }
        let scope = cluster.planner.listingScope(in: zone)
        do throws(DNSReconcileError) {
            if scope.isWholeZone {
                try cluster.provider.listRecordSets(in: zone, subtree: nil) { page in filter.take(page) }
                return .success(filter.finish())
            }
            filter.listingInOneSweep = false
            // The ownership records of each subtree's own name sit beside it, outside the
            // subtree: read on top, for the types listed or wanted there.
            var listedTypes: [DNSName: Set<RecordType>] = [:]
            for root in scope.subtrees {
                try cluster.provider.listRecordSets(in: zone, subtree: root) { page in
                    for set in page where set.name == root { listedTypes[root, default: []].insert(set.type) }
                    filter.take(page)
                }
            }
            let companions = Pass.rootCompanions(of: scope, listedTypes: listedTypes, desired: desired,
                                                 planner: cluster.planner, zone: zone)
            // A single name is read as the subtree at it; what lies below is not part of it.
            for name in scope.names + companions {
                try cluster.provider.listRecordSets(in: zone, subtree: name) { page in filter.take(page.filter { $0.name == name }) }
            }
            return .success(filter.finish())
        } catch {
            return .failure(error)
        }
    }

    /// True when no other cluster of the pass uses `cluster`'s account, so a zone it reads is
    /// read for it alone. (A cluster run on its own, outside `run(_:)`, is not: the pass does not
    /// know the others.)
    private func isAlone(_ cluster: ClusterSetup) -> Bool {
        !passClusters.isEmpty && !passClusters.contains { $0.account == cluster.account && $0.name != cluster.name }
    }

    /// The names beside each subtree root of `scope` where the root's ownership records live,
    /// for the types listed (`listedTypes`) or wanted at the root, sorted.
    private static func rootCompanions(of scope: ListingScope, listedTypes: [DNSName: Set<RecordType>],
                                       desired: [Endpoint], planner: Planner, zone: HostedZone) -> [DNSName] {
        var companions: Set<DNSName> = []
        for root in scope.subtrees {
            var types = listedTypes[root] ?? []
            for endpoint in desired where endpoint.name == root {
                types.insert(endpoint.type)
                if endpoint.alias != nil { types.formUnion([.a, .aaaa]) }
            }
            companions.formUnion(planner.companionNames(of: root, types: types, outside: scope, in: zone))
        }
        return companions.sorted()
    }

    /// Replays an applied batch on the cached listing, so the next cluster in the same zone plans
    /// against what is there now without listing the zone again.
    private func updateCache(zone: HostedZone, cluster: ClusterSetup, with changes: [Change]) {
        listings.apply(changes, in: zone, account: cluster.account)
        healthCheckStage.noteApplied(changes, in: zone)
    }

    // MARK: Text

    static func describe(_ key: RecordKey) -> String {
        "\(key.type) \(key.name.value)" + (key.setIdentifier.map { " [\($0)]" } ?? "")
    }

    /// `create A app.example.com [hk]`.
    static func describe(_ change: PlannedChange) -> String {
        var text = "\(change.action.rawValue) \(describe(change.key))"
        if let reason = change.reason { text += " (\(reason))" }
        return text
    }
}

fileprivate extension String {
    /// Seconds with one decimal, for the summary line.
    init(format seconds: Double) {
        let tenths = Int((seconds * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
