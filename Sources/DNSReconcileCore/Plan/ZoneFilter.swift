/// Which hosted zones a cluster manages (`[provider "route53"]` zone-ids, domain-filter,
/// exclude-domains, zone-type, zone-tags), and which of them each endpoint is written to.
///
/// Semantics follow ExternalDNS's zone discovery (externaldns-compat.md §6.1), except that a
/// domain-filter entry below a zone keeps that zone without a match-parent switch (see
/// `DomainFilter.matchesZone`).
public struct ZoneFilter: Hashable, Sendable {
    public enum ZoneType: String, Hashable, Sendable, CaseIterable {
        case `public`, `private`
    }

    /// Suffixes of bare zone ids (`Z1D633PJN98FT9`); a `/hostedzone/` prefix is ignored. Empty:
    /// every zone.
    public var zoneIDs: [String]
    public var domains: DomainFilter
    /// nil: public and private zones.
    public var zoneType: ZoneType?
    /// `key` or `key=value` entries, all of which must match; a bare key matches any value.
    public var zoneTags: [String]

    public init(zoneIDs: [String] = [], domainFilter: [String] = [], excludeDomains: [String] = [],
                zoneType: ZoneType? = nil, zoneTags: [String] = []) {
        self.zoneIDs = zoneIDs.map(DomainFilter.trimmed).filter { !$0.isEmpty }.map(ZoneFilter.bareID)
        self.domains = DomainFilter(domainFilter, exclude: excludeDomains)
        self.zoneType = zoneType
        self.zoneTags = zoneTags.map(DomainFilter.trimmed).filter { !$0.isEmpty }
    }

    /// True when the zone's tags are needed to decide (so callers fetch them only then).
    public var needsTags: Bool { !zoneTags.isEmpty }

    /// True when `zone`, with its `tags`, passes every filter.
    public func matches(_ zone: HostedZone, tags: [String: String] = [:]) -> Bool {
        if !zoneIDs.isEmpty, !zoneIDs.contains(where: { ZoneFilter.bareID(zone.id).hasSuffix($0) }) { return false }
        switch zoneType {
        case .public?: if zone.isPrivate { return false }
        case .private?: if !zone.isPrivate { return false }
        case nil: break
        }
        for entry in zoneTags {
            if let equals = entry.firstIndex(of: "=") {
                let key = DomainFilter.trimmed(String(entry[..<equals]))
                let value = DomainFilter.trimmed(String(entry[entry.index(after: equals)...]))
                if tags[key] != value { return false }
            } else if tags[entry] == nil {
                return false
            }
        }
        return domains.matchesZone(zone.name)
    }

    /// Assigns each endpoint to the zones it is written to: every private zone that contains its
    /// name, plus the single public zone with the longest name that contains it (ExternalDNS
    /// `changesByZone`). Endpoints no zone contains are returned as `unassigned`.
    ///
    /// `zones` are the zones that passed `matches`. Two public zones of the same name (possible in
    /// Route53) tie; the smaller id wins so the choice does not depend on listing order.
    ///
    /// When every endpoint goes to one and the same zone, as with a cluster of one zone, that
    /// zone gets `endpoints` itself, not a copy; otherwise each zone's array is made at its size.
    public static func assign(_ endpoints: [Endpoint], to zones: [HostedZone])
        -> (byZone: [String: [Endpoint]], unassigned: [Endpoint]) {
        func targets(of endpoint: Endpoint) -> [Int] {
            let containing = zones.indices.filter { endpoint.name.isWithin(zones[$0].name) }
            var targets = containing.filter { zones[$0].isPrivate }
            let longestPublic = containing.filter { !zones[$0].isPrivate }.min { lhs, rhs in
                let left = zones[lhs], right = zones[rhs]
                if left.name.labels.count != right.name.labels.count { return left.name.labels.count > right.name.labels.count }
                return left.id < right.id
            }
            if let longestPublic { targets.append(longestPublic) }
            return targets
        }
        var counts = [Int](repeating: 0, count: zones.count)
        var unassignedCount = 0
        /// The one zone of every endpoint so far, while there is one.
        var sole: Int?? = .none
        for endpoint in endpoints {
            let targets = targets(of: endpoint)
            if targets.isEmpty { unassignedCount += 1 }
            for zone in targets { counts[zone] += 1 }
            let only = targets.count == 1 ? targets[0] : nil
            sole = sole == .none ? .some(only) : sole == .some(only) ? sole : .some(nil)
        }
        if case .some(.some(let zone)) = sole { return ([zones[zone].id: endpoints], []) }

        var byZone: [String: [Endpoint]] = [:]
        for (zone, count) in counts.enumerated() where count > 0 { byZone[zones[zone].id, default: []].reserveCapacity(count) }
        var unassigned: [Endpoint] = []
        unassigned.reserveCapacity(unassignedCount)
        for endpoint in endpoints {
            let targets = targets(of: endpoint)
            if targets.isEmpty { unassigned.append(endpoint) }
            for zone in targets { byZone[zones[zone].id, default: []].append(endpoint) }
        }
        return (byZone, unassigned)
    }

    static func bareID(_ id: String) -> String {
        for prefix in ["/hostedzone/", "hostedzone/"] where id.hasPrefix(prefix) { return String(id.dropFirst(prefix.count)) }
        return id
    }
}
