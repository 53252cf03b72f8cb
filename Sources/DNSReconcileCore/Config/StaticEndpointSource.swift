/// The `endpoint` source: a cluster's static `[endpoint "id"]` sections, already validated
/// when the configuration was loaded, so reading them cannot fail.
public final class StaticEndpointSource: EndpointSource {
    public let kind = "endpoint"
    private let configured: [Endpoint]

    public init(endpoints: [Endpoint]) {
        self.configured = endpoints
    }

    public convenience init(cluster: ClusterConfig) {
        self.init(endpoints: cluster.endpoints)
    }

    /// The configured endpoints, an alias CNAME as its A and AAAA aliases.
    public func endpoints() throws(DNSReconcileError) -> SourceResult {
        SourceResult(endpoints: Endpoint.expandingAliases(configured))
    }
}
