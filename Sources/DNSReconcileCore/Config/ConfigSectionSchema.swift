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
    public var keys: [ConfigKeySchema]

    public init(kind: String, naming: Naming = .none, scope: ConfigScope = .any, summary: String,
                keys: [ConfigKeySchema]) {
        self.kind = kind
        self.naming = naming
        self.scope = scope
        self.summary = summary
        self.keys = keys
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
        keys.first { $0.name == name }
    }
}
