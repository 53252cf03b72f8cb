/// One key of a configuration section: its type, default and meaning.
public struct ConfigKeySchema: Hashable, Sendable {
    public var name: String
    public var type: ConfigValueType
    /// The default as INI text, parsed like a written value when the key is absent; nil: unset.
    public var defaultValue: String?
    /// What the key does (one line), for the man page and `check-config` messages.
    public var summary: String
    /// A key that must be given (not counting conditional requirements such as owner-id).
    public var required: Bool
    /// Where the key may be written.
    public var scope: ConfigScope

    public init(_ name: String, _ type: ConfigValueType, default defaultValue: String? = nil, required: Bool = false,
                scope: ConfigScope = .any, _ summary: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.summary = summary
        self.required = required
        self.scope = scope
    }
}
