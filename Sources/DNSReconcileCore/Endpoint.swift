/// A desired DNS endpoint, as a source produced it: one name, one type, its targets and the
/// Route53 options the user asked for. The planner turns it into a `RecordSet`.
///
/// A value type stored in one shared, copy-on-write box (as `RecordSet`): endpoints are copied
/// from the source into zone assignment and the planner's candidates, 50,000 of them in a
/// large cluster, and each copy costs one reference instead of 350 bytes. The options most
/// endpoints leave unset (routing, alias, health checks, zone pinning) sit in a second box made
/// only when one is set.
public struct Endpoint: Hashable, Sendable {
    public var name: DNSName {
        get { storage.name }
        _modify { makeUnique(); yield &storage.name }
    }
    public var type: RecordType {
        get { storage.type }
        _modify { makeUnique(); yield &storage.type }
    }
    /// IP addresses for A/AAAA, host names for CNAME (and alias targets), raw values otherwise.
    public var targets: [String] {
        get { storage.targets }
        _modify { makeUnique(); yield &storage.targets }
    }
    /// nil: not configured; the record set gets `Endpoint.defaultTTL` and an existing TTL is kept.
    public var ttl: Int? {
        get { storage.ttl }
        _modify { makeUnique(); yield &storage.ttl }
    }
    public var setIdentifier: String? {
        get { storage.extras?.setIdentifier }
        _modify {
            makeUnique()
            var value = storage.extras?.setIdentifier
            defer { storage.extras(creating: value != nil)?.setIdentifier = value }
            yield &value
        }
    }
    public var routing: RoutingPolicy {
        get { storage.extras?.routing ?? .simple }
        _modify {
            makeUnique()
            var value = storage.extras?.routing ?? .simple
            defer { storage.extras(creating: value != .simple)?.routing = value }
            yield &value
        }
    }
    public var healthCheckID: String? {
        get { storage.extras?.healthCheckID }
        _modify {
            makeUnique()
            var value = storage.extras?.healthCheckID
            defer { storage.extras(creating: value != nil)?.healthCheckID = value }
            yield &value
        }
    }
    /// Set when the endpoint is an alias record (`alias = true`).
    public var alias: AliasOptions? {
        get { storage.extras?.alias }
        _modify {
            makeUnique()
            var value = storage.extras?.alias
            defer { storage.extras(creating: value != nil)?.alias = value }
            yield &value
        }
    }
    /// A Route53 health check the tool should manage for this record set.
    public var healthCheck: HealthCheckSpec? {
        get { storage.extras?.healthCheck }
        _modify {
            makeUnique()
            var value = storage.extras?.healthCheck
            defer { storage.extras(creating: value != nil)?.healthCheck = value }
            yield &value
        }
    }
    /// The ExternalDNS `resource` label of the object that asked for it (`service/ns/name`).
    public var resource: String? {
        get { storage.resource }
        _modify { makeUnique(); yield &storage.resource }
    }
    /// Where it was declared, for messages.
    public var origin: SourceLocation? {
        get { storage.origin }
        _modify { makeUnique(); yield &storage.origin }
    }
    /// Bare id of the hosted zone that must hold the record (`aws-hosted-zone-id`); nil: the
    /// longest matching zone. An endpoint pinned to a zone that is not managed is skipped.
    public var hostedZoneID: String? {
        get { storage.extras?.hostedZoneID }
        _modify {
            makeUnique()
            var value = storage.extras?.hostedZoneID
            defer { storage.extras(creating: value != nil)?.hostedZoneID = value }
            yield &value
        }
    }

    private var storage: Storage

    public static let defaultTTL = 300

    public init(name: DNSName, type: RecordType, targets: [String], ttl: Int? = nil, setIdentifier: String? = nil,
                routing: RoutingPolicy = .simple, healthCheckID: String? = nil, alias: AliasOptions? = nil,
                healthCheck: HealthCheckSpec? = nil, resource: String? = nil, origin: SourceLocation? = nil,
                hostedZoneID: String? = nil) {
        let extras = Extras(setIdentifier: setIdentifier, routing: routing, healthCheckID: healthCheckID, alias: alias,
                            healthCheck: healthCheck, hostedZoneID: hostedZoneID)
        storage = Storage(name: name, type: type, targets: targets, ttl: ttl, resource: resource, origin: origin,
                          extras: extras.isEmpty ? nil : extras)
    }

    public var key: RecordKey { RecordKey(name: storage.name, type: storage.type, setIdentifier: storage.extras?.setIdentifier) }

    public static func == (lhs: Endpoint, rhs: Endpoint) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.hasSameFields(as: rhs.storage)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(type)
        hasher.combine(targets)
        hasher.combine(ttl)
        hasher.combine(setIdentifier)
        hasher.combine(routing)
        hasher.combine(healthCheckID)
        hasher.combine(alias)
        hasher.combine(healthCheck)
        hasher.combine(resource)
        hasher.combine(origin)
        hasher.combine(hostedZoneID)
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// The fields, without dynamic exclusivity checks: a box is only ever changed through an
    /// `Endpoint` that holds the only reference (`makeUnique`), and its extras box belongs to it
    /// alone (`copy` copies both), so a box reachable from two values or threads is never written.
    private final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var name: DNSName
        @exclusivity(unchecked) var type: RecordType
        @exclusivity(unchecked) var targets: [String]
        @exclusivity(unchecked) var extras: Extras?
        @exclusivity(unchecked) var ttl: Int?
        @exclusivity(unchecked) var resource: String?
        @exclusivity(unchecked) var origin: SourceLocation?

        init(name: DNSName, type: RecordType, targets: [String], ttl: Int?, resource: String?, origin: SourceLocation?,
             extras: Extras?) {
            self.name = name
            self.type = type
            self.targets = targets
            self.ttl = ttl
            self.resource = resource
            self.origin = origin
            self.extras = extras
        }

        func copy() -> Storage {
            Storage(name: name, type: type, targets: targets, ttl: ttl, resource: resource, origin: origin,
                    extras: extras?.copy())
        }

        /// The extras box, made when `creating` and there is none yet.
        func extras(creating: Bool) -> Extras? {
            if extras == nil, creating { extras = Extras() }
            return extras
        }

        func hasSameFields(as other: Storage) -> Bool {
            guard name == other.name, type == other.type, targets == other.targets, ttl == other.ttl,
                  resource == other.resource, origin == other.origin else { return false }
            switch (extras, other.extras) {
            case (nil, nil): return true
            case let (lhs?, rhs?): return lhs.hasSameFields(as: rhs)
            case let (some?, nil), let (nil, some?): return some.isEmpty
            }
        }
    }

    private final class Extras: @unchecked Sendable {
        @exclusivity(unchecked) var setIdentifier: String?
        @exclusivity(unchecked) var routing: RoutingPolicy
        @exclusivity(unchecked) var healthCheckID: String?
        @exclusivity(unchecked) var alias: AliasOptions?
        @exclusivity(unchecked) var healthCheck: HealthCheckSpec?
        @exclusivity(unchecked) var hostedZoneID: String?

        init(setIdentifier: String? = nil, routing: RoutingPolicy = .simple, healthCheckID: String? = nil,
             alias: AliasOptions? = nil, healthCheck: HealthCheckSpec? = nil, hostedZoneID: String? = nil) {
            self.setIdentifier = setIdentifier
            self.routing = routing
            self.healthCheckID = healthCheckID
            self.alias = alias
            self.healthCheck = healthCheck
            self.hostedZoneID = hostedZoneID
        }

        var isEmpty: Bool {
            setIdentifier == nil && routing == .simple && healthCheckID == nil && alias == nil && healthCheck == nil
                && hostedZoneID == nil
        }

        func copy() -> Extras {
            Extras(setIdentifier: setIdentifier, routing: routing, healthCheckID: healthCheckID, alias: alias,
                   healthCheck: healthCheck, hostedZoneID: hostedZoneID)
        }

        func hasSameFields(as other: Extras) -> Bool {
            setIdentifier == other.setIdentifier && routing == other.routing && healthCheckID == other.healthCheckID
                && alias == other.alias && healthCheck == other.healthCheck && hostedZoneID == other.hostedZoneID
        }
    }
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
