/// The settings of a Route53 health check (`HealthCheckConfig`), as far as this tool writes or
/// compares them. Fields Route53 reports that are not modelled here are left alone.
public struct HealthCheckConfig: Hashable, Sendable {
    /// Route53's `Type`. It cannot be changed once the check exists.
    public enum Kind: String, Hashable, Sendable {
        case http = "HTTP"
        case https = "HTTPS"
        case httpStringMatch = "HTTP_STR_MATCH"
        case httpsStringMatch = "HTTPS_STR_MATCH"
        case tcp = "TCP"
        /// Healthy when at least `healthThreshold` of `childHealthChecks` are.
        case calculated = "CALCULATED"
        /// Any type this tool never writes (CLOUDWATCH_METRIC, RECOVERY_CONTROL).
        case other = "OTHER"
    }

    public var kind: Kind
    /// The probed address. nil: Route53 resolves `fullyQualifiedDomainName`.
    public var ipAddress: String?
    public var port: Int?
    public var resourcePath: String?
    /// With an IP address: the Host header (and SNI); without: the name probed.
    public var fullyQualifiedDomainName: String?
    public var searchString: String?
    /// 10 or 30 seconds; cannot be changed once the check exists.
    public var requestInterval: Int?
    public var failureThreshold: Int?
    public var enableSNI: Bool?
    /// CALCULATED only.
    public var healthThreshold: Int?
    /// CALCULATED only: ids of the child checks.
    public var childHealthChecks: [String]

    public init(kind: Kind, ipAddress: String? = nil, port: Int? = nil, resourcePath: String? = nil,
                fullyQualifiedDomainName: String? = nil, searchString: String? = nil, requestInterval: Int? = nil,
                failureThreshold: Int? = nil, enableSNI: Bool? = nil, healthThreshold: Int? = nil,
                childHealthChecks: [String] = []) {
        self.kind = kind
        self.ipAddress = ipAddress
        self.port = port
        self.resourcePath = resourcePath
        self.fullyQualifiedDomainName = fullyQualifiedDomainName
        self.searchString = searchString
        self.requestInterval = requestInterval
        self.failureThreshold = failureThreshold
        self.enableSNI = enableSNI
        self.healthThreshold = healthThreshold
        self.childHealthChecks = childHealthChecks
    }
}

/// A Route53 health check as listed.
public struct HealthCheck: Hashable, Sendable {
    /// The bare id (a UUID).
    public var id: String
    /// Set once at creation; this tool encodes its ownership in it.
    public var callerReference: String
    /// `HealthCheckVersion`, sent back with an update for optimistic locking.
    public var version: Int
    public var config: HealthCheckConfig

    public init(id: String, callerReference: String, version: Int = 1, config: HealthCheckConfig) {
        self.id = id
        self.callerReference = callerReference
        self.version = version
        self.config = config
    }
}

/// The Route53 health-check operations a pass uses. The Route53 client provides them; pass tests
/// use an in-memory stand-in.
public protocol HealthCheckProvider: AnyObject {
    /// Every health check of the account (all pages).
    func listHealthChecks() throws(DNSReconcileError) -> [HealthCheck]
    /// CreateHealthCheck. Route53 returns the existing check for a repeated reference with the
    /// same settings, so a retried create is safe.
    func createHealthCheck(callerReference: String, config: HealthCheckConfig) throws(DNSReconcileError) -> HealthCheck
    /// UpdateHealthCheck: every updatable field of `config` (not `kind` or `requestInterval`).
    func updateHealthCheck(id: String, version: Int, config: HealthCheckConfig) throws(DNSReconcileError) -> HealthCheck
    /// DeleteHealthCheck. Route53 refuses (`HealthCheckInUse`) while a record set references it.
    func deleteHealthCheck(id: String) throws(DNSReconcileError)
    /// ChangeTagsForResource on `healthcheck/<id>`: adds or replaces these tags.
    func tagHealthCheck(id: String, tags: [String: String]) throws(DNSReconcileError)
}
