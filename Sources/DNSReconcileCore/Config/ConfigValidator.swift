/// Checks parsed sections against `ConfigSchema`: known sections and plugins, known keys,
/// values of the right type, sections and keys in the right kind of file. Collects every error
/// and returns the sections with only their valid entries, so later steps can build settings
/// without failing again on the same value.
struct ConfigValidator {
    /// Which kind of file is validated.
    enum Role {
        case main
        case cluster
    }

    let role: Role
    private(set) var errors: [DNSReconcileError] = []
    /// `"<header> <key>"` of entries refused for their value, so that a "missing key" check does
    /// not report the same key a second time.
    private(set) var rejected: Set<String> = []

    init(role: Role) {
        self.role = role
    }

    mutating func validate(_ sections: [ConfigSection]) -> [ConfigSection] {
        var clean: [ConfigSection] = []
        for section in sections {
            if let kept = validate(section) { clean.append(kept) }
        }
        return clean
    }

    /// One section with only its valid entries, or nil when the section itself is refused.
    mutating func validate(_ section: ConfigSection) -> ConfigSection? {
        guard let schema = schema(for: section) else { return nil }
        // The entries kept, made only once one is dropped: usually every entry is valid.
        var kept: [ConfigEntry]?
        for (position, entry) in section.entries.enumerated() {
            if isValid(entry, in: section, schema: schema) {
                kept?.append(entry)
            } else if kept == nil {
                kept = Array(section.entries[..<position])
            }
        }
        guard let kept else { return section }
        var clean = section
        clean.entries = kept
        return clean
    }

    /// Checks one entry, recording why it is refused.
    private mutating func isValid(_ entry: ConfigEntry, in section: ConfigSection, schema: ConfigSectionSchema) -> Bool {
        guard let position = schema.position(of: entry.key) else {
            errors.append(unknownKey(entry, in: section, schema: schema))
            return false
        }
        if schema.keys[position].scope == .clusterOnly && role == .main {
            errors.append(DNSReconcileError(
                .configUnknownKey,
                "\(section.header) \(entry.key) is per cluster; set it in the cluster file, not in the main file",
                location: entry.location))
            return false
        }
        let type = schema.keys[position].type
        guard !entry.value.isEmpty, !entry.value.isPlainText(for: type) else { return true }
        do {
            _ = try ConfigSection.decode(entry, as: type, in: section.header)
        } catch {
            errors.append(error)
            rejected.insert(section.header + " " + entry.key)
            return false
        }
        return true
    }

    /// The schema of a section, or nil after recording why the section is refused.
    private mutating func schema(for section: ConfigSection) -> ConfigSectionSchema? {
        guard let candidates = ConfigSchema.sectionsByKind[section.kind], let first = candidates.first else {
            let kinds = ConfigSchema.kinds
            var message = "unknown section [\(section.kind)]"
            if let near = ConfigSuggestion.nearest(to: section.kind, in: kinds) {
                message += "; did you mean [\(near)]?"
            } else {
                message += "; known sections: " + kinds.joined(separator: ", ")
            }
            errors.append(DNSReconcileError(.configUnknownSection, message, location: section.location))
            return nil
        }
        let schema: ConfigSectionSchema
        switch first.naming {
        case .none:
            guard section.name == nil else {
                errors.append(DNSReconcileError(
                    .configUnknownSection,
                    "[\(section.kind)] takes no name; write [\(section.kind)] instead of \(section.header)",
                    location: section.location))
                return nil
            }
            schema = first
        case .plugin:
            let plugins = candidates.compactMap { candidate -> String? in
                if case .plugin(let name) = candidate.naming { return name }
                return nil
            }
            guard let name = section.name else {
                errors.append(DNSReconcileError(
                    .configUnknownSection,
                    "[\(section.kind)] needs a plugin name: write "
                        + plugins.map { "[\(section.kind) \"\($0)\"]" }.joined(separator: " or "),
                    location: section.location))
                return nil
            }
            guard let match = candidates.first(where: { $0.naming == .plugin(name) }) else {
                var message = "unknown \(section.kind) plugin \"\(name)\" in \(section.header)"
                if let near = ConfigSuggestion.nearest(to: name, in: plugins) {
                    message += "; did you mean \"\(near)\"?"
                }
                message += " Known \(section.kind) plugins: " + plugins.joined(separator: ", ")
                errors.append(DNSReconcileError(.configUnknownSection, message, location: section.location))
                return nil
            }
            schema = match
        case .id:
            guard let name = section.name else {
                errors.append(DNSReconcileError(
                    .configUnknownSection,
                    "[\(section.kind)] needs an id: write [\(section.kind) \"web\"] (the id is also the default name)",
                    location: section.location))
                return nil
            }
            guard ConfigValidator.isValidID(name) else {
                errors.append(DNSReconcileError(
                    .configBadValue,
                    "\(section.header): the id may hold only letters, digits, '.', '-', '_' and '*'",
                    location: section.location))
                return nil
            }
            schema = first
        }
        switch (schema.scope, role) {
        case (.mainOnly, .cluster):
            errors.append(DNSReconcileError(
                .configUnknownSection,
                "\(section.header) belongs in the main file (--config), not in a cluster file; move it there",
                location: section.location))
            return nil
        case (.clusterOnly, .main):
            let what = section.kind == "endpoint" ? "endpoints belong" : "\(schema.header) belongs"
            errors.append(DNSReconcileError(
                .configUnknownSection,
                "\(what) in a cluster file of the config dir, not in the main file; move \(section.header) there",
                location: section.location))
            return nil
        default:
            return schema
        }
    }

    private func unknownKey(_ entry: ConfigEntry, in section: ConfigSection,
                            schema: ConfigSectionSchema) -> DNSReconcileError {
        let names = schema.keys.map(\.name)
        var message = "unknown key '\(entry.key)' in \(section.header)"
        if let near = ConfigSuggestion.nearest(to: entry.key, in: names) {
            message += "; did you mean '\(near)'?"
        } else if let home = ConfigSchema.sections.first(where: { $0.key(entry.key) != nil }) {
            message += "; '\(entry.key)' belongs in \(home.header)"
        } else {
            message += "; valid keys: " + names.joined(separator: ", ")
        }
        return DNSReconcileError(.configUnknownKey, message, location: entry.location)
    }

    /// Section ids and cluster names end up in TXT ownership labels (`endpoint/<cluster>/<id>`),
    /// so characters that would break the label syntax (`,`, `=`, `"`, `/`, spaces) are refused.
    static func isValidID(_ id: String) -> Bool {
        // Byte-wise: every allowed character is ASCII, where a byte is a character.
        !id.isEmpty && ConfigText.allBytes(of: id) { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"),
                 UInt8(ascii: "*"):
                true
            default:
                false
            }
        }
    }
}
