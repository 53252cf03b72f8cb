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
            guard let schema = schema(for: section) else { continue }
            var kept = ConfigSection(kind: section.kind, name: section.name, location: section.location)
            for entry in section.entries {
                guard let key = schema.key(entry.key) else {
                    errors.append(unknownKey(entry, in: section, schema: schema))
                    continue
                }
                if key.scope == .clusterOnly && role == .main {
                    errors.append(DNSReconcileError(
                        .configUnknownKey,
                        "\(section.header) \(entry.key) is per cluster; set it in the cluster file, not in the main file",
                        location: entry.location))
                    continue
                }
                if !entry.value.isEmpty {
                    do {
                        _ = try ConfigSection.decode(entry, as: key.type, in: section.header)
                    } catch {
                        errors.append(error)
                        rejected.insert(section.header + " " + entry.key)
                        continue
                    }
                }
                kept.entries.append(entry)
            }
            clean.append(kept)
        }
        return clean
    }

    /// The schema of a section, or nil after recording why the section is refused.
    private mutating func schema(for section: ConfigSection) -> ConfigSectionSchema? {
        let kinds = ConfigSchema.kinds
        guard kinds.contains(section.kind) else {
            var message = "unknown section [\(section.kind)]"
            if let near = ConfigSuggestion.nearest(to: section.kind, in: kinds) {
                message += "; did you mean [\(near)]?"
            } else {
                message += "; known sections: " + kinds.joined(separator: ", ")
            }
            errors.append(DNSReconcileError(.configUnknownSection, message, location: section.location))
            return nil
        }
        let candidates = ConfigSchema.sections.filter { $0.kind == section.kind }
        guard let first = candidates.first else { return nil }
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
        !id.isEmpty && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-*".contains($0)) }
    }
}
