/// One `status.loadBalancer.ingress[]` entry of a Service or Ingress.
struct LoadBalancerIngress: Hashable, Sendable {
    var ip: String?
    var hostname: String?

    /// Every `ip` and `hostname` of the entries, in order (both when an entry has both).
    static func targets(_ entries: [LoadBalancerIngress]) -> [String] {
        entries.flatMap { [$0.ip, $0.hostname].compactMap { $0 }.filter { !$0.isEmpty } }
    }

    static func read(_ status: FieldReader) throws(KubeDecodingError) -> [LoadBalancerIngress] {
        var entries: [LoadBalancerIngress] = []
        for entry in try status.object("loadBalancer").objects("ingress") {
            entries.append(LoadBalancerIngress(ip: try entry.string("ip"), hostname: try entry.string("hostname")))
        }
        return entries
    }
}
