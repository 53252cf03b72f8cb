import DNSReconcileCore
import Logging

/// One reconcile pass over several clusters: sources → zones → registry → plan → safety →
/// batches → apply, with the numbers for the report.
///
/// All I/O goes through the core protocols (`EndpointSource`, `DNSProvider`, `TimeSource`), so
/// the whole orchestration runs in unit tests against an in-memory provider. What it guarantees:
/// - zones are listed once per account, and each zone's record sets once per pass even when
///   several clusters use it (later clusters see the cached listing updated with what earlier
///   clusters applied);
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
    private var recordCache: [String: Result<[RecordSet], DNSReconcileError>] = [:]

    init(mode: Mode, force: Bool, deadline: Double, time: TimeSource, logger: Logger) {
        self.mode = mode
        self.force = force
        self.deadline = deadline
        self.time = time
        self.logger = logger
    }

    /// Runs every cluster in order and reports each.
    func run(_ clusters: [ClusterSetup]) -> [ClusterReport] {
        clusters.map(run)
    }

    func run(_ cluster: ClusterSetup) -> ClusterReport {
        var log = logger
        log[metadataKey: "cluster"] = .string(cluster.name)
        let started = time.now()
        var report = ClusterReport(name: cluster.name, startedAt: started)

        reconcile(cluster, into: &report, log: log)
        report.duration = max(0, time.now() - started)
        summarize(report, log: log)
        return report
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
                desired += result.endpoints
                invalid += result.invalid
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
        var (byZone, unassigned) = ZoneFilter.assign(desired.filter { $0.hostedZoneID == nil }, to: matched)
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
        let records: [RecordSet]
        switch recordsOf(zone, cluster: cluster) {
        case .success(let listed): records = listed
        case .failure(let error):
            log.error("cannot list the record sets of \(zone.name.value): \(error)")
            report.errors.append(error)
            return
        }
        let inventory = cluster.planner.registry.inventory(of: records, in: zone)
        for owned in inventory.records {
            report.registryRecords[owned.owner.metricLabel, default: 0] += 1
        }
        let ownedCount = inventory.records.filter { $0.owner == .this }.count
        let plan = cluster.planner.plan(desired: desired, held: held, inventory: inventory)
        var zoneReport = ZoneReport(plan: plan, ownedRecords: ownedCount)
        for notice in plan.notices {
            let line = "\(notice.kind.rawValue): \(Pass.describe(notice.key)): \(notice.message)"
            switch notice.kind {
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
        guard !plan.changes.isEmpty else { return }

        let batches: [[PlannedChange]]
        do {
            batches = try cluster.batcher.batches(for: plan)
        } catch {
            log.error("cannot batch the plan for \(zone.name.value): \(error)")
            report.errors.append(error)
            report.failedChanges += plan.changes.count
            return
        }

        for (index, batch) in batches.enumerated() {
            if mode != .apply {
                let level: Logger.Level = mode == .plan ? .debug : .info
                for change in batch { log.log(level: level, "would \(Pass.describe(change))") }
                continue
            }
            if time.now() >= deadline {
                let left = batches[index...].reduce(0) { $0 + $1.count }
                log.error("deadline passed: \(left) changes in \(zone.name.value) not applied")
                report.errors.append(DNSReconcileError(.deadline, "the pass deadline passed; \(left) changes in \(zone.name.value) were not applied"))
                report.failedChanges += left
                return
            }
            let elements = Batcher.changes(in: batch)
            do {
                _ = try cluster.provider.apply(elements, in: zone, comment: "dnsreconcile \(cluster.name)")
                for change in batch {
                    report.applied[change.action, default: 0] += 1
                    log.info("\(Pass.describe(change))")
                }
                updateCache(zone: zone, cluster: cluster, with: elements)
            } catch {
                report.failedChanges += batch.count
                report.errors.append(error)
                log.error("batch of \(batch.count) changes failed: \(error)")
                for change in batch { log.error("not applied: \(Pass.describe(change))") }
            }
        }
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

    private func recordsOf(_ zone: HostedZone, cluster: ClusterSetup) -> Result<[RecordSet], DNSReconcileError> {
        let key = cluster.account + "|" + zone.id
        if let cached = recordCache[key] { return cached }
        let result: Result<[RecordSet], DNSReconcileError>
        do { result = .success(try cluster.provider.listRecordSets(in: zone, subtree: nil)) } catch { result = .failure(error) }
        recordCache[key] = result
        return result
    }

    /// Replays an applied batch on the cached listing, so the next cluster in the same zone plans
    /// against what is there now without listing the zone again.
    private func updateCache(zone: HostedZone, cluster: ClusterSetup, with changes: [Change]) {
        let key = cluster.account + "|" + zone.id
        guard case .success(var records) = recordCache[key] else { return }
        for change in changes.sorted(by: { $0.action < $1.action }) {
            records.removeAll { $0.key == change.recordSet.key }
            if change.action != .delete { records.append(change.recordSet) }
        }
        recordCache[key] = .success(records)
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
