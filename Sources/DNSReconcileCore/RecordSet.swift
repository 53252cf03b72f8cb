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
///
/// A value type stored in one shared, copy-on-write box: a zone of 100,000 sets is copied from
/// the listing into the inventory, the plan's tables and its changes, and each copy costs one
/// reference instead of 170 bytes and eight reference counts. The fields most sets leave unset
/// (set identifier, routing, alias, health check) sit in a second box made only when one is
/// set, so a plain set's box is 80 bytes.
public struct RecordSet: Hashable, Sendable {
    public var name: DNSName {
        get { storage.name }
        _modify { makeUnique(); yield &storage.name }
    }
    public var type: RecordType {
        get { storage.type }
        _modify { makeUnique(); yield &storage.type }
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
    public var ttl: Int? {
        get { storage.ttl }
        _modify { makeUnique(); yield &storage.ttl }
    }
    public var values: [String] {
        get { storage.values }
        _modify { makeUnique(); yield &storage.values }
    }
    public var alias: AliasTarget? {
        get { storage.extras?.alias }
        _modify {
            makeUnique()
            var value = storage.extras?.alias
            defer { storage.extras(creating: value != nil)?.alias = value }
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

    private var storage: Storage

    public init(name: DNSName, type: RecordType, setIdentifier: String? = nil, routing: RoutingPolicy = .simple,
                ttl: Int? = nil, values: [String] = [], alias: AliasTarget? = nil, healthCheckID: String? = nil) {
        let extras = Extras(setIdentifier: setIdentifier, routing: routing, alias: alias, healthCheckID: healthCheckID)
        storage = Storage(name: name, type: type, ttl: ttl, values: values, extras: extras.isEmpty ? nil : extras)
    }

    public var key: RecordKey { RecordKey(name: storage.name, type: storage.type, setIdentifier: storage.extras?.setIdentifier) }

    public static func == (lhs: RecordSet, rhs: RecordSet) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.hasSameFields(as: rhs.storage)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.name)
        hasher.combine(storage.type)
        hasher.combine(setIdentifier)
        hasher.combine(routing)
        hasher.combine(storage.ttl)
        hasher.combine(storage.values)
        hasher.combine(alias)
        hasher.combine(healthCheckID)
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// The fields, without dynamic exclusivity checks (they cost more than the reads): a box
    /// is only ever changed through a `RecordSet` that holds the only reference (`makeUnique`),
    /// and its extras box belongs to it alone (`copy` copies both), so a box reachable from two
    /// values or threads is never written.
    private final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var name: DNSName
        @exclusivity(unchecked) var type: RecordType
        @exclusivity(unchecked) var values: [String]
        @exclusivity(unchecked) var extras: Extras?
        @exclusivity(unchecked) var ttl: Int?

        init(name: DNSName, type: RecordType, ttl: Int?, values: [String], extras: Extras?) {
            self.name = name
            self.type = type
            self.ttl = ttl
            self.values = values
            self.extras = extras
        }

        func copy() -> Storage {
            Storage(name: name, type: type, ttl: ttl, values: values, extras: extras?.copy())
        }

        /// The extras box, made when `creating` and there is none yet.
        func extras(creating: Bool) -> Extras? {
            if extras == nil, creating { extras = Extras() }
            return extras
        }

        func hasSameFields(as other: Storage) -> Bool {
            guard name == other.name, type == other.type, ttl == other.ttl, values == other.values else { return false }
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
        @exclusivity(unchecked) var alias: AliasTarget?
        @exclusivity(unchecked) var healthCheckID: String?

        init(setIdentifier: String? = nil, routing: RoutingPolicy = .simple, alias: AliasTarget? = nil,
             healthCheckID: String? = nil) {
            self.setIdentifier = setIdentifier
            self.routing = routing
            self.alias = alias
            self.healthCheckID = healthCheckID
        }

        var isEmpty: Bool { setIdentifier == nil && routing == .simple && alias == nil && healthCheckID == nil }

        func copy() -> Extras {
            Extras(setIdentifier: setIdentifier, routing: routing, alias: alias, healthCheckID: healthCheckID)
        }

        func hasSameFields(as other: Extras) -> Bool {
            setIdentifier == other.setIdentifier && routing == other.routing && alias == other.alias
                && healthCheckID == other.healthCheckID
        }
    }
}
