/// `domain-filter` and `exclude-domains`: which names a cluster manages, and which zones it
/// looks at.
///
/// An entry `example.com` matches that name and every name below it; `.example.com` matches only
/// names below it. Exclusions use the same matcher and always win. An empty include list matches
/// everything. Entries are compared in canonical form (case, trailing dot and escapes ignored).
public struct DomainFilter: Hashable, Sendable {
    struct Entry: Hashable, Sendable {
        var name: DNSName
        var subdomainsOnly: Bool

        init?(_ raw: String) {
            let trimmed = DomainFilter.trimmed(raw)
            guard !trimmed.isEmpty, trimmed != "." else { return nil }
            subdomainsOnly = trimmed.hasPrefix(".")
            name = DNSName(subdomainsOnly ? String(trimmed.dropFirst()) : trimmed)
        }

        func matches(_ candidate: DNSName) -> Bool {
            candidate.isWithin(name) && !(subdomainsOnly && candidate == name)
        }
    }

    let include: [Entry]
    let exclude: [Entry]

    /// Empty strings are ignored, as ExternalDNS does with a trailing comma.
    public init(_ include: [String] = [], exclude: [String] = []) {
        self.include = include.compactMap(Entry.init)
        self.exclude = exclude.compactMap(Entry.init)
    }

    /// True when `name` is managed: under some include entry (or there are none) and under no
    /// exclude entry.
    public func matches(_ name: DNSName) -> Bool {
        if exclude.contains(where: { $0.matches(name) }) { return false }
        return include.isEmpty || include.contains { $0.matches(name) }
    }

    /// True when the zone `zone` may hold managed names: its name matches an entry, or an entry
    /// lies inside it, and the zone itself is not excluded.
    ///
    /// The second case keeps zone `example.com` for the filter `app.example.com`: that zone holds
    /// the subtree, and `matches` then narrows its names to it. ExternalDNS needs
    /// `--aws-zone-match-parent` for this; without it, a filter on a subdomain silently manages
    /// nothing.
    public func matchesZone(_ zone: DNSName) -> Bool {
        if exclude.contains(where: { $0.matches(zone) }) { return false }
        return include.isEmpty || include.contains { $0.matches(zone) || $0.name.isWithin(zone) }
    }

    /// True when no entry narrows anything.
    public var isEmpty: Bool { include.isEmpty && exclude.isEmpty }

    /// `raw` without surrounding white space (the core does without Foundation).
    static func trimmed(_ raw: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = raw.firstIndex(where: { !isSpace($0) }),
              let last = raw.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(raw[first...last])
    }
}
