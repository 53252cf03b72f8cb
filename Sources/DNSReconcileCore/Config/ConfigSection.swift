/// One section of a configuration file (`[registry]`, `[source "kubernetes"]`,
/// `[endpoint "web"]`), kept with its entries in file order.
///
/// Plugins read their own section through the typed accessors (`string`, `list`, `bool`,
/// `integer`, `number`, `duration`, `choice`), which report bad values as located
/// `.configBadValue` errors that say which form is accepted.
public struct ConfigSection: Hashable, Sendable {
    /// `cluster`, `source`, `endpoint`, `provider`, `registry`, `safety`, `aws`, `metrics`, `run`.
    public var kind: String
    /// The quoted name: a plugin name (`kubernetes`, `route53`) or an endpoint id.
    public var name: String?
    public var entries: [ConfigEntry]
    /// Where the section header was written (JSON: the key path of the section object).
    public var location: SourceLocation

    public init(kind: String, name: String? = nil, entries: [ConfigEntry] = [], location: SourceLocation) {
        self.kind = kind
        self.name = name
        self.entries = entries
        self.location = location
    }

    /// The header as written in INI: `[cluster]`, `[source "kubernetes"]`.
    public var header: String {
        if let name { return "[\(kind) \"\(name)\"]" }
        return "[\(kind)]"
    }

    /// The entry for `key`, if the section has one.
    public func entry(_ key: String) -> ConfigEntry? {
        entries.last { $0.key == key }
    }

    /// True when the section has a non-empty value for `key`.
    public func has(_ key: String) -> Bool {
        guard let entry = entry(key) else { return false }
        return !entry.value.isEmpty
    }
}
