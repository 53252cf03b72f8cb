/// A file read a piece at a time, for `INIParser.scan(file:reading:)`.
public protocol ConfigByteSource {
    /// Appends at most `count` more bytes of the file to `buffer`; how many, 0 at its end.
    mutating func read(into buffer: inout [UInt8], count: Int) throws(DNSReconcileError) -> Int
    /// The file's bytes from `offset`, a line start already read, to at least the end of that
    /// line; nil when they cannot be read again.
    func line(at offset: Int) -> [UInt8]?
}

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
        let errors = scan(file: file, text: text) { sections.append($0) }
        return (sections, errors)
    }

    /// `parse`, handing each section to `take` as soon as its last key is read (in file order),
    /// so that a caller turning sections into something smaller never holds all of them: a
    /// cluster file of 50,000 endpoints is 50,000 sections.
    static func scan(file: String, text: String, _ take: (ConfigSection) -> Void) -> [DNSReconcileError] {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = LineScanner(file: file, bytes: bytes)
            return scanner.run(take)
        }
    }

    /// `scan` over a file read a piece at a time: only a piece and the line it ends in are
    /// held, never the whole text (5 MB for a cluster file of 50,000 endpoints). The pieces are
    /// checked as UTF-8 as they come (a byte order mark is dropped); a read error or bytes that
    /// are not UTF-8 fail the whole file, as for `ConfigFileFormat.decode`, and the sections
    /// handed over until then must be dropped.
    public static func scan<Source: ConfigByteSource>(file: String, reading source: inout Source, pieceSize: Int = 1 << 16,
                                                      _ take: (ConfigSection) -> Void)
        -> Result<[DNSReconcileError], DNSReconcileError> {
        var scanner = LineScanner(file: file, bytes: UnsafeBufferPointer(start: nil, count: 0))
        var buffer: [UInt8] = []
        var offset = 0
        var atStart = true
        /// "\n" bytes before `buffer`, to name the line of bytes that are not UTF-8.
        var newlines = 0
        while true {
            let added: Int
            do {
                added = try source.read(into: &buffer, count: max(pieceSize, 1))
            } catch {
                return .failure(error)
            }
            let final = added == 0
            if atStart {
                guard buffer.count >= 3 || final else { continue }
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
                    buffer.removeFirst(3)
                    offset = 3
                }
                atStart = false
            }
            let complete = final ? buffer.count : INIParser.completeLines(in: buffer)
            guard complete > 0 || final else { continue }
            let region = buffer[0..<complete]
            guard String(validating: region, as: UTF8.self) != nil else {
                return .failure(ConfigFileFormat.notUTF8(file: file, bytes: region, linesBefore: newlines))
            }
            newlines += region.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            buffer.withUnsafeBufferPointer { all in
                scanner.bytes = UnsafeBufferPointer(rebasing: all[0..<complete])
                scanner.base = offset
                scanner.lines(final: final, take, reread: { source.line(at: $0) })
                scanner.bytes = UnsafeBufferPointer(start: nil, count: 0)
            }
            if final { break }
            buffer.removeFirst(complete)
            offset += complete
        }
        return .success(scanner.finish(take))
    }

    /// How many bytes of `buffer` are whole lines: up to its last line break, except a "\r"
    /// that ends the buffer (a "\n" may follow it in the next piece).
    static func completeLines(in buffer: [UInt8]) -> Int {
        var end = buffer.count
        if end > 0, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        while end > 0, buffer[end - 1] != UInt8(ascii: "\n"), buffer[end - 1] != UInt8(ascii: "\r") { end -= 1 }
        return end
    }

    /// The state of one scan over the UTF-8 bytes of a file. Every character that the syntax
    /// gives a meaning is ASCII, and no byte of a multi-byte character is ASCII, so lines are
    /// split, trimmed and cut at `=` byte-wise; only the rare non-ASCII header falls back to
    /// reading characters.
    private struct LineScanner {
        let file: String
        /// The text, or the piece of it being read (`scan(file:reading:)`).
        var bytes: UnsafeBufferPointer<UInt8>
        /// The file offset of `bytes`' first byte.
        var base = 0
        var lineNumber = 0
        var errors: [DNSReconcileError] = []
        /// The section receiving keys; nil before the first header or inside a repeated or
        /// broken section (whose keys are dropped after its one error).
        var current: ConfigSection?
        var insideRepeatedSection = false
        /// Line of each section header seen, by kind and name.
        var sectionLines = FirstLineTable()
        /// Line of each key of `current`, kept only for sections with many keys (a short
        /// section's entries are searched instead).
        var keyLines: [String: Int] = [:]

        init(file: String, bytes: UnsafeBufferPointer<UInt8>) {
            self.file = file
            self.bytes = bytes
        }

        mutating func run(_ take: (ConfigSection) -> Void) -> [DNSReconcileError] {
            // Room for every header up front (about one per line that starts with '['): growing
            // the table through 50,000 sections rehashes it again and again.
            var headers = 0
            var previous = UInt8(ascii: "\n")
            for byte in bytes {
                if byte == UInt8(ascii: "["), previous == UInt8(ascii: "\n") || previous == UInt8(ascii: "\r") { headers += 1 }
                previous = byte
            }
            sectionLines.reserveCapacity(headers)
            lines(final: true, take, reread: { _ in nil })
            return finish(take)
        }

        /// Reads the lines of `bytes`, which end at "\n", "\r\n" or "\r". Unless `final`, `bytes`
        /// ends with a line break (`completeLines`) and the empty line after it is not read yet:
        /// the next piece starts with it. `reread` gives the line at a file offset before `base`.
        mutating func lines(final: Bool, _ take: (ConfigSection) -> Void, reread: (Int) -> [UInt8]?) {
            let count = bytes.count
            var start = 0
            while start < count || final {
                var end = start
                while end < count, bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\r") { end += 1 }
                lineNumber += 1
                read(line: start..<end, number: lineNumber, take, reread: reread)
                if end == count { break }
                start = end + 1
                if bytes[end] == UInt8(ascii: "\r"), start < count, bytes[start] == UInt8(ascii: "\n") { start += 1 }
            }
        }

        /// Hands over the last section; the errors of the whole text.
        mutating func finish(_ take: (ConfigSection) -> Void) -> [DNSReconcileError] {
            if let section = current { take(section) }
            current = nil
            return errors
        }

        private func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        /// `range` without leading and trailing spaces and tabs.
        private func trimmed(_ range: Range<Int>) -> Range<Int> {
            var lower = range.lowerBound, upper = range.upperBound
            while lower < upper, isBlank(bytes[lower]) { lower += 1 }
            while upper > lower, isBlank(bytes[upper - 1]) { upper -= 1 }
            return lower..<upper
        }

        private mutating func read(line raw: Range<Int>, number lineNumber: Int, _ take: (ConfigSection) -> Void,
                                   reread: (Int) -> [UInt8]?) {
            let line = trimmed(raw)
            if line.isEmpty { return }
            let first = bytes[line.lowerBound]
            if first == UInt8(ascii: "#") || first == UInt8(ascii: ";") { return }
            let location = SourceLocation(file: file, line: lineNumber)

            if first == UInt8(ascii: "["), startsHeader(line) {
                // Whatever the header says, the section before it has all its keys.
                if let section = current {
                    take(section)
                    current = nil
                }
                guard let (kind, name) = header(line) else {
                    errors.append(DNSReconcileError(
                        .configSyntax,
                        "'\(text(line))' is not a section header; write [kind] or [kind \"name\"], e.g. [registry] or [source \"kubernetes\"]",
                        location: location))
                    insideRepeatedSection = true
                    return
                }
                let section = ConfigSection(kind: kind, name: name, location: location)
                let sectionName = SectionName(kind: kind, name: name)
                // Out of `self` while it is used, as an earlier header is read again from `self`'s bytes.
                var lines = FirstLineTable()
                swap(&lines, &sectionLines)
                let firstLine = lines.firstLine(hash: sectionName.hashValue, position: base + line.lowerBound,
                                                line: lineNumber) {
                    header(lineAt: $0, reread: reread).map { SectionName(kind: $0.kind, name: $0.name) } == sectionName
                }
                swap(&lines, &sectionLines)
                if let firstLine {
                    errors.append(DNSReconcileError(
                        .configDuplicateKey,
                        "section \(section.header) is already defined at line \(firstLine); merge the two into one section",
                        location: location))
                    insideRepeatedSection = true
                    return
                }
                current = section
                // Room for the usual few keys at once, rather than growing the array key by key.
                current?.entries.reserveCapacity(4)
                insideRepeatedSection = false
                keyLines.removeAll(keepingCapacity: true)
                return
            }

            guard let equals = bytes[line].firstIndex(of: UInt8(ascii: "=")) else {
                errors.append(DNSReconcileError(
                    .configSyntax,
                    "'\(text(line))' is neither key = value, a [section] header nor a comment (# or ;)",
                    location: location))
                return
            }
            let keyRange = trimmed(line.lowerBound..<equals)
            let key = text(keyRange)
            guard !keyRange.isEmpty, bytes[keyRange].allSatisfy(INIParser.isKeyByte) else {
                errors.append(DNSReconcileError(
                    .configSyntax,
                    "'\(key)' is not a valid key; keys are kebab-case words such as owner-id",
                    location: location))
                return
            }
            let value: String
            switch valueText(equals + 1..<line.upperBound) {
            case .success(let text): value = text
            case .failure(let problem):
                errors.append(DNSReconcileError(.configSyntax, "\(key): \(problem.text)", location: location))
                return
            }
            guard current != nil else {
                if !insideRepeatedSection {
                    errors.append(DNSReconcileError(
                        .configSyntax,
                        "key '\(key)' is outside any section; put it under a header such as [cluster]",
                        location: location))
                }
                return
            }
            if let firstLine = keyLine(of: key) {
                errors.append(DNSReconcileError(
                    .configDuplicateKey,
                    "\(current?.header ?? "") \(key) is already set at line \(firstLine); keep only one",
                    location: location))
                return
            }
            current?.entries.append(ConfigEntry(key: key, value: .text(value), location: location))
            if let count = current?.entries.count, count > Self.shortSection {
                if keyLines.isEmpty {
                    for entry in current?.entries ?? [] { keyLines[entry.key] = entry.location.line }
                } else {
                    keyLines[key] = lineNumber
                }
            }
        }

        /// Sections with at most this many keys look for a repeated key among their entries.
        private static let shortSection = 16

        /// The line of `current`'s entry for `key`, if it has one.
        private func keyLine(of key: String) -> Int? {
            guard let entries = current?.entries else { return nil }
            if entries.count > Self.shortSection { return keyLines[key] }
            return entries.first { $0.key == key }?.location.line
        }

        /// True when the line's first character is `[` (a combining mark after it makes it
        /// another character, as in the rest of the grammar, which reads characters).
        private func startsHeader(_ line: Range<Int>) -> Bool {
            let next = line.lowerBound + 1
            if next == line.upperBound || bytes[next] < 0x80 { return true }
            return text(line).hasPrefix("[")
        }

        /// The header of the (trimmed) line at file offset `offset`: in `bytes`, or read again
        /// through `reread` when an earlier piece held it.
        private func header(lineAt offset: Int, reread: (Int) -> [UInt8]?) -> (kind: String, name: String?)? {
            if offset >= base { return header(lineStartingAt: offset - base) }
            guard let line = reread(offset) else { return nil }
            return line.withUnsafeBufferPointer { LineScanner(file: file, bytes: $0).header(lineStartingAt: 0) }
        }

        /// The header of the (trimmed) line that starts at `start`.
        private func header(lineStartingAt start: Int) -> (kind: String, name: String?)? {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\r") { end += 1 }
            return header(trimmed(start..<end))
        }

        /// `INIParser.parseHeader`, byte-wise for an ASCII line (where bytes are characters).
        private func header(_ line: Range<Int>) -> (kind: String, name: String?)? {
            guard bytes[line].allSatisfy({ $0 < 0x80 }) else { return INIParser.parseHeader(text(line)) }
            var index = line.lowerBound + 1
            let end = line.upperBound
            func skipBlanks() { while index < end, isBlank(bytes[index]) { index += 1 } }
            skipBlanks()
            let kindStart = index
            while index < end, !isBlank(bytes[index]), bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "]") {
                index += 1
            }
            let kindRange = kindStart..<index
            guard !kindRange.isEmpty, bytes[kindRange].allSatisfy(INIParser.isKeyByte) else { return nil }
            skipBlanks()
            var name: String?
            if index < end, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                var nameBytes: [UInt8] = []
                var closed = false
                while index < end {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "\\") {
                        guard index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "\\") else { return nil }
                        nameBytes.append(bytes[index])
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        nameBytes.append(byte)
                    }
                }
                guard closed, !nameBytes.isEmpty else { return nil }
                name = String(decoding: nameBytes, as: UTF8.self)
                skipBlanks()
            }
            guard index < end, bytes[index] == UInt8(ascii: "]") else { return nil }
            let tail = trimmed(index + 1..<end)
            guard tail.isEmpty || bytes[tail.lowerBound] == UInt8(ascii: "#") || bytes[tail.lowerBound] == UInt8(ascii: ";")
            else { return nil }
            return (text(kindRange), name)
        }

        /// The value after `=` without its inline comment, trimmed; a problem (an unterminated
        /// quote, a bad escape) is described by `INIParser.stripComment`.
        private func valueText(_ raw: Range<Int>) -> Result<String, ConfigValueProblem> {
            switch INIParser.commentStart(in: bytes[raw]) {
            case .success(let end): return .success(text(trimmed(raw.lowerBound..<end)))
            case .failure: return INIParser.stripComment(Substring(text(raw)))
            }
        }
    }

    /// A section's identity for finding repeated headers: the header text, without spelling it.
    private struct SectionName: Hashable {
        var kind: String
        var name: String?
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
        switch commentStart(in: raw.utf8) {
        case .success(let end):
            return .success(String(trimmed(raw[..<end])))
        case .failure(.badEscape(let index)):
            let character = raw[index...].first.map(String.init) ?? ""
            return .failure(ConfigValueProblem(
                text: "'\\\(character)' is not an escape inside double quotes; only \\\" and \\\\ are"))
        case .failure(.unclosedQuote):
            return .failure(ConfigValueProblem(text: "a double quote is not closed; close it or escape it as \\\""))
        }
    }

    /// What keeps a value's comment from being found.
    enum QuoteProblem<Index: Sendable>: Error {
        /// A backslash inside quotes before anything but `"` or `\`: at that character.
        case badEscape(Index)
        case unclosedQuote
    }

    /// Where the inline comment of a value starts (`#` or `;` at the start or after a blank,
    /// outside double quotes), or its end when it has none.
    ///
    /// Byte-wise: every character that matters is ASCII, and a byte of a multi-byte character
    /// is never one of them.
    static func commentStart<Bytes: Collection<UInt8>>(in bytes: Bytes) -> Result<Bytes.Index, QuoteProblem<Bytes.Index>>
        where Bytes.Index: Sendable {
        var quoted = false
        var escaped = false
        var previousIsSpace = true  // a comment sign right after `=` starts a comment too
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        for index in bytes.indices {
            let byte = bytes[index]
            if escaped {
                guard byte == quote || byte == backslash else { return .failure(.badEscape(index)) }
                escaped = false
            } else if quoted {
                if byte == backslash { escaped = true } else if byte == quote { quoted = false }
            } else if byte == quote {
                quoted = true
            } else if (byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";")) && previousIsSpace {
                return .success(index)
            }
            previousIsSpace = isBlank(byte)
        }
        return quoted || escaped ? .failure(.unclosedQuote) : .success(bytes.endIndex)
    }
}

/// A space or a tab, the blanks that INI lines are trimmed of.
private func isBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
}
