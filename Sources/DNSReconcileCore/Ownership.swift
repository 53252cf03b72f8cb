/// Who owns a record set, as seen by one cluster's registry.
public enum Owner: Hashable, Sendable {
    /// Its companion says this cluster's owner id.
    case this
    /// Its companion names another owner id.
    case other(String)
    /// No companion at all: written by hand or by another tool. Never touched.
    case none

    public var metricLabel: String {
        switch self {
        case .this: "self"
        case .other: "other"
        case .none: "none"
        }
    }
}

/// A record set of a zone with the ownership the registry found for it.
public struct OwnedRecordSet: Hashable, Sendable {
    public var record: RecordSet
    public var owner: Owner
    /// Labels of the companion (`owner`, `resource`, ...), without the heritage.
    public var labels: [String: String]
    /// The companion TXT record sets exactly as observed (typed, legacy, `cname-` alias variants),
    /// so they can be deleted with the record byte for byte, never regenerated.
    public var companions: [RecordSet]

    public init(record: RecordSet, owner: Owner, labels: [String: String] = [:], companions: [RecordSet] = []) {
        self.record = record
        self.owner = owner
        self.labels = labels
        self.companions = companions
    }
}

/// A zone's record sets split by the registry.
public struct ZoneInventory: Sendable {
    public var zone: HostedZone
    /// Every record set that is not an ownership TXT, with its owner.
    public var records: [OwnedRecordSet]
    /// Every TXT whose value parsed as an ownership record (any owner).
    public var registryTXTs: [RecordSet]

    public init(zone: HostedZone, records: [OwnedRecordSet], registryTXTs: [RecordSet]) {
        self.zone = zone
        self.records = records
        self.registryTXTs = registryTXTs
    }
}

/// Ownership bookkeeping: reads companions out of a zone and writes them for new record sets.
public protocol Registry {
    /// Splits a zone's record sets by ownership.
    func inventory(of recordSets: [RecordSet], in zone: HostedZone) -> ZoneInventory

    /// The companion TXT record set to write together with `record` (nil: this registry writes
    /// none, as `noop`). `existing` is the current owned record set when there is one: its
    /// observed companion is reused (same nonce under encryption) so an unchanged record set
    /// produces an unchanged companion.
    ///
    /// Throws `.registry` when no companion can be written (a label over 63 bytes, a name outside
    /// the zone, a TXT of that name held by another owner): the record set is then not written.
    func companion(for record: RecordSet, resource: String?, existing: OwnedRecordSet?,
                   inventory: ZoneInventory) throws(DNSReconcileError) -> RecordSet?
}
