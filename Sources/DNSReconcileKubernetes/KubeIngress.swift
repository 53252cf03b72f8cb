/// The fields of an Ingress that ExternalDNS derives endpoints from (the same in
/// `networking.k8s.io/v1`, its `v1beta1` and `extensions/v1beta1`).
struct KubeIngress: Hashable, Sendable {
    var object: KubeObject
    /// `spec.ingressClassName`; nil or empty when the class comes from the annotation.
    var className: String?
    var ruleHosts: [String]
    var tlsHosts: [String]
    var loadBalancer: [LoadBalancerIngress]

    /// The legacy class annotation, read when `spec.ingressClassName` is empty.
    static let classAnnotation = "kubernetes.io/ingress.class"

    init(_ object: KubeObject) throws(KubeDecodingError) {
        self.object = object
        let reader = FieldReader(object.raw)
        let spec = try reader.object("spec")
        className = try spec.string("ingressClassName")
        var hosts: [String] = []
        for rule in try spec.objects("rules") {
            if let host = try rule.string("host"), !host.isEmpty { hosts.append(host) }
        }
        ruleHosts = hosts
        var tls: [String] = []
        for entry in try spec.objects("tls") { tls += try entry.strings("hosts").filter { !$0.isEmpty } }
        tlsHosts = tls
        loadBalancer = try LoadBalancerIngress.read(try reader.object("status"))
    }
}
