/// A kind of object the sources list, and where the API server serves it.
struct KubeResource: Hashable, Sendable {
    var kind: String
    var plural: String
    /// Empty for the core group.
    var group: String
    var version: String
    var namespaced: Bool

    static let services = KubeResource(kind: "Service", plural: "services", group: "", version: "v1", namespaced: true)
    static let ingresses = KubeResource(kind: "Ingress", plural: "ingresses", group: "networking.k8s.io", version: "v1",
                                        namespaced: true)
    static let nodes = KubeResource(kind: "Node", plural: "nodes", group: "", version: "v1", namespaced: false)
    static let pods = KubeResource(kind: "Pod", plural: "pods", group: "", version: "v1", namespaced: true)

    /// `/api/v1` or `/apis/networking.k8s.io/v1`.
    var apiPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// `services` or `ingresses.networking.k8s.io`, as RBAC rules and kubectl name them.
    var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
}
