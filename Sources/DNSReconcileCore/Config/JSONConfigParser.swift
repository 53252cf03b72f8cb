/// Reads JSON configuration into the same sections as INI (CONTRACT §3):
/// `{"cluster": {...}, "source": {"kubernetes": {...}}, "endpoint": {"web": {...}}, ...}`.
///
/// Sections whose kind takes a name (`source`, `provider`, `endpoint`) nest one level deeper.
/// Entry locations carry the line and the key path (`endpoint.web.ttl`).
public enum JSONConfigParser {
    public static func parse(file: String, text: String) -> (sections: [ConfigSection], errors: [DNSReconcileError]) {
        var reader = JSONReader(Array(text.utf8))
        let root: JSONReader.Node
        do {
            root = try reader.parseDocument()
        } catch {
            return ([], [DNSReconcileError(
                .configSyntax, "invalid JSON at column \(error.column): \(error.message)",
                location: SourceLocation(file: file, line: error.line))])
        }
        var errors = reader.duplicates.map { duplicate in
            DNSReconcileError(
                .configDuplicateKey,
                "\"\(duplicate.path.last ?? "")\" is already set at line \(duplicate.firstLine); keep only one",
                location: SourceLocation(file: file, line: duplicate.line, path: keyPath(duplicate.path)))
        }
        guard case .object(let kinds) = root.value else {
            errors.append(DNSReconcileError(
                .configSyntax, "the top level must be an object such as {\"cluster\": {\"owner-id\": \"...\"}}",
                location: SourceLocation(file: file, line: root.line)))
            return ([], errors)
        }

        var sections: [ConfigSection] = []
        for kind in kinds {
            let location = SourceLocation(file: file, line: kind.line, path: keyPath([kind.key]))
            let named = ConfigSchema.sections.contains { $0.kind == kind.key && $0.naming != .none }
            guard ConfigSchema.kinds.contains(kind.key) else {
                // Unknown kinds become empty sections so that validation reports them with a
                // suggestion, like INI.
                sections.append(ConfigSection(kind: kind.key, location: location))
                continue
            }
            guard case .object(let members) = kind.node.value else {
                errors.append(DNSReconcileError(
                    .configSyntax,
                    named ? "\"\(kind.key)\" must be an object of named sections, e.g. {\"\(example(kind.key))\": {...}}"
                          : "\"\(kind.key)\" must be an object of keys",
                    location: location))
                continue
            }
            if !named {
                sections.append(section(kind: kind.key, name: nil, members: members, path: [kind.key], file: file,
                                        location: location, errors: &errors))
                continue
            }
            for member in members {
                let path = [kind.key, member.key]
                let location = SourceLocation(file: file, line: member.line, path: keyPath(path))
                guard case .object(let entries) = member.node.value else {
                    errors.append(DNSReconcileError(
                        .configSyntax,
                        "\(keyPath(path)) must be an object of keys, e.g. {\"\(kind.key)\": {\"\(example(kind.key))\": {...}}}",
                        location: location))
                    continue
                }
                sections.append(section(kind: kind.key, name: member.key, members: entries, path: path, file: file,
                                        location: location, errors: &errors))
            }
        }
        return (sections, errors)
    }

    private static func section(kind: String, name: String?, members: [JSONReader.Member], path: [String],
                                file: String, location: SourceLocation,
                                errors: inout [DNSReconcileError]) -> ConfigSection {
        var section = ConfigSection(kind: kind, name: name, location: location)
        for member in members {
            let entryLocation = SourceLocation(file: file, line: member.line, path: keyPath(path + [member.key]))
            let value: ConfigValue
            switch member.node.value {
            case .string(let text): value = .string(text)
            case .number(let text): value = .number(text)
            case .bool(let flag): value = .bool(flag)
            case .null: value = .null
            case .array(let items):
                var texts: [String] = []
                var scalar = true
                for item in items {
                    switch item.value {
                    case .string(let text): texts.append(text)
                    case .number(let text): texts.append(text)
                    case .bool(let flag): texts.append(flag ? "true" : "false")
                    case .null, .array, .object: scalar = false
                    }
                }
                guard scalar else {
                    errors.append(DNSReconcileError(
                        .configBadValue,
                        "\(section.header) \(member.key): a list may hold only strings and numbers",
                        location: entryLocation))
                    continue
                }
                value = .list(texts)
            case .object:
                errors.append(DNSReconcileError(
                    .configBadValue,
                    "\(section.header) \(member.key): expected a value, found an object",
                    location: entryLocation))
                continue
            }
            section.entries.append(ConfigEntry(key: member.key, value: value, location: entryLocation))
        }
        return section
    }

    private static func example(_ kind: String) -> String {
        switch kind {
        case "source": "kubernetes"
        case "provider": "route53"
        default: "web"
        }
    }

    /// `endpoint.web.ttl`; components that are not plain words are bracketed:
    /// `endpoint["app.example.com"].ttl`.
    static func keyPath(_ components: [String]) -> String {
        var text = ""
        for component in components {
            if component.hasPrefix("[") {
                text += component
            } else if !component.isEmpty, component.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                text += (text.isEmpty ? "" : ".") + component
            } else {
                var escaped = ""
                for character in component {
                    if character == "\\" || character == "\"" { escaped.append("\\") }
                    escaped.append(character)
                }
                text += "[\"\(escaped)\"]"
            }
        }
        return text
    }
}
