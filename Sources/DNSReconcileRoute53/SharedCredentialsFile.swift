/// The sections of an AWS shared credentials file (INI): `[name]` headers, `key = value` lines,
/// `#` and `;` comment lines. Keys are lower-cased, as botocore's parser does. A later duplicate
/// section or key overrides the earlier one.
struct SharedCredentialsFile {
    struct Section {
        var name: String
        var line: Int
        var values: [String: String]
    }

    var sections: [Section] = []

    init(_ text: String) {
        var current: Int?
        var lineNumber = 0
        // Splitting on Character.isNewline also splits CRLF, which Swift keeps as one Character.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = String(rawLine).strippingWhitespace
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { current = nil; continue }
                let name = String(line[line.index(after: line.startIndex)..<close]).strippingWhitespace
                if let existing = sections.firstIndex(where: { $0.name == name }) {
                    current = existing
                } else {
                    sections.append(Section(name: name, line: lineNumber, values: [:]))
                    current = sections.count - 1
                }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).strippingWhitespace.lowercased()
            sections[current].values[key] = Self.stripInlineComment(String(line[line.index(after: equals)...]))
        }
    }

    /// Drops a ` #` or ` ;` comment after a value. Only after whitespace, because key material
    /// never contains whitespace while a bare `;` could in principle be part of a value.
    private static func stripInlineComment(_ value: String) -> String {
        var previousWasSpace = false
        var end = value.endIndex
        for index in value.indices {
            let character = value[index]
            if (character == "#" || character == ";") && previousWasSpace {
                end = index
                break
            }
            previousWasSpace = character == " " || character == "\t"
        }
        return String(value[..<end]).strippingWhitespace
    }
}

extension String {
    /// The string without leading and trailing whitespace (including `\r` from CRLF files).
    var strippingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
