/// Reads JSON configuration into the same sections as INI (CONTRACT §3):
/// `{"cluster": {...}, "source": {"kubernetes": {...}}, "endpoint": {"web": {...}}, ...}`.
///
/// Sections whose kind takes a name (`source`, `provider`, `endpoint`) nest one level deeper.
/// Entry locations carry the line and the key path (`endpoint.web.ttl`).
public enum JSONConfigParser {
    public static func parse(file: String, text: String) -> (sections: [ConfigSection], errors: [DNSReconcileError]) {
        var sections: [ConfigSection] = []
        let scanned = scan(file: file, text: text) { sections.append($0) }
        return (scanned.complete ? sections : [], scanned.errors)
    }

    /// `parse`, handing each section to `take` as soon as its object is read, in document order,
    /// so that a caller turning sections into something smaller never holds all of them.
    /// `complete` is false after a syntax error, which voids the document: `errors` is that
    /// error alone, and the sections already handed over must be dropped.
    static func scan(file: String, text: String, _ take: (ConfigSection) -> Void)
        -> (errors: [DNSReconcileError], complete: Bool) {
        var text = text
        return text.withUTF8 { bytes in
            var reader = JSONReader(bytes)
            var walk = SectionWalk(file: file)
            do throws(JSONReader.SyntaxError) {
                try reader.parseDocument { reader throws(JSONReader.SyntaxError) in
                    try walk.readRoot(&reader, take)
                }
            } catch {
                return ([DNSReconcileError(
                    .configSyntax, "invalid JSON at column \(error.column): \(error.message)",
                    location: SourceLocation(file: file, line: error.line))], false)
            }
            var errors = reader.duplicates.map { duplicate in
                DNSReconcileError(
                    .configDuplicateKey,
                    "\"\(duplicate.path.last ?? "")\" is already set at line \(duplicate.firstLine); keep only one",
                    location: SourceLocation(file: file, line: duplicate.line, path: keyPath(duplicate.path)))
            }
            if let line = walk.rootLineIfNotObject {
                errors.append(DNSReconcileError(
                    .configSyntax, "the top level must be an object such as {\"cluster\": {\"owner-id\": \"...\"}}",
                    location: SourceLocation(file: file, line: line)))
                return (errors, true)
            }
            return (errors + walk.errors, true)
        }
    }

    /// Turns the top-level object into sections while the reader walks it: a kind's object,
    /// or each named section of a kind, becomes a section as soon as it is read.
    private struct SectionWalk {
        let file: String
        /// Errors in the document's structure (a kind or section that is not an object, a value
        /// that is not one), in document order.
        var errors: [DNSReconcileError] = []
        /// The line of the top-level value when it is not an object.
        var rootLineIfNotObject: Int?

        init(file: String) {
            self.file = file
        }

        mutating func readRoot(_ reader: inout JSONReader, _ take: (ConfigSection) -> Void) throws(JSONReader.SyntaxError) {
            let line = reader.line
            guard try reader.valueStart(depth: 0) == UInt8(ascii: "{") else {
                _ = try reader.parseValue(depth: 0)
                rootLineIfNotObject = line
                return
            }
            try reader.readObject(depth: 0) { reader, kind, line, repeated throws(JSONReader.SyntaxError) in
                // A repeated kind is reported as a duplicate and otherwise ignored.
                if repeated {
                    _ = try reader.parseValue(depth: 1)
                    return
                }
                try readKind(&reader, kind, line: line, take)
            }
        }

        private mutating func readKind(_ reader: inout JSONReader, _ kind: String, line: Int,
                                       _ take: (ConfigSection) -> Void) throws(JSONReader.SyntaxError) {
            let path = keyPath([kind])
            let location = SourceLocation(file: file, line: line, path: path)
            guard ConfigSchema.kinds.contains(kind) else {
                // Unknown kinds become empty sections so that validation reports them with a
                // suggestion, like INI.
                _ = try reader.parseValue(depth: 1)
                take(ConfigSection(kind: kind, location: location))
                return
            }
            let named = ConfigSchema.sections.contains { $0.kind == kind && $0.naming != .none }
            guard try reader.valueStart(depth: 1) == UInt8(ascii: "{") else {
                _ = try reader.parseValue(depth: 1)
                errors.append(DNSReconcileError(
                    .configSyntax,
                    named ? "\"\(kind)\" must be an object of named sections, e.g. {\"\(example(kind))\": {...}}"
                          : "\"\(kind)\" must be an object of keys",
                    location: location))
                return
            }
            if !named {
                guard case .object(let members) = try reader.parseValue(depth: 1).value else { return }
                take(section(kind: kind, name: nil, members: members, path: path, file: file, location: location,
                             errors: &errors))
                return
            }
            try reader.readObject(depth: 1) { reader, name, line, repeated throws(JSONReader.SyntaxError) in
                let node = try reader.parseValue(depth: 2)
                if repeated { return }
                let sectionPath = appendingKeyPath(path, name)
                let location = SourceLocation(file: file, line: line, path: sectionPath)
                guard case .object(let entries) = node.value else {
                    errors.append(DNSReconcileError(
                        .configSyntax,
                        "\(sectionPath) must be an object of keys, e.g. {\"\(kind)\": {\"\(example(kind))\": {...}}}",
                        location: location))
                    return
                }
                take(section(kind: kind, name: name, members: entries, path: sectionPath, file: file,
                             location: location, errors: &errors))
            }
        }
    }

    /// A section from the members of its object; `path` is its key path.
    private static func section(kind: String, name: String?, members: [JSONReader.Member], path: String,
                                file: String, location: SourceLocation,
                                errors: inout [DNSReconcileError]) -> ConfigSection {
        var section = ConfigSection(kind: kind, name: name, location: location)
        for member in members {
            let entryLocation = SourceLocation(file: file, line: member.line, path: appendingKeyPath(path, member.key))
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
        components.reduce("") { appendingKeyPath($0, $1) }
    }

    /// The key path `path` followed by `component`.
    static func appendingKeyPath(_ path: String, _ component: String) -> String {
        if component.hasPrefix("[") { return path + component }
        // A plain word: ASCII letters, digits, '-' and '_' (byte-wise, as every one is ASCII).
        let plain = !component.isEmpty && component.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
        if plain {
            guard !path.isEmpty else { return component }
            // One string of the right size: a path is made for every entry of every section.
            var joined = path
            joined.reserveCapacity(path.utf8.count + 1 + component.utf8.count)
            joined += "."
            joined += component
            return joined
        }
        var escaped = ""
        for character in component {
            if character == "\\" || character == "\"" { escaped.append("\\") }
            escaped.append(character)
        }
        return path + "[\"\(escaped)\"]"
    }
}
