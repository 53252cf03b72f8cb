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
    public var labels: [String: String] {
        get {
            switch labelSource {
            case .parsed(let labels): labels
            case .text(let text): TXTLabels.parse(text) ?? [:]
            }
        }
        set { labelSource = .parsed(newValue) }
    }
    /// The companion TXT record sets exactly as observed (typed, legacy, `cname-` alias variants),
    /// so they can be deleted with the record byte for byte, never regenerated.
    public var companions: [RecordSet]

    /// The labels, or the companion text they are parsed from when asked: a zone's inventory
    /// holds one per owned record set and a plan reads few of them, so the text (which the TXT
    /// record set holds anyway) is kept instead of a dictionary each.
    private var labelSource: LabelSource

    private enum LabelSource: Sendable {
        case parsed([String: String])
        case text(String)
    }

    public init(record: RecordSet, owner: Owner, labels: [String: String] = [:], companions: [RecordSet] = []) {
        self.record = record
        self.owner = owner
        self.labelSource = .parsed(labels)
        self.companions = companions
    }

    /// With the labels of `labelText`, a registry TXT value (`TXTLabels.parse`), read when asked.
    init(record: RecordSet, owner: Owner, labelText: String, companions: [RecordSet]) {
        self.record = record
        self.owner = owner
        self.labelSource = .text(labelText)
        self.companions = companions
    }

    public static func == (lhs: OwnedRecordSet, rhs: OwnedRecordSet) -> Bool {
        lhs.record == rhs.record && lhs.owner == rhs.owner && lhs.companions == rhs.companions && lhs.labels == rhs.labels
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(record)
        hasher.combine(owner)
        hasher.combine(labels)
        hasher.combine(companions)
    }
}

/// A zone's record sets split by the registry.
public struct ZoneInventory: Sendable {
    public var zone: HostedZone
    /// Every record set that is not an ownership TXT, with its owner.
    public var records: [OwnedRecordSet] { didSet { recordIndex = NameIndex(records) { $0.record.name } } }
    /// Every TXT whose value parsed as an ownership record (any owner).
    public var registryTXTs: [RecordSet] { didSet { txtIndex = NameIndex(registryTXTs) { $0.name } } }

    /// Positions by name, so that the planner and the registry look a name up instead of
    /// scanning the zone (once per desired record set, that scan made a plan quadratic).
    private var recordIndex: NameIndex
    private var txtIndex: NameIndex

    public init(zone: HostedZone, records: [OwnedRecordSet], registryTXTs: [RecordSet]) {
        self.zone = zone
        self.records = records
        self.registryTXTs = registryTXTs
        recordIndex = NameIndex(records) { $0.record.name }
        txtIndex = NameIndex(registryTXTs) { $0.name }
    }

    /// The record sets named `name`, in inventory order.
    public func records(named name: DNSName) -> LazyMapSequence<NameIndex.Positions, OwnedRecordSet> {
        recordIndex.positions(of: name).lazy.map { [records] in records[$0] }
    }

    /// The ownership TXTs named `name`, in inventory order.
    public func registryTXTs(named name: DNSName) -> LazyMapSequence<NameIndex.Positions, RecordSet> {
        txtIndex.positions(of: name).lazy.map { [registryTXTs] in registryTXTs[$0] }
    }
}

/// Positions of names in an array: the first position per name, and a chain to the next one
/// with the same name (4 bytes per element instead of an array per name).
public struct NameIndex: Sendable {
    private var first: [DNSName: Int32] = [:]
    private var next: [Int32] = []

    init(_ names: [DNSName]) {
        self.init(names) { $0 }
    }

    /// Indexes `name(element)` of each element, borrowing the elements (a lazy map would copy
    /// every record set it passes).
    init<Element>(_ elements: [Element], name: (borrowing Element) -> DNSName) {
        next = Array(repeating: -1, count: elements.count)
        first.reserveCapacity(elements.count)
        for position in elements.indices {
            let name = name(elements[position])
            let here = Int32(position)
            guard var tail = first[name] else {
                first[name] = here
                continue
            }
            // A name holds a handful of sets at most (types, set identifiers): walk to the end.
            while next[Int(tail)] >= 0 { tail = next[Int(tail)] }
            next[Int(tail)] = here
        }
    }

    func positions(of name: DNSName) -> Positions {
        Positions(next: next, start: first[name] ?? -1)
    }

    /// The positions of one name, walked without building an array.
    public struct Positions: Sequence, IteratorProtocol, Sendable {
        let chain: [Int32]
        var position: Int32

        init(next: [Int32], start: Int32) {
            self.chain = next
            self.position = start
        }

        public mutating func next() -> Int? {
            guard position >= 0 else { return nil }
            defer { position = chain[Int(position)] }
            return Int(position)
        }
    }
}

/// Ownership bookkeeping: reads companions out of a zone and writes them for new record sets.
public protocol Registry {
    /// Splits a zone's record sets by ownership.
    func inventory(of recordSets: [RecordSet], in zone: HostedZone) -> ZoneInventory

    /// `inventory(of:in:)` without its index by name, for a caller that keeps only part of it
    /// (`NamesInPlay`): the record sets with their owners, and the ownership TXTs. Default: the
    /// inventory's.
    func owners(of recordSets: [RecordSet], in zone: HostedZone) -> (records: [OwnedRecordSet], registryTXTs: [RecordSet])

    /// The companion TXT record set to write together with `record` (nil: this registry writes
    /// none, as `noop`). `existing` is the current owned record set when there is one: its
    /// observed companion is reused (same nonce under encryption) so an unchanged record set
    /// produces an unchanged companion.
    ///
    /// Throws `.registry` when no companion can be written (a label over 63 bytes, a name outside
    /// the zone, a TXT of that name held by another owner): the record set is then not written.
    func companion(for record: RecordSet, resource: String?, existing: OwnedRecordSet?,
                   inventory: ZoneInventory) throws(DNSReconcileError) -> RecordSet?

    /// Every name where this registry writes or reads an ownership record for record sets of
    /// `type` named `name` (all naming schemes it understands), so that a listing narrowed to a
    /// subtree can also read those that fall outside it. Default: none.
    func companionNames(for name: DNSName, type: RecordType) -> [DNSName]

    /// The owner id this registry writes, so a conflict can name both owners; nil when it writes
    /// none. Default: nil.
    var ownerName: String? { get }
}

extension Registry {
    public func owners(of recordSets: [RecordSet], in zone: HostedZone)
        -> (records: [OwnedRecordSet], registryTXTs: [RecordSet]) {
        let inventory = inventory(of: recordSets, in: zone)
        return (inventory.records, inventory.registryTXTs)
    }

    public func companionNames(for name: DNSName, type: RecordType) -> [DNSName] { [] }
    public var ownerName: String? { nil }
}
