import DNSReconcileCore

/// An object's ExternalDNS annotations by suffix (`ttl`, `aws-weight`), read under every
/// configured prefix, plus our own `dnsreconcile.io/health-check*`.
///
/// When one suffix is set under two prefixes, the prefix listed first in `annotation-prefix`
/// wins; if the two values differ, `warnings` says which one was used.
struct ObjectAnnotations {
    struct Entry: Hashable {
        var value: String
        /// The full annotation name, for messages.
        var name: String
    }

    /// Suffixes the sources read for themselves; everything else they pass to
    /// `EndpointOptionsReader`, or ignore (the suffixes of other ExternalDNS providers).
    static let derivationSuffixes: Set<String> = [
        "hostname", "internal-hostname", "target", "controller", "access", "ingress-hostname-source",
    ]
    /// ExternalDNS option suffixes that map to `[endpoint]` keys of the same name.
    static let optionSuffixes: Set<String> = ["ttl", "set-identifier", "alias"]

    private(set) var entries: [String: Entry] = [:]
    /// `dnsreconcile.io/<suffix>` annotations.
    private(set) var own: [String: Entry] = [:]
    private(set) var warnings: [String] = []

    init(_ object: KubeObject, prefixes: [String]) {
        var ranked: [String: (rank: Int, entry: Entry)] = [:]
        for (name, value) in object.annotations.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix(SourceSettings.ownPrefix) {
                own[String(name.dropFirst(SourceSettings.ownPrefix.count))] = Entry(value: value, name: name)
            }
            for (rank, prefix) in prefixes.enumerated() where name.hasPrefix(prefix) {
                let suffix = String(name.dropFirst(prefix.count))
                let entry = Entry(value: value, name: name)
                if let other = ranked[suffix] {
                    let (winner, loser) = other.rank <= rank ? (other.entry, entry) : (entry, other.entry)
                    if winner.value != loser.value {
                        warnings.append("\(object.resource): both \(winner.name) and \(loser.name) are set; using "
                                            + "\(winner.name) (listed first in annotation-prefix)")
                    }
                    if rank < other.rank { ranked[suffix] = (rank, entry) }
                } else {
                    ranked[suffix] = (rank, entry)
                }
            }
        }
        entries = ranked.mapValues(\.entry)
    }

    subscript(_ suffix: String) -> String? { entries[suffix]?.value }

    func name(_ suffix: String) -> String { entries[suffix]?.name ?? suffix }

    /// Comma-separated names or targets as ExternalDNS splits them: every space removed, one
    /// trailing dot trimmed from each, empty items dropped.
    func list(_ suffix: String) -> [String] {
        guard let value = self[suffix] else { return [] }
        return value.filter { !$0.isWhitespace }.split(separator: ",").map { item in
            item.hasSuffix(".") ? String(item.dropLast()) : String(item)
        }.filter { !$0.isEmpty }
    }

    /// The annotations that carry endpoint options, as `EndpointOptionsReader` takes them:
    /// `ttl`, `set-identifier`, `alias` and every `aws-*` under the ExternalDNS prefixes, and
    /// every `dnsreconcile.io/` key. An unknown `aws-*` or `dnsreconcile.io/` key is passed on
    /// too, so the reader refuses it with a suggestion instead of it being ignored.
    var options: [EndpointOptionsReader.Value] {
        var values: [EndpointOptionsReader.Value] = []
        for (suffix, entry) in entries.sorted(by: { $0.key < $1.key })
            where Self.optionSuffixes.contains(suffix) || suffix.hasPrefix("aws-") {
            var value = entry.value
            // ExternalDNS: a TTL of 0 means "not configured".
            if suffix == "ttl", value.trimmingSpaces == "0" { value = "" }
            values.append(.init(key: suffix, value: value, label: "annotation \(entry.name)"))
        }
        for (suffix, entry) in own.sorted(by: { $0.key < $1.key }) where suffix.hasPrefix("health-check") {
            values.append(.init(key: suffix, value: entry.value, label: "annotation \(entry.name)"))
        }
        return values
    }

    /// `dnsreconcile.io/` annotations that are not ours (typos of the health-check keys).
    var unknownOwn: [String] {
        own.keys.filter { !$0.hasPrefix("health-check") }.sorted().map { SourceSettings.ownPrefix + $0 }
    }
}
