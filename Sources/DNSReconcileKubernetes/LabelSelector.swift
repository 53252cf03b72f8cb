/// A Kubernetes label selector (`app=web,tier in (a, b),!canary`), parsed and matched locally.
///
/// `label-selector` is also sent to the API server as written, which matches it the same way;
/// `annotation-filter` (ExternalDNS's `--annotation-filter`) and the manifest source match it
/// here. The syntax is the API server's: comma-separated requirements `key`, `!key`,
/// `key=value`, `key==value`, `key!=value`, `key in (v1, v2)`, `key notin (v1, v2)`,
/// `key > n`, `key < n`. A `!=` or `notin` also matches when the key is absent.
public struct LabelSelector: Hashable, Sendable, CustomStringConvertible {
    enum Operator: Hashable, Sendable {
        case exists, notExists, equals, notEquals, `in`, notIn, greaterThan, lessThan
    }

    struct Requirement: Hashable, Sendable {
        var key: String
        var op: Operator
        var values: [String]
    }

    let requirements: [Requirement]
    /// The selector as written.
    public let text: String

    public var description: String { text }

    /// An empty selector matches everything.
    public var isEmpty: Bool { requirements.isEmpty }

    public init(parsing text: String) throws(LabelSelectorError) {
        var parser = Parser(text)
        requirements = try parser.parse()
        self.text = text
    }

    /// A selector for a map of labels (a Service's `spec.selector`): every key equal.
    init(matching labels: [String: String]) {
        requirements = labels.sorted { $0.key < $1.key }.map { Requirement(key: $0.key, op: .equals, values: [$0.value]) }
        text = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            let value = labels[requirement.key]
            switch requirement.op {
            case .exists: return value != nil
            case .notExists: return value == nil
            case .equals, .in: return value.map { requirement.values.contains($0) } ?? false
            case .notEquals, .notIn: return value.map { !requirement.values.contains($0) } ?? true
            case .greaterThan, .lessThan:
                guard let value, let number = Int(value), let bound = Int(requirement.values[0]) else { return false }
                return requirement.op == .greaterThan ? number > bound : number < bound
            }
        }
    }

    /// The keys the selector tests (for the `ingress-class` / annotation filter clash check).
    var keys: [String] { requirements.map(\.key) }

    private struct Parser {
        let characters: [Character]
        var index = 0

        init(_ text: String) { characters = Array(text) }

        mutating func parse() throws(LabelSelectorError) -> [Requirement] {
            var result: [Requirement] = []
            skipSpaces()
            if index == characters.count { return result }
            while true {
                result.append(try requirement())
                skipSpaces()
                if index == characters.count { return result }
                guard characters[index] == "," else { throw error("expected ',' between requirements") }
                index += 1
            }
        }

        private mutating func requirement() throws(LabelSelectorError) -> Requirement {
            skipSpaces()
            if peek("!") {
                index += 1
                skipSpaces()
                return Requirement(key: try key(), op: .notExists, values: [])
            }
            let name = try key()
            skipSpaces()
            if index == characters.count || characters[index] == "," {
                return Requirement(key: name, op: .exists, values: [])
            }
            if peek("==") { index += 2; return Requirement(key: name, op: .equals, values: [try value()]) }
            if peek("!=") { index += 2; return Requirement(key: name, op: .notEquals, values: [try value()]) }
            if peek("=") { index += 1; return Requirement(key: name, op: .equals, values: [try value()]) }
            if peek(">") || peek("<") {
                let op: Operator = peek(">") ? .greaterThan : .lessThan
                index += 1
                let bound = try value()
                guard Int(bound) != nil else { throw error("'\(bound)' after > or < must be a whole number") }
                return Requirement(key: name, op: op, values: [bound])
            }
            let word = self.word()
            switch word {
            case "in": return Requirement(key: name, op: .in, values: try set())
            case "notin": return Requirement(key: name, op: .notIn, values: try set())
            default:
                throw error("expected =, ==, !=, in, notin, >, < or ',' after '\(name)'")
            }
        }

        /// `(a, b, c)`.
        private mutating func set() throws(LabelSelectorError) -> [String] {
            skipSpaces()
            guard peek("(") else { throw error("expected '(' to start a set of values") }
            index += 1
            var values: [String] = []
            while true {
                skipSpaces()
                if peek(")") && values.isEmpty { throw error("a set of values may not be empty") }
                values.append(try value())
                skipSpaces()
                if peek(")") { index += 1; return values }
                guard peek(",") else { throw error("expected ',' or ')' in a set of values") }
                index += 1
            }
        }

        private mutating func key() throws(LabelSelectorError) -> String {
            let name = word()
            guard !name.isEmpty else { throw error("expected a key") }
            guard Self.isValidKey(name) else {
                throw error("'\(name)' is not a valid key ([prefix/]name: letters, digits, '-', '_', '.')")
            }
            return name
        }

        private mutating func value() throws(LabelSelectorError) -> String {
            skipSpaces()
            let text = word()
            guard text.count <= 63, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw error("'\(text)' is not a valid value (at most 63 letters, digits, '-', '_', '.')")
            }
            return text
        }

        /// The next run of characters up to a space or an operator.
        private mutating func word() -> String {
            let start = index
            while index < characters.count, !" \t,=!<>()".contains(characters[index]) { index += 1 }
            return String(characters[start..<index])
        }

        private mutating func skipSpaces() {
            while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        }

        private func peek(_ text: String) -> Bool {
            let wanted = Array(text)
            guard index + wanted.count <= characters.count else { return false }
            return Array(characters[index..<index + wanted.count]) == wanted
        }

        private func error(_ message: String) -> LabelSelectorError {
            LabelSelectorError(message: message, position: index + 1)
        }

        static func isValidKey(_ key: String) -> Bool {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let name = parts.last, (1...63).contains(name.count) else { return false }
            let nameOK = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
            guard parts.count == 2 else { return nameOK }
            let prefix = parts[0]
            return nameOK && (1...253).contains(prefix.count)
                && prefix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.".contains($0)) }
        }
    }
}

/// A selector that does not parse: what is wrong and at which character (1-based).
public struct LabelSelectorError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var position: Int
    public var description: String { "\(message) (at character \(position))" }
}
