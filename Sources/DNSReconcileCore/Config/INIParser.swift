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
        // Keys of the section receiving keys (a repeated section receives none).
        var keyLines: [String: Int] = [:]
        var sectionLines: [String: Int] = [:]

        // Lines end at "\n", "\r\n" or "\r". Split and trimmed byte-wise: a cluster file of
        // 50,000 endpoints is 200,000 lines, and Character-wise splitting dominated loading it.
        for (offset, rawLine) in lines(of: text).enumerated() {
            let lineNumber = offset + 1
            let line = trimmed(rawLine)
            if line.isEmpty { continue }
            let first = line.utf8.first
            if first == UInt8(ascii: "#") || first == UInt8(ascii: ";") { continue }
            let location = SourceLocation(file: file, line: lineNumber)

            if line.hasPrefix("[") {
                guard let (kind, name) = parseHeader(String(line)) else {
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
                keyLines.removeAll(keepingCapacity: true)
                continue
            }

            guard let equals = line.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                errors.append(DNSReconcileError(
                    .configSyntax,
                    "'\(line)' is neither key = value, a [section] header nor a comment (# or ;)",
                    location: location))
                continue
            }
            let key = String(trimmed(line[..<equals]))
            guard !key.isEmpty, key.utf8.allSatisfy(isKeyByte) else {
                errors.append(DNSReconcileError(
                    .configSyntax,
                    "'\(key)' is not a valid key; keys are kebab-case words such as owner-id",
                    location: location))
                continue
            }
            let value: String
            switch stripComment(line[line.utf8.index(after: equals)...]) {
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
            if let first = keyLines[key] {
                errors.append(DNSReconcileError(
                    .configDuplicateKey,
                    "\(sections[index].header) \(key) is already set at line \(first); keep only one",
                    location: location))
                continue
            }
            keyLines[key] = lineNumber
            sections[index].entries.append(ConfigEntry(key: key, value: .text(value), location: location))
        }
        return (sections, errors)
    }

    static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_"
            || character == ".")
    }

    /// `isKeyCharacter` for one byte of UTF-8 (a multi-byte character is never a key character).
    static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    /// The lines of `text` as substrings, split at "\n", "\r\n" and "\r".
    static func lines(of text: String) -> [Substring] {
        var result: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                result.append(text[start..<index])
                var next = bytes.index(after: index)
                if byte == UInt8(ascii: "\r"), next != bytes.endIndex, bytes[next] == UInt8(ascii: "\n") {
                    next = bytes.index(after: next)
                }
                start = next
                index = next
            } else {
                index = bytes.index(after: index)
            }
        }
        result.append(text[start..<bytes.endIndex])
        return result
    }

    /// `text` without leading and trailing spaces, tabs and line breaks (as `ConfigText.trim`).
    static func trimmed(_ text: Substring) -> Substring {
        let bytes = text.utf8
        func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
        }
        var start = bytes.startIndex, end = bytes.endIndex
        while start != end, isSpace(bytes[start]) { start = bytes.index(after: start) }
        while end != start, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return text[start..<end]
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
        // Byte-wise: every character that matters is ASCII, and a byte of a multi-byte
        // character is never one of them.
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        for index in raw.utf8.indices {
            let byte = raw.utf8[index]
            if escaped {
                guard byte == quote || byte == backslash else {
                    let character = raw[index...].first.map(String.init) ?? ""
                    return .failure(ConfigValueProblem(
                        text: "'\\\(character)' is not an escape inside double quotes; only \\\" and \\\\ are"))
                }
                escaped = false
            } else if quoted {
                if byte == backslash { escaped = true } else if byte == quote { quoted = false }
            } else if byte == quote {
                quoted = true
            } else if (byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";")) && previousIsSpace {
                end = index
                break
            }
            previousIsSpace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
        }
        if quoted || escaped {
            return .failure(ConfigValueProblem(text: "a double quote is not closed; close it or escape it as \\\""))
        }
        return .success(String(trimmed(raw[..<end])))
    }
}
