/// Reads INI configuration text into sections (CONTRACT §3).
///
/// Grammar: `[kind]` or `[kind "name"]` headers; `key = value`; whole-line comments starting with
/// `#` or `;`; a `#` or `;` after whitespace outside double quotes starts an inline comment.
/// Values keep their double quotes: the key's type decides whether commas split a list, so
/// decoding happens in the typed accessors. The parser reports syntax errors, repeated sections
/// and repeated keys, all of them, each with its line.
public enum INIParser {
    public static func parse(file: String, text: String) -> (sections: [ConfigSection], errors: [DNSReconcileError]) {
        var sections: [ConfigSection] = []
        var errors: [DNSReconcileError] = []
        /// Index in `sections` of the section receiving keys; nil before the first header or
        /// inside a repeated section (whose keys are dropped after its one error).
        var current: Int?
        var insideRepeatedSection = false
        var keyLines: [String: Int] = [:]
        var sectionLines: [String: Int] = [:]

        // "\r\n" is one Character in Swift, so it is named as a separator of its own.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (offset, rawLine) in lines.enumerated() {
            let lineNumber = offset + 1
            let location = SourceLocation(file: file, line: lineNumber)
            let line = ConfigText.trim(rawLine)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }

            if line.hasPrefix("[") {
                guard let (kind, name) = parseHeader(line) else {
                    errors.append(DNSReconcileError(
                        .configSyntax,
                        "'\(line)' is not a section header; write [kind] or [kind \"name\"], e.g. [registry] or [source \"kubernetes\"]",
                        location: location))
                    current = nil
                    insideRepeatedSection = true
                    continue
                }
                let section = ConfigSection(kind: kind, name: name, location: location)
                if let first = sectionLines[section.header] {
                    errors.append(DNSReconcileError(
                        .configDuplicateKey,
                        "section \(section.header) is already defined at line \(first); merge the two into one section",
                        location: location))
                    current = nil
                    insideRepeatedSection = true
                    continue
                }
                sectionLines[section.header] = lineNumber
                sections.append(section)
                current = sections.count - 1
                insideRepeatedSection = false
                continue
            }

            guard let equals = line.firstIndex(of: "=") else {
                errors.append(DNSReconcileError(
                    .configSyntax,
                    "'\(line)' is neither key = value, a [section] header nor a comment (# or ;)",
                    location: location))
                continue
            }
            let key = ConfigText.trim(line[..<equals])
            guard !key.isEmpty, key.allSatisfy(isKeyCharacter) else {
                errors.append(DNSReconcileError(
                    .configSyntax,
                    "'\(key)' is not a valid key; keys are kebab-case words such as owner-id",
                    location: location))
                continue
            }
            let value: String
            switch stripComment(line[line.index(after: equals)...]) {
            case .success(let text): value = text
            case .failure(let problem):
                errors.append(DNSReconcileError(.configSyntax, "\(key): \(problem.text)", location: location))
                continue
            }
            guard let index = current else {
                if !insideRepeatedSection {
                    errors.append(DNSReconcileError(
                        .configSyntax,
                        "key '\(key)' is outside any section; put it under a header such as [cluster]",
                        location: location))
                }
                continue
            }
            let scopedKey = sections[index].header + " " + key
            if let first = keyLines[scopedKey] {
                errors.append(DNSReconcileError(
                    .configDuplicateKey,
                    "\(sections[index].header) \(key) is already set at line \(first); keep only one",
                    location: location))
                continue
            }
            keyLines[scopedKey] = lineNumber
            sections[index].entries.append(ConfigEntry(key: key, value: .text(value), location: location))
        }
        return (sections, errors)
    }

    static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_"
            || character == ".")
    }

    /// `[kind]` or `[kind "name"]` (with `\"` and `\\` escapes in the name), optionally followed
    /// by a comment.
    static func parseHeader(_ line: String) -> (kind: String, name: String?)? {
        var rest = Substring(line.dropFirst())
        rest = rest.drop { $0 == " " || $0 == "\t" }
        let kind = rest.prefix { $0 != " " && $0 != "\t" && $0 != "\"" && $0 != "]" }
        guard !kind.isEmpty, kind.allSatisfy(isKeyCharacter) else { return nil }
        rest = rest.dropFirst(kind.count).drop { $0 == " " || $0 == "\t" }
        var name: String?
        if rest.first == "\"" {
            rest = rest.dropFirst()
            var text = ""
            var closed = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if character == "\\" {
                    guard let next = rest.first, next == "\"" || next == "\\" else { return nil }
                    text.append(next)
                    rest = rest.dropFirst()
                } else if character == "\"" {
                    closed = true
                    break
                } else {
                    text.append(character)
                }
            }
            guard closed, !text.isEmpty else { return nil }
            name = text
            rest = rest.drop { $0 == " " || $0 == "\t" }
        }
        guard rest.first == "]" else { return nil }
        let tail = ConfigText.trim(rest.dropFirst())
        guard tail.isEmpty || tail.hasPrefix("#") || tail.hasPrefix(";") else { return nil }
        return (String(kind), name)
    }

    /// The value without its inline comment, trimmed; fails on an unterminated quote or an
    /// escape other than `\"` and `\\` inside quotes.
    static func stripComment(_ raw: Substring) -> Result<String, ConfigValueProblem> {
        var quoted = false
        var escaped = false
        var previousIsSpace = true  // a comment sign right after `=` starts a comment too
        var end = raw.endIndex
        for index in raw.indices {
            let character = raw[index]
            if escaped {
                guard character == "\"" || character == "\\" else {
                    return .failure(ConfigValueProblem(
                        text: "'\\\(character)' is not an escape inside double quotes; only \\\" and \\\\ are"))
                }
                escaped = false
            } else if quoted {
                if character == "\\" { escaped = true } else if character == "\"" { quoted = false }
            } else if character == "\"" {
                quoted = true
            } else if (character == "#" || character == ";") && previousIsSpace {
                end = index
                break
            }
            previousIsSpace = character == " " || character == "\t"
        }
        if quoted || escaped {
            return .failure(ConfigValueProblem(text: "a double quote is not closed; close it or escape it as \\\""))
        }
        return .success(ConfigText.trim(raw[..<end]))
    }
}
