/// A configuration value read with its key's type.
enum TypedConfigValue: Hashable, Sendable {
    case string(String)
    case list([String])
    case bool(Bool)
    case integer(Int)
    case number(Double)
}

/// Why a value does not fit its type, without location (the caller adds it).
struct ConfigValueProblem: Error {
    var text: String
}

extension ConfigValue {
    /// Reads the value as `type`. Empty values are not decoded here: callers treat them as unset.
    func decode(as type: ConfigValueType) throws(ConfigValueProblem) -> TypedConfigValue {
        switch type {
        case .string:
            return .string(try singleText())
        case .list:
            return .list(try listItems())
        case .bool:
            if case .bool(let value) = self { return .bool(value) }
            let text = try scalarText()
            guard let value = ConfigValue.boolWords[text.lowercased()] else { throw ConfigValueProblem(text: text) }
            return .bool(value)
        case .integer(let range):
            let text = try numericText()
            guard let value = Int(text), range.contains(value) else { throw ConfigValueProblem(text: text) }
            return .integer(value)
        case .number(let range):
            let text = try numericText()
            guard let value = Double(text), value.isFinite, range.contains(value) else {
                throw ConfigValueProblem(text: text)
            }
            return .number(value)
        case .duration(let range):
            let text = try numericText()
            guard let value = ConfigValue.parseDuration(text), range.contains(value) else {
                throw ConfigValueProblem(text: text)
            }
            return .number(value)
        case .choice(let words):
            let text = try numericText()
            guard let word = ConfigValue.word(text, in: words) else { throw ConfigValueProblem(text: text) }
            return .string(word)
        case .choiceList(let words):
            var result: [String] = []
            for item in try listItems() {
                guard let word = ConfigValue.word(item, in: words) else { throw ConfigValueProblem(text: item) }
                if !result.contains(word) { result.append(word) }
            }
            return .list(result)
        }
    }

    /// The first of `words` that is `text` ignoring case. ASCII is compared byte-wise, without
    /// lower-casing copies (`aws-region` has some forty words to try).
    static func word(_ text: String, in words: [String]) -> String? {
        let isASCII: (UInt8) -> Bool = { $0 < 0x80 }
        let lowered = ConfigText.allBytes(of: text, isASCII) ? nil : text.lowercased()
        let count = text.utf8.count
        return words.first { word in
            guard lowered == nil, ConfigText.allBytes(of: word, isASCII) else {
                return word.lowercased() == (lowered ?? text.lowercased())
            }
            // Both ASCII: the same length, and the same bytes but for the case of letters.
            return word.utf8.count == count && word.utf8.elementsEqual(text.utf8) { a, b in
                a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
            }
        }
    }

    /// True for INI text without double quotes read as a string or a list, which always
    /// decodes: the validator need not build the value to know it is valid.
    func isPlainText(for type: ConfigValueType) -> Bool {
        guard case .text(let raw) = self else { return false }
        switch type {
        case .string, .list: return !ConfigText.contains(UInt8(ascii: "\""), in: raw)
        default: return false
        }
    }

    static let boolWords: [String: Bool] = [
        "true": true, "yes": true, "on": true, "1": true,
        "false": false, "no": false, "off": false, "0": false,
    ]

    /// One string: INI quotes decoded; JSON strings as they are. Numbers and booleans are not
    /// strings (a JSON `"owner-id": 1` is refused rather than silently turned into text).
    private func singleText() throws(ConfigValueProblem) -> String {
        switch self {
        case .text(let raw): return try ConfigValue.unquote(raw)
        case .string(let text): return text
        case .null: return ""
        case .number(let text): throw ConfigValueProblem(text: text)
        case .bool, .list: throw ConfigValueProblem(text: displayText)
        }
    }

    /// Text of a scalar that may also be a JSON number (integers, durations, choices).
    private func numericText() throws(ConfigValueProblem) -> String {
        if case .number(let text) = self { return text }
        return try scalarText()
    }

    private func scalarText() throws(ConfigValueProblem) -> String {
        switch self {
        case .text(let raw): return try ConfigText.trim(ConfigValue.unquote(raw))
        case .string(let text): return ConfigText.trim(text)
        case .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .null: return ""
        case .list: throw ConfigValueProblem(text: displayText)
        }
    }

    private func listItems() throws(ConfigValueProblem) -> [String] {
        switch self {
        case .text(let raw): return try ConfigValue.splitList(raw)
        case .string(let text):
            return text.split(separator: ",").map { ConfigText.trim($0) }.filter { !$0.isEmpty }
        case .list(let items): return items.map { ConfigText.trim($0) }.filter { !$0.isEmpty }
        case .number(let text): return [text]
        case .null: return []
        case .bool: throw ConfigValueProblem(text: displayText)
        }
    }

    /// Decodes INI text shell-style: double-quoted runs lose their quotes and their `\"` / `\\`
    /// escapes; text outside quotes is taken as written.
    static func unquote(_ raw: String) throws(ConfigValueProblem) -> String {
        // Without a double quote nothing is decoded: the text as written, without a copy.
        if !ConfigText.contains(UInt8(ascii: "\""), in: raw) { return raw }
        if let decoded = raw.utf8.withContiguousStorageIfAvailable({ bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return unquotedASCII(bytes)
        }), let decoded {
            return decoded
        }
        var out = ""
        var quoted = false
        var escaped = false
        for character in raw {
            if escaped {
                guard character == "\"" || character == "\\" else {
                    throw ConfigValueProblem(text: raw)
                }
                out.append(character)
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else {
                out.append(character)
            }
        }
        guard !quoted, !escaped else { throw ConfigValueProblem(text: raw) }
        return out
    }

    /// Splits INI text at commas outside double quotes; items are trimmed, then unquoted, and
    /// empty items are dropped (so `a, b,` is `a`, `b`).
    static func splitList(_ raw: String) throws(ConfigValueProblem) -> [String] {
        // The usual `10.0.0.1, 10.0.0.2`: ASCII (so every comma is a character of its own) and
        // no quotes, so the items are the comma-separated runs, trimmed.
        if let items = raw.utf8.withContiguousStorageIfAvailable(asciiListItems), let items { return items }
        var items: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in raw {
            if escaped {
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == "," && !quoted {
                items.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        items.append(current)
        var result: [String] = []
        for item in items {
            let text = try unquote(ConfigText.trim(item))
            if !text.isEmpty { result.append(text) }
        }
        return result
    }

    /// `splitList` byte-wise, for ASCII text without line breaks (where each byte is a
    /// character); nil for other text, and for an item that does not decode (the general path
    /// says why).
    private static func asciiListItems(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard bytes.allSatisfy({ $0 < 0x80 && $0 != 13 && $0 != 10 }) else { return nil }
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var items: [String] = []
        /// Adds the item in `range`, trimmed and unquoted, unless it is empty.
        func add(_ range: Range<Int>) -> Bool {
            var lower = range.lowerBound, upper = range.upperBound
            while lower < upper, bytes[lower] == 32 || bytes[lower] == 9 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 32 || bytes[upper - 1] == 9 { upper -= 1 }
            let item = UnsafeBufferPointer(rebasing: bytes[lower..<upper])
            guard item.contains(quote) else {
                if !item.isEmpty { items.append(String(decoding: item, as: UTF8.self)) }
                return true
            }
            guard let text = unquotedASCII(item) else { return false }
            if !text.isEmpty { items.append(text) }
            return true
        }
        var start = 0
        var quoted = false
        var escaped = false
        for index in bytes.indices {
            let byte = bytes[index]
            if escaped {
                escaped = false
            } else if quoted && byte == backslash {
                escaped = true
            } else if byte == quote {
                quoted.toggle()
            } else if byte == UInt8(ascii: ",") && !quoted {
                guard add(start..<index) else { return nil }
                start = index + 1
            }
        }
        guard add(start..<bytes.count) else { return nil }
        return items
    }

    /// `unquote` byte-wise, for ASCII text; nil when it does not decode.
    private static func unquotedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var quoted = false
        var escaped = false
        for byte in bytes {
            if escaped {
                guard byte == quote || byte == backslash else { return nil }
                out.append(byte)
                escaped = false
            } else if quoted && byte == backslash {
                escaped = true
            } else if byte == quote {
                quoted.toggle()
            } else {
                out.append(byte)
            }
        }
        guard !quoted, !escaped else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// Seconds from `90`, `1.5`, `90s`, `5m`, `1h`, `1h30m`, `1m30s`, `500ms`; nil when malformed.
    static func parseDuration(_ text: String) -> Double? {
        let text = ConfigText.trim(text)
        if text.isEmpty { return nil }
        if let seconds = Double(text), seconds.isFinite, text.allSatisfy({ $0.isNumber || $0 == "." }) {
            return seconds
        }
        var total = 0.0
        var rest = Substring(text)
        var lastUnitRank = Int.max
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            let rank: Int
            switch unit {
            case "h": (scale, rank) = (3600, 3)
            case "m": (scale, rank) = (60, 2)
            case "s": (scale, rank) = (1, 1)
            case "ms": (scale, rank) = (0.001, 0)
            default: return nil
            }
            // Units must go from large to small, each once: "30s1m" is a typo, not 90 seconds.
            guard rank < lastUnitRank else { return nil }
            lastUnitRank = rank
            total += value * scale
        }
        return total
    }
}
