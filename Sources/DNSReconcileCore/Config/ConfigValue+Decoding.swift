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
            guard let word = words.first(where: { $0.lowercased() == text.lowercased() }) else {
                throw ConfigValueProblem(text: text)
            }
            return .string(word)
        case .choiceList(let words):
            var result: [String] = []
            for item in try listItems() {
                guard let word = words.first(where: { $0.lowercased() == item.lowercased() }) else {
                    throw ConfigValueProblem(text: item)
                }
                if !result.contains(word) { result.append(word) }
            }
            return .list(result)
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
        if !raw.utf8.contains(UInt8(ascii: "\"")) { return raw }
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
        if raw.utf8.allSatisfy({ $0 < 128 && $0 != UInt8(ascii: "\"") }) {
            return raw.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                .map { ConfigText.trim(Substring($0)) }.filter { !$0.isEmpty }
        }
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
