/// The ExternalDNS-compatible TXT ownership registry (ExternalDNS v0.22 `registry/txt`).
///
/// Every record set this cluster writes gets a companion TXT record set holding
/// `"heritage=external-dns,external-dns/owner=<owner-id>[,external-dns/resource=<kind>/<ns>/<name>]"`
/// (optionally AES-256-GCM encrypted), named by `TXTNameMapper`. Reading understands every
/// format ExternalDNS ever wrote, so both tools can share a zone and users can move either way.
///
/// Where ExternalDNS would write a record without its companion (label too long, name outside
/// the zone, the TXT name already held by another owner), `companion` throws instead, so the
/// record is not written either.
public struct TXTRegistry: Registry, Sendable {
    public let ownerID: String
    /// Record types this cluster manages; `isCurrentCompanionMissing` only asks for a rewrite
    /// of these, as ExternalDNS's forced migration.
    public let managedTypes: Set<RecordType>
    let mapper: TXTNameMapper
    private let cipher: TXTCipher?
    private let keyIsInvalid: Bool
    private let nonceSource: @Sendable () -> [UInt8]

    /// Route53 accepts at most 255 characters in one TXT string.
    static let maximumValueLength = 255
    /// ExternalDNS writes companions without a TTL, which Route53 stores as 300.
    static let companionTTL = 300

    /// - Parameters:
    ///   - encryptionKey: 32 bytes from `TXTEncryptionKey.parse`; nil writes plain values.
    ///   - nonceSource: 12 random bytes per call; injectable so tests are deterministic.
    public init(ownerID: String, prefix: String = "", suffix: String = "", wildcardReplacement: String = "",
                encryptionKey: [UInt8]? = nil, managedTypes: Set<RecordType>,
                nonceSource: @escaping @Sendable () -> [UInt8] = TXTRegistry.randomNonce) {
        self.ownerID = ownerID
        self.managedTypes = managedTypes
        self.mapper = TXTNameMapper(prefix: prefix, suffix: suffix, wildcardReplacement: wildcardReplacement)
        self.cipher = encryptionKey.flatMap { TXTCipher(key: $0) }
        self.keyIsInvalid = encryptionKey != nil && cipher == nil
        self.nonceSource = nonceSource
    }

    /// True when companions are written as plain text: a companion then follows from its record
    /// set and labels alone (an encrypted one carries a nonce).
    var writesPlainValues: Bool { cipher == nil && !keyIsInvalid }

    /// 12 bytes from the system's cryptographic generator.
    public static func randomNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<TXTCipher.nonceSize).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    // MARK: Reading

    /// Splits a zone as ExternalDNS's `TXTRegistry.Records` does.
    ///
    /// A TXT whose first value parses (decrypted first when a key is set; a value that does not
    /// decrypt is parsed as plain text, so mixed zones work) is a registry TXT: it leaves the
    /// record list even when its name maps to nothing. Every other record set, TXTs included,
    /// takes its labels from the companion found first among: the typed name; for an A alias
    /// the legacy `cname-` name (ExternalDNS ≤ v0.21); unless AAAA, the legacy untyped name.
    /// No companion means `.none`: the record set is never touched.
    ///
    /// `companions` lists every observed registry TXT that stands for the record set (typed,
    /// `cname-` and untyped variants), so deleting the record can delete them as they are. A
    /// TXT that stands for several record sets (a legacy untyped TXT shared by the A and MX of
    /// one name) is listed for none of them while more than one exists: deleting one of them must
    /// not strip the others of their ownership.
    public func inventory(of recordSets: [RecordSet], in zone: HostedZone) -> ZoneInventory {
        let (records, registryTXTs) = owners(of: recordSets, in: zone)
        return ZoneInventory(zone: zone, records: records, registryTXTs: registryTXTs)
    }

    public func owners(of recordSets: [RecordSet], in zone: HostedZone)
        -> (records: [OwnedRecordSet], registryTXTs: [RecordSet]) {
        var registryTXTs: [RecordSet] = []
        var others: [RecordSet] = []
        // The registry TXTs filed under an ownership key, with the text their labels come from;
        // per key the position of the last one, each chained to the one before (no array and no
        // label dictionary per key: a large zone has 50,000 keys).
        var filed: [(record: RecordSet, labelText: String, previous: Int32)] = []
        var lastFiled: [OwnershipKey: Int32] = [:]
        // One key per TXT at most: a zone shared with other owners is mostly their records.
        lastFiled.reserveCapacity(recordSets.count { $0.type == .txt })
        for recordSet in recordSets {
            guard recordSet.type == .txt, let labelText = registryLabelText(of: recordSet) else {
                others.append(recordSet)
                continue
            }
            registryTXTs.append(recordSet)
            guard let (name, type) = mapper.endpoint(forTXTName: recordSet.name.value), !name.isEmpty else { continue }
            let key = OwnershipKey(name: name, type: type?.rawValue ?? "", setIdentifier: recordSet.setIdentifier)
            let previous = lastFiled.updateValue(Int32(filed.count), forKey: key) ?? -1
            filed.append((recordSet, labelText, previous))
        }

        /// The TXTs filed under the key whose last one is at `last`, in listing order.
        func filedRecords(from last: Int32) -> [RecordSet] {
            var result: [RecordSet] = []
            var position = last
            while position >= 0 {
                result.append(filed[Int(position)].record)
                position = filed[Int(position)].previous
            }
            return result.reversed()
        }

        // Per record set, where each of its lookup keys has TXTs filed (the position of the last
        // one: one position per key), worked out once; and how many record sets look up each.
        let slots = 3
        var hits: [Int32] = []
        hits.reserveCapacity(others.count * slots)
        var references = [Int32](repeating: 0, count: filed.count)
        for recordSet in others {
            let keys = lookupKeys(for: recordSet)
            for slot in 0..<slots {
                guard slot < keys.count, let last = lastFiled[keys[slot]] else {
                    hits.append(-1)
                    continue
                }
                hits.append(last)
                // The keys of one record set differ in type, so each counts once.
                references[Int(last)] += 1
            }
        }

        var records: [OwnedRecordSet] = []
        records.reserveCapacity(others.count)
        for (index, recordSet) in others.enumerated() {
            let found = hits[(index * slots)..<(index * slots + slots)]
            var companions: [RecordSet] = []
            for last in found where last >= 0 && references[Int(last)] == 1 {
                companions += filedRecords(from: last)
            }
            // ExternalDNS keeps the last TXT seen for a key.
            guard let first = found.first(where: { $0 >= 0 }) else {
                records.append(OwnedRecordSet(record: recordSet, owner: .none, companions: companions))
                continue
            }
            let labelText = filed[Int(first)].labelText
            let owner = TXTLabels.label(TXTLabels.ownerKey, in: labelText) ?? ""
            records.append(OwnedRecordSet(record: recordSet, owner: owner == ownerID ? .this : .other(owner),
                                          labelText: labelText, companions: companions))
        }
        return (records, registryTXTs)
    }

    /// True for a record set this cluster owns, of a managed type, whose current-format companion
    /// is not among the TXTs observed (owned through a legacy or `cname-` TXT only). ExternalDNS
    /// then forces an update that writes the current companion; the legacy one stays.
    public func isCurrentCompanionMissing(_ owned: OwnedRecordSet) -> Bool {
        guard owned.owner == .this, managedTypes.contains(owned.record.type) else { return false }
        let expected = companionName(for: owned.record)
        return !owned.companions.contains { $0.name == expected && $0.setIdentifier == owned.record.setIdentifier }
    }

    /// The labels of a TXT record set when its first value is an ExternalDNS value.
    func registryLabels(of recordSet: RecordSet) -> [String: String]? {
        registryLabelText(of: recordSet).flatMap(TXTLabels.parse)
    }

    /// The text a registry TXT's labels are read from (its first value, decrypted when it
    /// decrypts), or nil when that is not an ExternalDNS value.
    func registryLabelText(of recordSet: RecordSet) -> String? {
        guard let value = recordSet.values.first else { return nil }
        if let cipher, let (plaintext, _) = cipher.decrypt(value) {
            // A value that decrypts is judged by its plaintext alone, as ExternalDNS does.
            return TXTLabels.isRegistryValue(plaintext) ? plaintext : nil
        }
        return TXTLabels.isRegistryValue(value) ? value : nil
    }

    /// The keys under which a record set's companion may be filed, in lookup order.
    private func lookupKeys(for recordSet: RecordSet) -> [OwnershipKey] {
        var name = recordSet.name.value
        if !mapper.wildcardReplacement.isEmpty, name == "*" || name.hasPrefix("*.") {
            name = mapper.wildcardReplacement + name.dropFirst()
        }
        let setIdentifier = recordSet.setIdentifier
        var keys = [OwnershipKey(name: name, type: recordSet.type.rawValue, setIdentifier: setIdentifier)]
        if recordSet.type == .a, recordSet.alias != nil {
            keys.append(OwnershipKey(name: name, type: RecordType.cname.rawValue, setIdentifier: setIdentifier))
        }
        if recordSet.type != .aaaa {
            keys.append(OwnershipKey(name: name, type: "", setIdentifier: setIdentifier))
        }
        return keys
    }

    // MARK: Writing

    /// The current-format companion of `record`, as ExternalDNS's `generateTXTRecord` builds it:
    /// the typed name, the record's set identifier, routing policy and health check (Route53
    /// checks routing consistency per name and type, and a failover PRIMARY needs a health
    /// check), TTL 300, and the labels `owner` and `resource` (when given).
    ///
    /// Under encryption, an observed companion of that name whose plaintext is exactly the one
    /// to write is reused value and all, so an unchanged record set yields a byte-identical
    /// companion even when Go's gzip and zlib disagree. Any other plaintext gets a fresh nonce:
    /// sealing a different plaintext under a used GCM nonce would leak both plaintexts and the
    /// authentication key.
    ///
    /// The result may already exist in `inventory.registryTXTs` (a companion of ours without its
    /// record, or one to rewrite): write it with UPSERT in that case.
    public func companion(for record: RecordSet, resource: String?, existing: OwnedRecordSet?,
                          inventory: ZoneInventory) throws(DNSReconcileError) -> RecordSet? {
        guard !ownerID.isEmpty else {
            throw DNSReconcileError(.registry, "the TXT registry needs a non-empty owner-id")
        }
        if keyIsInvalid {
            throw DNSReconcileError(.registry, "the TXT encryption key must be 32 bytes, raw or standard base64")
        }
        let name = companionName(for: record)
        try checkName(name, for: record, zone: inventory.zone)

        var labels: [String: String] {
            var labels = [TXTLabels.ownerKey: ownerID]
            if let resource { labels[TXTLabels.resourceKey] = resource }
            return labels
        }
        let plaintext = companionPlaintext(resource: resource)
        let quoted = "\"" + plaintext + "\""
        // A plain TXT there with exactly this value is ours without parsing it (the no-op case).
        try checkNotHeldByOthers(name, for: record, inventory: inventory, ownValue: cipher == nil ? quoted : nil)

        let value: String
        if let cipher {
            let observed = (existing?.companions ?? []) + inventory.registryTXTs(named: name)
            let reusable = observed.first { candidate in
                candidate.type == .txt && candidate.name == name && candidate.setIdentifier == record.setIdentifier
                    && candidate.values.first.flatMap { cipher.decrypt($0) }?.plaintext == plaintext
            }
            if let reusable, let stored = reusable.values.first {
                value = stored
            } else {
                guard let sealed = cipher.encrypt(plaintext, nonce: nonceSource()) else {
                    throw DNSReconcileError(.internal, "could not encrypt the ownership TXT for \(record.key)")
                }
                value = "\"" + sealed + "\""
            }
            try checkLength(TXTLabels.stripQuotes(value).count, encrypted: true, labels: labels,
                            for: record, name: name)
        } else {
            try checkLength(plaintext.utf8.count, encrypted: false, labels: labels, for: record, name: name)
            value = quoted
        }

        return RecordSet(name: name, type: .txt, setIdentifier: record.setIdentifier, routing: record.routing,
                         ttl: Self.companionTTL, values: [value], healthCheckID: record.healthCheckID)
    }

    /// The labels this owner writes, as text: `TXTLabels.serialize(labels, quoted: false)`
    /// written out (`owner` sorts before `resource`; every companion of a plan is built, so the
    /// dictionary was worth avoiding).
    func companionPlaintext(resource: String?) -> String {
        var plaintext = "heritage=" + TXTLabels.heritage + "," + TXTLabels.heritage + "/" + TXTLabels.ownerKey + "=" + ownerID
        if let resource { plaintext += "," + TXTLabels.heritage + "/" + TXTLabels.resourceKey + "=" + resource }
        return plaintext
    }

    /// The typed name of every type that may stand for `type` (an A alias also has a legacy
    /// `cname-` TXT), and the legacy untyped name (ExternalDNS never wrote one for AAAA), as
    /// `inventory` looks them up.
    public func companionNames(for name: DNSName, type: RecordType) -> [DNSName] {
        var names = [DNSName(canonical: mapper.txtName(for: name.value, type: type))]
        if type == .a { names.append(DNSName(canonical: mapper.txtName(for: name.value, type: .cname))) }
        if type != .aaaa { names.append(DNSName(canonical: mapper.legacyTXTName(for: name.value))) }
        return names
    }

    /// The current-format companion name of a record set.
    func companionName(for record: RecordSet) -> DNSName {
        DNSName(canonical: mapper.txtName(for: record.name.value, type: record.type))
    }

    private func checkName(_ name: DNSName, for record: RecordSet, zone: HostedZone) throws(DNSReconcileError) {
        if name.value.utf8.count > 63, let long = name.labels.first(where: { $0.utf8.count > 63 }) {
            throw DNSReconcileError(
                .registry,
                "the ownership TXT name for \(record.key) has a label of \(long.utf8.count) bytes (at most 63): "
                    + "'\(long)'; shorten the record name or the txt-prefix/txt-suffix",
                cause: name.fqdn)
        }
        if name.value.utf8.count > 253 {
            throw DNSReconcileError(
                .registry,
                "the ownership TXT name for \(record.key) is \(name.value.utf8.count) characters long (at most 253); "
                    + "shorten the record name or the txt-prefix/txt-suffix",
                cause: name.fqdn)
        }
        guard name.isWithin(zone.name) else {
            let hint = record.name == zone.name
                ? "the record is the zone apex: use a txt-prefix that carries the type and ends in a dot, e.g. `txt-prefix = txt-%{record_type}.`"
                : "change the txt-prefix/txt-suffix so that the TXT name stays inside the zone"
            throw DNSReconcileError(
                .registry, "the ownership TXT \(name.fqdn) for \(record.key) is outside the zone \(zone.name.fqdn); \(hint)")
        }
    }

    /// Refuses a companion name taken by another owner's registry TXT (ExternalDNS #6617 writes
    /// the record unowned in that case), by a TXT that is not a registry TXT of ours (Route53
    /// keeps one TXT set per name), or by a CNAME (which allows nothing beside it).
    private func checkNotHeldByOthers(_ name: DNSName, for record: RecordSet, inventory: ZoneInventory,
                                      ownValue: String?) throws(DNSReconcileError) {
        for txt in inventory.registryTXTs(named: name) where txt.setIdentifier == record.setIdentifier {
            if let ownValue, txt.values.first == ownValue { continue }
            let owner = registryLabels(of: txt)?[TXTLabels.ownerKey] ?? ""
            if owner != ownerID {
                throw DNSReconcileError(
                    .registry,
                    "the ownership TXT \(name.fqdn) for \(record.key) already exists and belongs to owner '\(owner)'; "
                        + "the record is left alone")
            }
        }
        for other in inventory.records(named: name) {
            if other.record.type == .txt, other.record.setIdentifier == record.setIdentifier {
                throw DNSReconcileError(
                    .registry,
                    "a TXT record that is not an ownership record of this cluster already exists at \(name.fqdn) "
                        + "(another tool's, or encrypted with another key); the record \(record.key) is left alone")
            }
            if other.record.type == .cname {
                throw DNSReconcileError(
                    .registry,
                    "a CNAME already exists at \(name.fqdn), where the ownership TXT for \(record.key) must go; "
                        + "the record is left alone")
            }
        }
    }

    private func checkLength(_ length: Int, encrypted: Bool, labels: @autoclosure () -> [String: String],
                             for record: RecordSet, name: DNSName) throws(DNSReconcileError) {
        guard length > Self.maximumValueLength else { return }
        let longest = labels().max { $0.value.utf8.count < $1.value.utf8.count }
        let culprit = longest.map { " (label `\($0.key)` is \($0.value.utf8.count) characters)" } ?? ""
        throw DNSReconcileError(
            .registry,
            "the \(encrypted ? "encrypted " : "")ownership TXT value for \(record.key) is \(length) characters, "
                + "over Route53's \(Self.maximumValueLength)-character TXT string limit\(culprit); shorten the owner-id or the resource name",
            cause: name.fqdn)
    }
}

/// Where a companion is filed: the record name (wildcard replaced), the type (`""` for legacy
/// untyped TXTs) and the set identifier.
private struct OwnershipKey: Hashable {
    var name: String
    var type: String
    var setIdentifier: String?

    /// Without the set identifier (see `RecordKey.hash(into:)`).
    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(type)
    }
}
