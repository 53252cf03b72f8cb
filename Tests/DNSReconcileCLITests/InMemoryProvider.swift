import DNSReconcileCore

/// A Route53 stand-in that keeps zones in memory and records every call, for pass tests.
final class InMemoryProvider: DNSProvider {
    var zones: [HostedZone]
    var records: [String: [RecordSet]]
    var tags: [String: [String: String]] = [:]
    /// Zone ids whose next `apply` fails with this error.
    var failApply: [String: DNSReconcileError] = [:]
    var failListZones: DNSReconcileError?
    /// Called before each apply (tests move a manual clock here).
    var onApply: (() -> Void)?

    private(set) var listZonesCalls = 0
    private(set) var listRecordSetsCalls: [String] = []
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
        return records[zone.id] ?? []
    }

    func zoneTags(_ zoneIDs: [String]) throws(DNSReconcileError) -> [String: [String: String]] {
        zoneTagCalls += 1
        return tags.filter { zoneIDs.contains($0.key) }
    }

    func apply(_ changes: [Change], in zone: HostedZone, comment: String?) throws(DNSReconcileError) -> ChangeInfo {
        onApply?()
        if let error = failApply[zone.id] { throw error }
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
