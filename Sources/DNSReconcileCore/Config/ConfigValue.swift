/// A configuration value as it was written, before the schema gives it a type.
///
/// INI values stay as text because only the key's type says whether a comma separates list
/// items; the typed accessors of `ConfigSection` decode them. JSON values keep their JSON type so
/// that `"ttl": true` can be refused while `"ttl": 60` and `"ttl": "1m"` are accepted.
public enum ConfigValue: Hashable, Sendable {
    /// INI text after `=`: comment removed, trimmed, double quotes still in place.
    case text(String)
    /// A JSON string, already unescaped.
    case string(String)
    /// A JSON array of strings (numbers and booleans in it are kept as their JSON text).
    case list([String])
    /// A JSON number, as written.
    case number(String)
    /// A JSON boolean.
    case bool(Bool)
    /// JSON `null`: the same as an empty INI value (the key's default applies).
    case null

    /// True for the values that mean "not set": an empty INI value, `""`, `[]` and `null`.
    public var isEmpty: Bool {
        switch self {
        case .text(let text): text.isEmpty || text == "\"\""
        case .string(let text): text.isEmpty
        case .list(let items): items.isEmpty
        case .number, .bool: false
        case .null: true
        }
    }

    /// The value as a user would recognise it in a message.
    public var displayText: String {
        switch self {
        case .text(let text): text
        case .string(let text): "\"\(text)\""
        case .list(let items): "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        }
    }
}
