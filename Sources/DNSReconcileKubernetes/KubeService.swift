/// The fields of a Service that ExternalDNS derives endpoints from.
struct KubeService: Hashable, Sendable {
    struct Port: Hashable, Sendable {
        var name: String
        /// `TCP`, `UDP`, `SCTP`; empty when not given (TCP).
        var `protocol`: String
        var nodePort: Int?
    }

    var object: KubeObject
    /// `ClusterIP` (the default), `NodePort`, `LoadBalancer`, `ExternalName`.
    var type: String
    /// An address, `None` for a headless service, or empty.
    var clusterIP: String
    var externalIPs: [String]
    var externalName: String
    var ports: [Port]
    var selector: [String: String]
    /// `Cluster` (the default) or `Local`.
    var externalTrafficPolicy: String
    var loadBalancer: [LoadBalancerIngress]

    init(_ object: KubeObject) throws(KubeDecodingError) {
        self.object = object
        let reader = FieldReader(object.raw)
        let spec = try reader.object("spec")
        type = try spec.string("type") ?? "ClusterIP"
        clusterIP = try spec.string("clusterIP") ?? ""
        externalIPs = try spec.strings("externalIPs")
        externalName = try spec.string("externalName") ?? ""
        ports = []
        for port in try spec.objects("ports") {
            ports.append(Port(name: try port.string("name") ?? "", protocol: try port.string("protocol") ?? "",
                              nodePort: try port.integer("nodePort")))
        }
        selector = try spec.stringMap("selector")
        externalTrafficPolicy = try spec.string("externalTrafficPolicy") ?? "Cluster"
        loadBalancer = try LoadBalancerIngress.read(try reader.object("status"))
    }

    var isHeadless: Bool { clusterIP == "None" }
}
