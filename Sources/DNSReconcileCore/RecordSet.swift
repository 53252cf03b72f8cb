/// The identity of a record set inside a hosted zone: Route53 keys sets by name, type and set
/// identifier.
public struct RecordKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var type: RecordType
    public var setIdentifier: String?

    public init(name: DNSName, type: RecordType, setIdentifier: String? = nil) {
        self.name = name
        self.type = type
        self.setIdentifier = setIdentifier
    }

    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        let order = lhs.name.order(rhs.name)
        if order != 0 { return order < 0 }
        if lhs.type != rhs.type { return lhs.type < rhs.type }
        return (lhs.setIdentifier ?? "") < (rhs.setIdentifier ?? "")
    }

    public var description: String {
        "\(name.fqdn) \(type)" + (setIdentifier.map { " [\($0)]" } ?? "")
    }

    /// The name and type only: keys of one name that differ in set identifier are few, and
    /// hashing the identifier too made every dictionary of a large plan slower.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(type)
    }
}

/// A Route53 resource record set, as read from or written to a hosted zone.
///
/// `values` are the ResourceRecord values in Route53's presentation form (TXT values keep their
/// double quotes). An alias set has `alias` and neither TTL nor values. Sets read from Route53
/// keep every field this tool understands, so a DELETE can echo them back exactly.
public struct RecordSet: Hashable, Sendable {
    public var name: DNSName
    public var type: RecordType
    public var setIdentifier: String?
    public var routing: RoutingPolicy
    public var ttl: Int?
    public var values: [String]
    public var alias: AliasTarget?
    public var healthCheckID: String?

    public init(name: DNSName, type: RecordType, setIdentifier: String? = nil, routing: RoutingPolicy = .simple,
                ttl: Int? = nil, values: [String] = [], alias: AliasTarget? = nil, healthCheckID: String? = nil) {
        self.name = name
        self.type = type
        self.setIdentifier = setIdentifier
        self.routing = routing
        self.ttl = ttl
        self.values = values
        self.alias = alias
        self.healthCheckID = healthCheckID
    }

    public var key: RecordKey { RecordKey(name: name, type: type, setIdentifier: setIdentifier) }
}
