import DNSReconcileCore

/// A section's typed values with the schema's defaults, and located errors.
struct SchemaValues {
    let section: ConfigSection

    init(_ section: ConfigSection) { self.section = section }

    /// The section with the schema default of `key` when the key is absent or empty, so the
    /// typed accessors see the default (ConfigSchema stays the one place defaults are written).
    private func withDefault(_ key: String) -> ConfigSection {
        if section.has(key) { return section }
        guard let text = ConfigSchema.section(kind: section.kind, name: section.name)?.key(key)?.defaultValue else {
            return section
        }
        var copy = section
        copy.entries.append(ConfigEntry(key: key, value: .text(text), location: section.location))
        return copy
    }

    func string(_ key: String) throws(DNSReconcileError) -> String? { try withDefault(key).string(key) }
    func list(_ key: String) throws(DNSReconcileError) -> [String]? { try withDefault(key).list(key) }
    func bool(_ key: String) throws(DNSReconcileError) -> Bool? { try withDefault(key).bool(key) }
    func choiceList(_ key: String, from words: [String]) throws(DNSReconcileError) -> [String]? {
        try withDefault(key).choiceList(key, from: words)
    }

    /// Where `key` was written (else the section header), with the directory of that file for
    /// resolving relative paths.
    func location(_ key: String) -> SourceLocation { section.entry(key)?.location ?? section.location }

    func bad(_ key: String, _ message: String, code: DNSReconcileError.Code = .configBadValue) -> DNSReconcileError {
        DNSReconcileError(code, "\(section.header) \(key): \(message)", location: location(key))
    }

    /// `path` as written under `key`, made absolute against the directory of the file that set
    /// it (a relative path in /etc/dnsreconcile/conf.d/x.ini means conf.d/<path>).
    func resolve(_ path: String, key: String) -> String {
        LocalFiles.resolve(path, relativeTo: LocalFiles.directory(of: location(key).file))
    }
}
