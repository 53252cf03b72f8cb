/// A YAML or JSON document as plain values: the one model for kubeconfig files, manifests and
/// API server responses (JSON is read by the same loader, since JSON is YAML).
///
/// Mapping keys are kept as the text they were written with (`80:` is the key `"80"`), because
/// every mapping Kubernetes uses has string keys.
public indirect enum YAMLValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case sequence([YAMLValue])
    case mapping([String: YAMLValue])

    /// The member `key` of a mapping; nil for a missing key and for any other kind of value.
    public subscript(key: String) -> YAMLValue? {
        if case .mapping(let members) = self { return members[key] }
        return nil
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// What the value is, for messages ("expected a string, found a number").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}
