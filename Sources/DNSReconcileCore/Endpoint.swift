/// A desired DNS endpoint, as a source produced it: one name, one type, its targets and the
/// Route53 options the user asked for. The planner turns it into a `RecordSet`.
///
/// A value type held in one compact allocation: a large cluster declares 50,000 endpoints and
/// holds all of them for the whole pass, so each is one block with its text (name, targets,
/// resource label, location) packed as UTF-8 behind a fixed header of 64 bytes, about 140
/// bytes in all instead of five separate allocations of 400. Reading a text field decodes it;
/// writing any field packs the endpoint anew, which only sources and the planner's few
/// rewrites do. The options most endpoints leave unset (routing, alias, health checks, zone
/// pinning) sit in an immutable box made only when one is set.
///
/// `@unchecked Sendable`: a packed block is never written once made (`rewrite` makes a new
/// one), so values and threads that share one only read it.
public struct Endpoint: Hashable, @unchecked Sendable {
    public var name: DNSName {
        get { storage.name }
        set { update { $0.name = newValue } }
    }
    public var type: RecordType {
        get { storage.type }
        set { rewrite { $1.type = newValue } }
    }
    /// IP addresses for A/AAAA, host names for CNAME (and alias targets), raw values otherwise.
    public var targets: [String] {
        get { storage.targets }
        set { update { $0.targets = newValue } }
    }
    /// nil: not configured; the record set gets `Endpoint.defaultTTL` and an existing TTL is kept.
    public var ttl: Int? {
        get { storage.ttl }
        set { rewrite { $1.ttl = newValue } }
    }
    public var setIdentifier: String? {
        get { storage.header.extras?.value.setIdentifier }
        set { updateExtras { $0.setIdentifier = newValue } }
    }
    public var routing: RoutingPolicy {
        get { storage.header.extras?.value.routing ?? .simple }
        set { updateExtras { $0.routing = newValue } }
    }
    public var healthCheckID: String? {
        get { storage.header.extras?.value.healthCheckID }
        set { updateExtras { $0.healthCheckID = newValue } }
    }
    /// Set when the endpoint is an alias record (`alias = true`).
    public var alias: AliasOptions? {
        get { storage.header.extras?.value.alias }
        set { updateExtras { $0.alias = newValue } }
    }
    /// A Route53 health check the tool should manage for this record set.
    public var healthCheck: HealthCheckSpec? {
        get { storage.header.extras?.value.healthCheck }
        set { updateExtras { $0.healthCheck = newValue } }
    }
    /// The ExternalDNS `resource` label of the object that asked for it (`service/ns/name`).
    public var resource: String? {
        get { storage.resource }
        set { update { $0.resource = newValue } }
    }
    /// Where it was declared, for messages.
    public var origin: SourceLocation? {
        get { storage.origin }
        set { update { $0.origin = newValue } }
    }
    /// Bare id of the hosted zone that must hold the record (`aws-hosted-zone-id`); nil: the
    /// longest matching zone. An endpoint pinned to a zone that is not managed is skipped.
    public var hostedZoneID: String? {
        get { storage.header.extras?.value.hostedZoneID }
        set { updateExtras { $0.hostedZoneID = newValue } }
    }

    private var storage: Storage

    public static let defaultTTL = 300

    public init(name: DNSName, type: RecordType, targets: [String], ttl: Int? = nil, setIdentifier: String? = nil,
                routing: RoutingPolicy = .simple, healthCheckID: String? = nil, alias: AliasOptions? = nil,
                healthCheck: HealthCheckSpec? = nil, resource: String? = nil, origin: SourceLocation? = nil,
                hostedZoneID: String? = nil) {
        let extras = Extras(setIdentifier: setIdentifier, routing: routing, healthCheckID: healthCheckID, alias: alias,
                            healthCheck: healthCheck, hostedZoneID: hostedZoneID)
        storage = Storage.make(Text(name: name, targets: targets, resource: resource, origin: origin),
                               Fixed(type: type, ttl: ttl, extras: extras))
    }

    public var key: RecordKey {
        RecordKey(name: storage.name, type: storage.type, setIdentifier: storage.header.extras?.value.setIdentifier)
    }

    public static func == (lhs: Endpoint, rhs: Endpoint) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.hasSameFields(as: rhs.storage)
    }

    public func hash(into hasher: inout Hasher) {
        storage.hash(into: &hasher)
    }

    /// Packs the endpoint anew with some of its fields changed; a block is never written once
    /// made, so copies may share one.
    private mutating func rewrite(_ change: (inout Text, inout Fixed) -> Void) {
        var text = storage.text
        var fixed = storage.fixed
        change(&text, &fixed)
        storage = Storage.make(text, fixed)
    }

    private mutating func update(_ change: (inout Text) -> Void) {
        rewrite { text, _ in change(&text) }
    }

    private mutating func updateExtras(_ change: (inout Extras) -> Void) {
        rewrite { _, fixed in change(&fixed.extras) }
    }

    /// The fields kept in the header, as plain values.
    private struct Fixed {
        var type: RecordType
        var ttl: Int?
        var extras: Extras
    }

    /// The fields kept as packed UTF-8.
    private struct Text {
        var name: DNSName
        var targets: [String]
        var resource: String?
        var origin: SourceLocation?
    }

    /// The fixed part of a packed endpoint: what is not text, and where each text field ends.
    /// The type, TTL and line take a byte or four; the rare values that do not fit (a type
    /// outside `types`, a TTL or line past 32 bits) are kept with the options instead.
    private struct Header {
        var extras: ExtrasBox?
        /// The origin's file, one string shared by every endpoint of that file.
        var file: String?
        var ttl: Int32
        var line: UInt32
        var nameEnd: UInt32
        /// Each target is a four-byte length and its bytes.
        var targetsEnd: UInt32
        var targetCount: UInt32
        var resourceEnd: UInt32
        var pathEnd: UInt32
        /// Position + 1 of the type in `types`; 0: it is `extras.type`.
        var typeCode: UInt8
        /// Which of resource, origin, origin path, TTL and line are set.
        var present: UInt8

        static let hasResource: UInt8 = 1, hasOrigin: UInt8 = 2, hasPath: UInt8 = 4, hasTTL: UInt8 = 8, hasLine: UInt8 = 16

        func has(_ flag: UInt8) -> Bool { present & flag != 0 }

        static let types: [RecordType] = [.a, .aaaa, .cname, .txt, .mx, .ns, .soa, .srv, .ptr, .caa, .naptr, .spf, "DS"]

        static func code(of type: RecordType) -> UInt8 {
            types.firstIndex(of: type).map { UInt8($0 + 1) } ?? 0
        }
    }

    /// The header with the text bytes behind it, in one allocation, never changed once made.
    private final class Storage: ManagedBuffer<Header, UInt8> {
        static func make(_ text: Text, _ fixed: Fixed) -> Storage {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.name.value.utf8.count + text.targets.reduce(0) { $0 + 4 + $1.utf8.count }
                                      + (text.resource?.utf8.count ?? 0) + (text.origin?.path?.utf8.count ?? 0))
            bytes += text.name.value.utf8
            let nameEnd = bytes.count
            for target in text.targets {
                let count = UInt32(target.utf8.count)
                for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
                bytes += target.utf8
            }
            let targetsEnd = bytes.count
            if let resource = text.resource { bytes += resource.utf8 }
            let resourceEnd = bytes.count
            if let path = text.origin?.path { bytes += path.utf8 }
            var present: UInt8 = 0
            if text.resource != nil { present |= Header.hasResource }
            if text.origin != nil { present |= Header.hasOrigin }
            if text.origin?.path != nil { present |= Header.hasPath }
            var extras = fixed.extras
            let typeCode = Header.code(of: fixed.type)
            extras.type = typeCode == 0 ? fixed.type : nil
            let ttl = fixed.ttl.flatMap { Int32(exactly: $0) }
            if ttl != nil { present |= Header.hasTTL }
            extras.ttl = ttl == nil ? fixed.ttl : nil
            let line = text.origin?.line.flatMap { UInt32(exactly: $0) }
            if line != nil { present |= Header.hasLine }
            extras.line = line == nil ? text.origin?.line : nil
            let header = Header(extras: extras.isEmpty ? nil : ExtrasBox(extras), file: text.origin?.file, ttl: ttl ?? 0,
                                line: line ?? 0, nameEnd: UInt32(nameEnd), targetsEnd: UInt32(targetsEnd),
                                targetCount: UInt32(text.targets.count), resourceEnd: UInt32(resourceEnd),
                                pathEnd: UInt32(bytes.count), typeCode: typeCode, present: present)
            let storage = unsafeDowncast(Storage.create(minimumCapacity: bytes.count) { _ in header }, to: Storage.self)
            storage.withUnsafeMutablePointerToElements { elements in
                bytes.withUnsafeBufferPointer { source in
                    if let base = source.baseAddress { elements.initialize(from: base, count: source.count) }
                }
            }
            return storage
        }

        var type: RecordType {
            let code = Int(header.typeCode)
            return code > 0 ? Header.types[code - 1] : header.extras?.value.type ?? ""
        }

        var ttl: Int? {
            header.has(Header.hasTTL) ? Int(header.ttl) : header.extras?.value.ttl
        }

        var fixed: Fixed { Fixed(type: type, ttl: ttl, extras: header.extras?.value ?? Extras()) }

        /// The packed bytes from `start` to `end` as a string.
        private func string(_ start: UInt32, _ end: UInt32) -> String {
            withUnsafeMutablePointerToElements { elements in
                String(decoding: UnsafeBufferPointer(start: elements + Int(start), count: Int(end - start)), as: UTF8.self)
            }
        }

        var name: DNSName { DNSName(verbatim: string(0, header.nameEnd)) }

        var targets: [String] {
            let header = self.header
            var targets: [String] = []
            targets.reserveCapacity(Int(header.targetCount))
            withUnsafeMutablePointerToElements { elements in
                var offset = Int(header.nameEnd)
                for _ in 0..<header.targetCount {
                    var count = 0
                    for index in 0..<4 { count |= Int(elements[offset + index]) << (8 * index) }
                    offset += 4
                    targets.append(String(decoding: UnsafeBufferPointer(start: elements + offset, count: count),
                                          as: UTF8.self))
                    offset += count
                }
            }
            return targets
        }

        var resource: String? {
            header.has(Header.hasResource) ? string(header.targetsEnd, header.resourceEnd) : nil
        }

        var origin: SourceLocation? {
            let header = self.header
            guard header.has(Header.hasOrigin) else { return nil }
            return SourceLocation(file: header.file ?? "",
                                  line: header.has(Header.hasLine) ? Int(header.line) : header.extras?.value.line,
                                  path: header.has(Header.hasPath) ? string(header.resourceEnd, header.pathEnd) : nil)
        }

        var text: Text { Text(name: name, targets: targets, resource: resource, origin: origin) }

        func hasSameFields(as other: Storage) -> Bool {
            let lhs = header, rhs = other.header
            guard lhs.typeCode == rhs.typeCode, lhs.ttl == rhs.ttl, lhs.file == rhs.file, lhs.line == rhs.line,
                  lhs.nameEnd == rhs.nameEnd, lhs.targetsEnd == rhs.targetsEnd, lhs.targetCount == rhs.targetCount,
                  lhs.resourceEnd == rhs.resourceEnd, lhs.pathEnd == rhs.pathEnd, lhs.present == rhs.present,
                  lhs.extras === rhs.extras || lhs.extras?.value ?? Extras() == rhs.extras?.value ?? Extras()
            else { return false }
            return withUnsafeMutablePointerToElements { left in
                other.withUnsafeMutablePointerToElements { right in
                    UnsafeBufferPointer(start: left, count: Int(lhs.pathEnd))
                        .elementsEqual(UnsafeBufferPointer(start: right, count: Int(lhs.pathEnd)))
                }
            }
        }

        /// Consistent with `hasSameFields`: equal fields pack to equal bytes.
        func hash(into hasher: inout Hasher) {
            let header = self.header
            hasher.combine(header.typeCode)
            hasher.combine(header.ttl)
            hasher.combine(header.file)
            hasher.combine(header.line)
            hasher.combine(header.present)
            hasher.combine(header.nameEnd)
            hasher.combine(header.targetCount)
            hasher.combine(header.extras?.value ?? Extras())
            withUnsafeMutablePointerToElements { elements in
                hasher.combine(bytes: UnsafeRawBufferPointer(start: elements, count: Int(header.pathEnd)))
            }
        }
    }

    /// The options most endpoints leave unset.
    private struct Extras: Hashable {
        var setIdentifier: String?
        var routing: RoutingPolicy = .simple
        var healthCheckID: String?
        var alias: AliasOptions?
        var healthCheck: HealthCheckSpec?
        var hostedZoneID: String?
        /// What the header has no room for: a type outside `Header.types`, a TTL or line past
        /// 32 bits.
        var type: RecordType?
        var ttl: Int?
        var line: Int?

        var isEmpty: Bool { self == Extras() }
    }

    private final class ExtrasBox: Sendable {
        let value: Extras
        init(_ value: Extras) { self.value = value }
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
