import DNSReconcileCore

/// A Route53 stand-in that keeps zones in memory and records every call, for pass tests.
final class InMemoryProvider: DNSProvider {
    var zones: [HostedZone]
    var records: [String: [RecordSet]]
    var tags: [String: [String: String]] = [:]
    /// Zone ids whose next `apply` fails with this error.
    var failApply: [String: DNSReconcileError] = [:]
    var failListZones: DNSReconcileError?
    /// Zone ids whose listing fails with this error (a malformed or truncated answer).
    var failListRecords: [String: DNSReconcileError] = [:]
    /// Called before each apply (tests move a manual clock here).
    var onApply: (() -> Void)?
    /// A batch touching any of these names is rejected whole, as Route53 does with one bad
    /// change: `InvalidChangeBatch` naming the bad record sets.
    var rejectNames: Set<DNSName> = []
    /// Every batch sent, rejected ones included.
    private(set) var attempts: [[Change]] = []

    private(set) var listZonesCalls = 0
    private(set) var listRecordSetsCalls: [String] = []
    /// The `subtree` argument of each listRecordSets call (nil: the whole zone).
    private(set) var listedSubtrees: [DNSName?] = []
    private(set) var zoneTagCalls = 0
    private(set) var applied: [(zone: String, changes: [Change])] = []

    init(zones: [HostedZone], records: [String: [RecordSet]] = [:]) {
        self.zones = zones
        self.records = records
    }

    func listZones() throws(DNSReconcileError) -> [HostedZone] {
        listZonesCalls += 1
        if let failListZones { throw failListZones }
        return zones
    }

    func listRecordSets(in zone: HostedZone, subtree: DNSName?) throws(DNSReconcileError) -> [RecordSet] {
        listRecordSetsCalls.append(zone.id)
        listedSubtrees.append(subtree)
        if let error = failListRecords[zone.id] { throw error }
        let all = records[zone.id] ?? []
        guard let subtree else { return all }
        return all.filter { $0.name.isWithin(subtree) }
    }

    /// With `pageSize`, listings are handed over in pages of that many sets, in listing order,
    /// as Route53 pages them; without it, as one page.
    var pageSize: Int?

    func listRecordSets(in zone: HostedZone, subtree: DNSName?,
                        pages take: ([RecordSet]) throws(DNSReconcileError) -> Void) throws(DNSReconcileError) {
        let all = try listRecordSets(in: zone, subtree: subtree)
        guard let pageSize else { return try take(all) }
        let sorted = RecordKey.listingOrder(of: all.map(\.key)).map { all[$0] }
        var start = 0
        while start < sorted.count {
            try take(Array(sorted[start..<min(start + pageSize, sorted.count)]))
            start += pageSize
        }
    }

    func zoneTags(_ zoneIDs: [String]) throws(DNSReconcileError) -> [String: [String: String]] {
        zoneTagCalls += 1
        return tags.filter { zoneIDs.contains($0.key) }
    }

    func apply(_ changes: [Change], in zone: HostedZone, comment: String?) throws(DNSReconcileError) -> ChangeInfo {
        onApply?()
        attempts.append(changes)
        if let error = failApply[zone.id] { throw error }
        let bad = changes.filter { rejectNames.contains($0.recordSet.name) }
        if !bad.isEmpty {
            var error = DNSReconcileError(.invalidChangeBatch, "Route53 rejected the batch", cause: "InvalidChangeBatch")
            error.details = bad.map { "RRSet with DNS name \($0.recordSet.name.fqdn) is not permitted in zone \(zone.name.fqdn)" }
            throw error
        }
        var sets = records[zone.id] ?? []
        for change in changes {
            switch change.action {
            case .create:
                if sets.contains(where: { $0.key == change.recordSet.key }) {
                    throw DNSReconcileError(.invalidChangeBatch, "Tried to create \(change.recordSet.key) but it already exists")
                }
                sets.append(change.recordSet)
            case .upsert:
                sets.removeAll { $0.key == change.recordSet.key }
                sets.append(change.recordSet)
            case .delete:
                guard sets.contains(change.recordSet) else {
                    throw DNSReconcileError(.invalidChangeBatch, "Tried to delete \(change.recordSet.key) but it was not found")
                }
                sets.removeAll { $0 == change.recordSet }
            }
        }
        records[zone.id] = sets
        applied.append((zone.id, changes))
        return ChangeInfo(id: "C\(applied.count)", status: "INSYNC")
    }

    var changeCalls: Int { applied.count }
}

/// A source that returns a fixed result or fails.
final class FixedSource: EndpointSource {
    let kind = "endpoint"
    var result: SourceResult
    var error: DNSReconcileError?

    init(_ endpoints: [Endpoint], invalid: [InvalidEndpoint] = [], error: DNSReconcileError? = nil) {
        result = SourceResult(endpoints: endpoints, invalid: invalid)
        self.error = error
    }

    func endpoints() throws(DNSReconcileError) -> SourceResult {
        if let error { throw error }
        return result
    }
}
