import DNSReconcileCore

/// What NodePort Services need besides the Service: the nodes, and for
/// `externalTrafficPolicy: Local` the pods that back it. Asked only when such a Service exists.
protocol ClusterLookup: AnyObject {
    func nodes() throws(DNSReconcileError) -> [KubeNode]
    func pods(in namespace: String, matching selector: [String: String]) throws(DNSReconcileError) -> [KubePod]
}
