/// How Route53 chooses among the record sets of one name and type. Every policy but `simple`
/// needs a set identifier on the record set.
public enum RoutingPolicy: Hashable, Sendable {
    case simple
    /// 0–255.
    case weighted(weight: Int)
    /// An AWS region (`us-east-1`).
    case latency(region: String)
    case failover(FailoverRole)
    // Boxed: the two geo payloads are 48 and 72 bytes, and every record set and endpoint
    // carried that much inline for the few that use them.
    indirect case geolocation(GeoLocation)
    indirect case geoproximity(GeoProximity)
    case multiValue

    /// Short name used in plan output and messages.
    public var kind: String {
        switch self {
        case .simple: "simple"
        case .weighted: "weighted"
        case .latency: "latency"
        case .failover: "failover"
        case .geolocation: "geolocation"
        case .geoproximity: "geoproximity"
        case .multiValue: "multivalue"
        }
    }
}

public enum FailoverRole: String, Hashable, Sendable {
    case primary = "PRIMARY"
    case secondary = "SECONDARY"
}

/// Route53 GeoLocation: a continent, or a country (`*` = default) with an optional subdivision.
public struct GeoLocation: Hashable, Sendable {
    public var continentCode: String?
    public var countryCode: String?
    public var subdivisionCode: String?
    public init(continentCode: String? = nil, countryCode: String? = nil, subdivisionCode: String? = nil) {
        self.continentCode = continentCode
        self.countryCode = countryCode
        self.subdivisionCode = subdivisionCode
    }
}

/// Route53 GeoProximityLocation. Coordinates are kept as the strings Route53 returns.
public struct GeoProximity: Hashable, Sendable {
    public var awsRegion: String?
    public var localZoneGroup: String?
    public var latitude: String?
    public var longitude: String?
    /// −99…99; Route53 reports 0 when none was given.
    public var bias: Int
    public init(awsRegion: String? = nil, localZoneGroup: String? = nil, latitude: String? = nil,
                longitude: String? = nil, bias: Int = 0) {
        self.awsRegion = awsRegion
        self.localZoneGroup = localZoneGroup
        self.latitude = latitude
        self.longitude = longitude
        self.bias = bias
    }
}

/// Route53 AliasTarget.
public struct AliasTarget: Hashable, Sendable {
    public var hostedZoneID: String
    public var dnsName: DNSName
    public var evaluateTargetHealth: Bool
    public init(hostedZoneID: String, dnsName: DNSName, evaluateTargetHealth: Bool) {
        self.hostedZoneID = hostedZoneID
        self.dnsName = dnsName
        self.evaluateTargetHealth = evaluateTargetHealth
    }
}
