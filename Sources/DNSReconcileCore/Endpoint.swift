/// A desired DNS endpoint, as a source produced it: one name, one type, its targets and the
/// Route53 options the user asked for. The planner turns it into a `RecordSet`.
public struct Endpoint: Hashable, Sendable {
    public var name: DNSName
    public var type: RecordType
    /// IP addresses for A/AAAA, host names for CNAME (and alias targets), raw values otherwise.
    public var targets: [String]
    /// nil: not configured; the record set gets `Endpoint.defaultTTL` and an existing TTL is kept.
    public var ttl: Int?
    public var setIdentifier: String?
    public var routing: RoutingPolicy
    public var healthCheckID: String?
    /// Set when the endpoint is an alias record (`alias = true`).
    public var alias: AliasOptions?
    /// A Route53 health check the tool should manage for this record set.
    public var healthCheck: HealthCheckSpec?
    /// The ExternalDNS `resource` label of the object that asked for it (`service/ns/name`).
    public var resource: String?
    /// Where it was declared, for messages.
    public var origin: SourceLocation?
    /// Bare id of the hosted zone that must hold the record (`aws-hosted-zone-id`); nil: the
    /// longest matching zone. An endpoint pinned to a zone that is not managed is skipped.
    public var hostedZoneID: String?

    public static let defaultTTL = 300

    public init(name: DNSName, type: RecordType, targets: [String], ttl: Int? = nil, setIdentifier: String? = nil,
                routing: RoutingPolicy = .simple, healthCheckID: String? = nil, alias: AliasOptions? = nil,
                healthCheck: HealthCheckSpec? = nil, resource: String? = nil, origin: SourceLocation? = nil,
                hostedZoneID: String? = nil) {
        self.name = name
        self.type = type
        self.targets = targets
        self.ttl = ttl
        self.setIdentifier = setIdentifier
        self.routing = routing
        self.healthCheckID = healthCheckID
        self.alias = alias
        self.healthCheck = healthCheck
        self.resource = resource
        self.origin = origin
        self.hostedZoneID = hostedZoneID
    }

    public var key: RecordKey { RecordKey(name: name, type: type, setIdentifier: setIdentifier) }
}

/// Alias options of an endpoint; the target is `targets[0]`.
public struct AliasOptions: Hashable, Sendable {
    /// nil: the canonical zone of the target, else the zone that holds the record.
    public var targetHostedZoneID: String?
    /// nil: the `[provider "route53"] evaluate-target-health` default.
    public var evaluateTargetHealth: Bool?
    public init(targetHostedZoneID: String? = nil, evaluateTargetHealth: Bool? = nil) {
        self.targetHostedZoneID = targetHostedZoneID
        self.evaluateTargetHealth = evaluateTargetHealth
    }
}

/// A Route53 health check requested for a record set (`health-check = http` ...).
public struct HealthCheckSpec: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case http, https, tcp }
    public var kind: Kind
    public var port: Int
    public var path: String
    /// Host header / SNI; nil means the record name.
    public var host: String?
    public var searchString: String?
    /// 10 or 30 seconds.
    public var interval: Int
    /// 1...10
    public var failureThreshold: Int

    public init(kind: Kind, port: Int? = nil, path: String = "/", host: String? = nil, searchString: String? = nil,
                interval: Int = 30, failureThreshold: Int = 3) {
        self.kind = kind
        self.port = port ?? (kind == .https ? 443 : 80)
        self.path = path
        self.host = host
        self.searchString = searchString
        self.interval = interval
        self.failureThreshold = failureThreshold
    }
}
