/// The `noop` registry: no ownership bookkeeping at all (ExternalDNS `--registry=noop`).
///
/// Every record set in the zone counts as owned by this cluster and no companion TXT is ever
/// written or read, so the planner may update or delete ANY record set that matches the
/// cluster's filters and managed types, including records written by hand, by other tools or by
/// other clusters. Use it only for a zone (or a domain filter) that this cluster alone writes;
/// in a shared zone it is dangerous, and `sync` will delete what it does not desire.
public struct NoopRegistry: Registry, Sendable {
    public init() {}

    public func inventory(of recordSets: [RecordSet], in zone: HostedZone) -> ZoneInventory {
        ZoneInventory(zone: zone, records: recordSets.map { OwnedRecordSet(record: $0, owner: .this) }, registryTXTs: [])
    }

    /// Always nil: noop writes no companions.
    public func companion(for record: RecordSet, resource: String?, existing: OwnedRecordSet?,
                          inventory: ZoneInventory) throws(DNSReconcileError) -> RecordSet? {
        nil
    }
}
