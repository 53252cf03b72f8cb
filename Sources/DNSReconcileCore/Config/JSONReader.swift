/// A small strict JSON parser (RFC 8259) that keeps line numbers and reports duplicate keys,
/// which Foundation's JSONSerialization silently resolves.
///
/// It reads the bytes of a buffer it does not own: use it only inside the closure that lends
/// the buffer (`String.withUTF8`). Besides whole values, it can walk an object member by
/// member (`readObject`), so that a caller can handle each member's value as soon as it is read.
struct JSONReader {
    /// A parsed JSON value with the line it starts on.
    struct Node {
        indirect enum Value {
            case object([Member])
            case array([Node])
            case string(String)
            case number(String)
            case bool(Bool)
            case null
        }
        var value: Value
        var line: Int
    }

    struct Member {
        var key: String
        var line: Int
        var node: Node
    }

    /// A syntax error: where and what.
    struct SyntaxError: Error {
        var line: Int
        var column: Int
        var message: String
    }

    /// A key written twice in one object; the first one is kept.
    struct DuplicateKey {
        var path: [String]
        var line: Int
        var firstLine: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// The line of the next byte.
    private(set) var line = 1
    private var lineStart = 0
    private var path: [String] = []
    private(set) var duplicates: [DuplicateKey] = []

    /// Nesting deeper than this is refused rather than risking the stack.
    private static let maxDepth = 64

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        // A UTF-8 byte order mark is tolerated, as many editors write one.
        self.bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: bytes.dropFirst(3)) : bytes
    }

    /// Reads one JSON document whose value `readRoot` reads (with `parseValue` or `readObject`);
    /// duplicate keys are collected in `duplicates`.
    mutating func parseDocument(_ readRoot: (inout JSONReader) throws(SyntaxError) -> Void) throws(SyntaxError) {
        skipWhitespace()
        try readRoot(&self)
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected text after the end of the JSON document") }
    }

    /// The first byte of the value that starts here, after the checks every value gets.
    mutating func valueStart(depth: Int) throws(SyntaxError) -> UInt8 {
        guard depth < JSONReader.maxDepth else { throw error("nesting is deeper than \(JSONReader.maxDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end of the document; a value is missing") }
        return bytes[index]
    }

    mutating func parseValue(depth: Int) throws(SyntaxError) -> Node {
        let startLine = line
        switch try valueStart(depth: depth) {
        case UInt8(ascii: "{"): return Node(value: try parseObject(depth: depth), line: startLine)
        case UInt8(ascii: "["): return Node(value: try parseArray(depth: depth), line: startLine)
        case UInt8(ascii: "\""): return Node(value: .string(try parseString()), line: startLine)
        case UInt8(ascii: "t"): try expectWord("true"); return Node(value: .bool(true), line: startLine)
        case UInt8(ascii: "f"): try expectWord("false"); return Node(value: .bool(false), line: startLine)
        case UInt8(ascii: "n"): try expectWord("null"); return Node(value: .null, line: startLine)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return Node(value: .number(try parseNumber()), line: startLine)
        default:
            throw error("unexpected '\(character(at: index))'; expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func parseObject(depth: Int) throws(SyntaxError) -> Node.Value {
        var members: [Member] = []
        try readObject(depth: depth) { reader, key, keyLine, repeated throws(SyntaxError) in
            let node = try reader.parseValue(depth: depth + 1)
            if !repeated { members.append(Member(key: key, line: keyLine, node: node)) }
        }
        return .object(members)
    }

    /// Reads the object that starts here (`valueStart` said `{`) member by member: `readMember`
    /// gets each key, its line and whether the object already had it (a repeat is recorded in
    /// `duplicates` once its value is read), and must read the value, at `depth + 1`.
    mutating func readObject(
        depth: Int,
        _ readMember: (inout JSONReader, _ key: String, _ line: Int, _ repeated: Bool) throws(SyntaxError) -> Void
    ) throws(SyntaxError) {
        index += 1
        // The keys seen, by where they start (the endpoint object of a large cluster has 50,000).
        var seen = FirstLineTable()
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw error("expected a key in double quotes") }
            let keyLine = line
            let keyStart = index
            let key = try parseString()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw error("expected ':' after the key \"\(key)\"") }
            index += 1
            skipWhitespace()
            path.append(key)
            let firstLine = seen.firstLine(hash: key.hashValue, position: keyStart, line: keyLine) { string(at: $0) == key }
            try readMember(&self, key, keyLine, firstLine != nil)
            if let firstLine { duplicates.append(DuplicateKey(path: path, line: keyLine, firstLine: firstLine)) }
            path.removeLast()
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                skipWhitespace()
                if peek(UInt8(ascii: "}")) { throw error("a comma before '}' is not allowed in JSON") }
                continue
            }
            if peek(UInt8(ascii: "}")) {
                index += 1
                return
            }
            throw error("expected ',' or '}' after the value of \"\(key)\"")
        }
    }

    private mutating func parseArray(depth: Int) throws(SyntaxError) -> Node.Value {
        index += 1
        var items: [Node] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            path.append("[\(items.count)]")
            items.append(try parseValue(depth: depth + 1))
            path.removeLast()
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                skipWhitespace()
                if peek(UInt8(ascii: "]")) { throw error("a comma before ']' is not allowed in JSON") }
                continue
            }
            if peek(UInt8(ascii: "]")) {
                index += 1
                return .array(items)
            }
            throw error("expected ',' or ']' in the array")
        }
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        // Most strings have no escape: they are their bytes up to the closing quote.
        var end = index + 1
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end]), as: UTF8.self)
                index = end + 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            end += 1
        }
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                              bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("a \\u escape of a high surrogate must be followed by a low surrogate")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw error("a lone low surrogate is not a character")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                    scalars.append(scalar)
                default:
                    index -= 1
                    throw error("'\\\(character(at: index))' is not a JSON escape")
                }
            case 0x00..<0x20:
                throw error(byte == 0x0A ? "a string is not closed before the end of the line"
                                         : "control characters must be escaped in strings")
            default:
                raw.append(byte)
                index += 1
            }
        }
        throw error("a string is not closed before the end of the document")
    }

    /// The string that starts at `position`, read again.
    private func string(at position: Int) -> String? {
        var reader = self
        reader.index = position
        return try? reader.parseString()
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(SyntaxError) -> String {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        if peek(UInt8(ascii: "0")) {
            index += 1
        } else if digitCount() == 0 {
            throw error("a number needs digits")
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard digitCount() > 0 else { throw error("a number needs digits after '.'") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard digitCount() > 0 else { throw error("a number needs digits in its exponent") }
        }
        if index < bytes.count, isDigit(bytes[index]) { throw error("numbers must not have leading zeros") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func digitCount() -> Int {
        let start = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index - start
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func expectWord(_ word: String) throws(SyntaxError) {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
            throw error("unexpected '\(character(at: index))'; expected a value (strings need double quotes)")
        }
        index += expected.count
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private func character(at position: Int) -> String {
        guard position < bytes.count else { return "end of document" }
        let byte = bytes[position]
        return byte < 0x80 ? String(UnicodeScalar(byte)) : "non-ASCII byte"
    }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(line: line, column: index - lineStart + 1, message: message)
    }
}
