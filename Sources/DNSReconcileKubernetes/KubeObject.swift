import DNSReconcileCore

/// The metadata every Kubernetes object the sources read shares, with the object itself kept
/// for `fqdn-template`.
struct KubeObject: Hashable, Sendable {
    /// `Service`, `Ingress`, `Node`, `Pod`.
    var kind: String
    var apiVersion: String
    var name: String
    /// Empty for cluster-scoped objects (nodes).
    var namespace: String
    var labels: [String: String]
    var annotations: [String: String]
    var deleted: Bool
    /// The whole object as read (API JSON or manifest YAML).
    var raw: YAMLValue
    /// The manifest file and line it came from; nil for objects read from an API server.
    var origin: SourceLocation?

    /// ExternalDNS's `resource` label: `ingress/<namespace>/<name>`.
    var resource: String { "\(kind.lowercased())/\(namespace)/\(name)" }

    /// Reads the metadata of `value`. `kind` is the kind the caller expects (list items from the
    /// API server carry no `kind` of their own); `defaultNamespace` is what an object without
    /// `metadata.namespace` gets (`default` in a manifest, as `kubectl apply` gives it).
    init(_ value: YAMLValue, kind: String, defaultNamespace: String, origin: SourceLocation?)
        throws(KubeDecodingError) {
        let reader = FieldReader(value)
        let metadata = try reader.object("metadata")
        self.kind = kind
        apiVersion = try reader.string("apiVersion") ?? ""
        name = try metadata.string("name") ?? ""
        guard !name.isEmpty else { throw KubeDecodingError(path: "metadata.name", problem: "is missing") }
        namespace = try metadata.string("namespace") ?? defaultNamespace
        labels = try metadata.stringMap("labels")
        annotations = try metadata.stringMap("annotations")
        deleted = try metadata.string("deletionTimestamp") != nil
        raw = value
        self.origin = origin
    }
}
