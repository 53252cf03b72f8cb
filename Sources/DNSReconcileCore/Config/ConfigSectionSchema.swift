/// One section of the configuration schema: `[kind]`, `[kind "plugin"]` or `[kind "id"]`.
public struct ConfigSectionSchema: Hashable, Sendable {
    /// How the section is named.
    public enum Naming: Hashable, Sendable {
        /// `[registry]`: no name.
        case none
        /// `[source "kubernetes"]`: this plugin name.
        case plugin(String)
        /// `[endpoint "web"]`: a free id chosen by the user.
        case id
    }

    public var kind: String
    public var naming: Naming
    public var scope: ConfigScope
    public var summary: String
    public var keys: [ConfigKeySchema] {
        didSet {
            keyIndex = Self.index(keys)
            keysWithDefaults = Self.defaulted(keys)
            requiredKeys = keys.filter(\.required)
        }
    }
    /// Position of each key by name: every endpoint section asks for some 30 keys, and a
    /// linear search over 30 names per ask made loading 50,000 endpoints take seconds.
    private var keyIndex: [String: Int]
    /// The names of the keys that have a default (a few per section), so that asking for an
    /// absent key without one needs no lookup.
    private var keysWithDefaults: [String]
    /// The keys a section must set (checked for every section read).
    private(set) var requiredKeys: [ConfigKeySchema]

    public init(kind: String, naming: Naming = .none, scope: ConfigScope = .any, summary: String,
                keys: [ConfigKeySchema]) {
        self.kind = kind
        self.naming = naming
        self.scope = scope
        self.summary = summary
        self.keys = keys
        self.keyIndex = Self.index(keys)
        self.keysWithDefaults = Self.defaulted(keys)
        self.requiredKeys = keys.filter(\.required)
    }

    private static func defaulted(_ keys: [ConfigKeySchema]) -> [String] {
        keys.filter { $0.defaultValue != nil }.map(\.name)
    }

    /// True when `name` is a key with a default value.
    func hasDefault(_ name: String) -> Bool {
        keysWithDefaults.contains(name)
    }

    private static func index(_ keys: [ConfigKeySchema]) -> [String: Int] {
        var index: [String: Int] = [:]
        // The first of a repeated name wins, as the linear search did.
        for (position, key) in keys.enumerated() where index[key.name] == nil { index[key.name] = position }
        return index
    }

    /// The header as the man page shows it: `[cluster]`, `[source "kubernetes"]`, `[endpoint "ID"]`.
    public var header: String {
        switch naming {
        case .none: "[\(kind)]"
        case .plugin(let name): "[\(kind) \"\(name)\"]"
        case .id: "[\(kind) \"ID\"]"
        }
    }

    public func key(_ name: String) -> ConfigKeySchema? {
        keyIndex[name].map { keys[$0] }
    }

    /// The position of key `name` in `keys` (read fields of `keys[position]` without copying
    /// the whole key schema).
    func position(of name: String) -> Int? {
        keyIndex[name]
    }
}
