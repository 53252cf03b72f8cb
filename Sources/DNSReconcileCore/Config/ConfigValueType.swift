/// The type of a configuration key, which says how its text is read and which form is accepted.
public enum ConfigValueType: Hashable, Sendable {
    /// Any text; double quotes group and are removed.
    case string
    /// Comma-separated (INI) or a JSON array.
    case list
    /// `true/false/yes/no/on/off/1/0`.
    case bool
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// A decimal number in the range.
    case number(ClosedRange<Double>)
    /// Seconds (`90`) or a duration (`90s`, `5m`, `1h`, `1m30s`), in the range of seconds.
    case duration(ClosedRange<Double>)
    /// One of these words, matched case-insensitively and returned as spelled here.
    case choice([String])
    /// A list whose every item is one of these words.
    case choiceList([String])

    /// The accepted form, as said in messages and in the man page.
    public var acceptedForm: String {
        switch self {
        case .string: "a string"
        case .list: "a comma-separated list"
        case .bool: "true or false (also yes/no, on/off, 1/0)"
        case .integer(let range):
            "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .number(let range):
            "a number from \(ConfigValueType.format(range.lowerBound)) to \(ConfigValueType.format(range.upperBound))"
        case .duration(let range):
            "seconds (90) or a duration (90s, 5m, 1h, 1m30s) from \(ConfigValueType.format(range.lowerBound))"
                + " to \(ConfigValueType.format(range.upperBound)) seconds"
        case .choice(let words): "one of " + words.joined(separator: ", ")
        case .choiceList(let words): "a comma-separated list of " + words.joined(separator: ", ")
        }
    }

    /// A short type name for the man page (`bool`, `integer`, `duration`, …).
    public var name: String {
        switch self {
        case .string: "string"
        case .list: "list"
        case .bool: "bool"
        case .integer: "integer"
        case .number: "number"
        case .duration: "duration"
        case .choice: "choice"
        case .choiceList: "list"
        }
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
