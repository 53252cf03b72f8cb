/// What an endpoint asks for besides its name, type and targets: the `[endpoint]` keys and
/// annotations `ttl`, `set-identifier`, `aws-*`, `alias` and `health-check*`, checked.
public struct EndpointOptions: Hashable, Sendable {
    public var ttl: Int?
    public var setIdentifier: String?
    public var routing: RoutingPolicy
    public var healthCheckID: String?
    /// Set for an alias endpoint.
    public var alias: AliasOptions?
    public var healthCheck: HealthCheckSpec?
    /// `aws-hosted-zone-id`: the bare id of the zone that must hold the record.
    public var hostedZoneID: String?

    public init(ttl: Int? = nil, setIdentifier: String? = nil, routing: RoutingPolicy = .simple,
                healthCheckID: String? = nil, alias: AliasOptions? = nil, healthCheck: HealthCheckSpec? = nil,
                hostedZoneID: String? = nil) {
        self.ttl = ttl
        self.setIdentifier = setIdentifier
        self.routing = routing
        self.healthCheckID = healthCheckID
        self.alias = alias
        self.healthCheck = healthCheck
        self.hostedZoneID = hostedZoneID
    }

    /// `endpoint` with these options applied.
    public func applied(to endpoint: Endpoint) -> Endpoint {
        var result = endpoint
        result.ttl = ttl
        result.setIdentifier = setIdentifier
        result.routing = routing
        result.healthCheckID = healthCheckID
        result.alias = alias
        result.healthCheck = healthCheck
        result.hostedZoneID = hostedZoneID
        return result
    }
}
