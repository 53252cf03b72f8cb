/// Comparing record sets the way Route53 stores them, so an unchanged zone plans no change.
extension RecordSet {
    /// The values in a form where spellings Route53 treats as one compare equal: IPv6 addresses
    /// normalised, host names canonical (case, trailing dot, escapes). TXT data keeps its case.
    var comparableValues: Set<String> {
        Set(values.map { RecordSet.comparable($0, type: type) })
    }

    static func comparable(_ value: String, type: RecordType) -> String {
        switch type {
        case .aaaa: IPAddress.normalisedIPv6(value) ?? value.lowercased()
        case .a: value
        case .cname, .ns, .ptr: DNSName(value).value
        default: value
        }
    }

    /// True when Route53 would hold the same data for both: everything but the TTL compared,
    /// the TTL only when `compareTTL` (an unset desired TTL never causes an update).
    func sameContent(as other: RecordSet, compareTTL: Bool) -> Bool {
        guard name == other.name, type == other.type, setIdentifier == other.setIdentifier,
              routing.sameRouting(as: other.routing), sameHealthCheck(as: other) else { return false }
        switch (alias, other.alias) {
        case let (lhs?, rhs?):
            return lhs.hostedZoneID.uppercased() == rhs.hostedZoneID.uppercased()
                && lhs.dnsName == rhs.dnsName && lhs.evaluateTargetHealth == rhs.evaluateTargetHealth
        case (nil, nil):
            guard !compareTTL || ttl == other.ttl else { return false }
            // Identical values in the same order (the usual no-op) need no normalising.
            return values == other.values || comparableValues == other.comparableValues
        default:
            return false
        }
    }

    /// Health check ids are UUIDs, which Route53 lists in lower case whatever case they were
    /// written in.
    func sameHealthCheck(as other: RecordSet) -> Bool {
        switch (healthCheckID, other.healthCheckID) {
        case (nil, nil): true
        case let (lhs?, rhs?): lhs == rhs || lhs.lowercased() == rhs.lowercased()
        default: false
        }
    }

    /// What changes from `old` to this set, for the plan's reason column.
    func differences(from old: RecordSet, compareTTL: Bool) -> [String] {
        var changes: [String] = []
        if let alias, let oldAlias = old.alias {
            if alias.dnsName != oldAlias.dnsName || alias.hostedZoneID.uppercased() != oldAlias.hostedZoneID.uppercased() {
                changes.append("alias target \(oldAlias.dnsName.fqdn) → \(alias.dnsName.fqdn)")
            }
            if alias.evaluateTargetHealth != oldAlias.evaluateTargetHealth {
                changes.append("evaluate-target-health \(oldAlias.evaluateTargetHealth) → \(alias.evaluateTargetHealth)")
            }
        } else {
            if comparableValues != old.comparableValues { changes.append("targets change") }
            if compareTTL, ttl != old.ttl {
                changes.append("TTL \(old.ttl.map(String.init) ?? "none") → \(ttl.map(String.init) ?? "none")")
            }
        }
        if !routing.sameRouting(as: old.routing) { changes.append("\(routing.kind) routing changes") }
        if !sameHealthCheck(as: old) { changes.append("health check changes") }
        return changes
    }

    /// True when Route53 refuses `self` and `other` side by side under one name: a CNAME shares
    /// its name with nothing else, and the sets of one name and type share one routing policy.
    func clashes(with other: RecordSet) -> Bool {
        guard name == other.name, key != other.key else { return false }
        if type == .cname || other.type == .cname {
            return type != other.type || routing.kind != other.routing.kind
        }
        return type == other.type && routing.kind != other.routing.kind
    }
}
