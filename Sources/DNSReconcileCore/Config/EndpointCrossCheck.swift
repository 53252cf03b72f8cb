/// The checks between the static endpoints of a cluster file: each record set declared once, a
/// CNAME alone at its name, every record type managed.
///
/// Endpoints are found again by their position, in hash tables of positions rather than in
/// dictionaries keyed by their record keys and names, which for 50,000 endpoints held copies
/// of every key in tables several times their size.
enum EndpointCrossCheck {
    static func errors(in endpoints: [Endpoint], managedTypes: [RecordType]) -> [DNSReconcileError] {
        var errors: [DNSReconcileError] = []
        var keys = PositionTable(capacity: endpoints.count)
        var names = PositionTable(capacity: endpoints.count)
        // By the position of the first endpoint of a name: the first endpoint of that name of a
        // type other than CNAME, and the first plain (non-alias) CNAME, which are the ones a
        // clash is reported against; -1: none yet.
        var firstOtherThanCNAME = [Int32](repeating: -1, count: endpoints.count)
        var firstPlainCNAME = [Int32](repeating: -1, count: endpoints.count)
        func label(_ endpoint: Endpoint) -> String {
            endpoint.resource.map { "[endpoint \"\($0.split(separator: "/").last ?? "")\"]" } ?? "[endpoint]"
        }
        for (position, endpoint) in endpoints.enumerated() {
            let name = endpoint.name
            // The record key's hash from the name's, which is hashed once.
            let nameHash = name.hashValue
            var keyHasher = Hasher()
            keyHasher.combine(nameHash)
            keyHasher.combine(endpoint.type)
            keyHasher.combine(endpoint.setIdentifier)
            let key = endpoint.key
            if let first = keys.insert(position, hash: keyHasher.finalize(), matching: { endpoints[$0].key == key }) {
                errors.append(DNSReconcileError(
                    .configConflict,
                    "\(label(endpoint)) declares \(endpoint.key) again (first at \(endpoints[first].origin?.description ?? "?")); "
                        + "merge them or give each a different set-identifier",
                    location: endpoint.origin))
                continue
            }
            let slot = names.insert(position, hash: nameHash) { endpoints[$0].name == name } ?? position
            // ExternalDNS turns an alias CNAME into A and AAAA aliases, so it may share its name.
            // A plain CNAME clashes with the first earlier endpoint of another type; any other
            // endpoint with the first earlier plain CNAME, unless it is a CNAME itself.
            let isPlainCNAME = endpoint.type == .cname && endpoint.alias == nil
            let clash = isPlainCNAME ? firstOtherThanCNAME[slot] : (endpoint.type == .cname ? -1 : firstPlainCNAME[slot])
            if clash >= 0 {
                let other = endpoints[Int(clash)]
                errors.append(DNSReconcileError(
                    .configConflict,
                    "\(label(endpoint)): a CNAME cannot share its name \(endpoint.name.fqdn) with other records "
                        + "(\(other.type) at \(other.origin?.description ?? "?")); use A/AAAA targets or another name",
                    location: endpoint.origin))
            }
            if endpoint.type != .cname, firstOtherThanCNAME[slot] < 0 { firstOtherThanCNAME[slot] = Int32(position) }
            if isPlainCNAME, firstPlainCNAME[slot] < 0 { firstPlainCNAME[slot] = Int32(position) }

            func requireManaged(_ type: RecordType) {
                guard !managedTypes.contains(type) else { return }
                errors.append(DNSReconcileError(
                    .configConflict,
                    "\(label(endpoint)) is a \(type) record but [registry] managed-record-types does not include \(type); add it there",
                    location: endpoint.origin))
            }
            if endpoint.alias != nil && endpoint.type == .cname {
                requireManaged(.a)
                requireManaged(.aaaa)
            } else {
                requireManaged(endpoint.type)
            }
        }
        return errors
    }

    /// An open-addressing hash set of positions in an array; the caller hashes and compares
    /// the elements. Each slot keeps 32 bits of the hash, so that elements are compared only
    /// when those match.
    private struct PositionTable {
        /// Per slot: the hash's low 32 bits, then position + 1; 0: empty.
        private var slots: [UInt64]

        init(capacity: Int) {
            var size = 16
            while size < capacity * 2 { size *= 2 }
            slots = [UInt64](repeating: 0, count: size)
        }

        /// The position already in the table whose element matches, else nil after adding `position`.
        mutating func insert(_ position: Int, hash: Int, matching: (Int) -> Bool) -> Int? {
            let mask = slots.count - 1
            let fingerprint = UInt64(UInt32(truncatingIfNeeded: hash)) << 32
            var slot = hash & mask
            while slots[slot] != 0 {
                let other = slots[slot]
                if other & 0xFFFF_FFFF_0000_0000 == fingerprint, matching(Int(other & 0xFFFF_FFFF) - 1) {
                    return Int(other & 0xFFFF_FFFF) - 1
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = fingerprint | UInt64(position + 1)
            return nil
        }
    }
}
