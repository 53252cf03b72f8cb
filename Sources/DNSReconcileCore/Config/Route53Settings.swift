/// `[provider "route53"]`: which hosted zones a cluster manages and how changes are sent.
public struct Route53Settings: Hashable, Sendable {
    public enum ZoneType: String, Hashable, Sendable, CaseIterable {
        case `public`
        case `private`
    }

    /// Bare hosted zone ids (`/hostedzone/` stripped); empty: every zone.
    public var zoneIDs: [String]
    /// Zone suffixes to manage (canonical, no trailing dot); empty: every zone.
    public var domainFilter: [String]
    public var excludeDomains: [String]
    /// nil: public and private zones.
    public var zoneType: ZoneType?
    /// Tags a zone must carry: key → value, or key → nil for "any value".
    public var zoneTags: [String: String?]
    /// `sync`, `upsert-only` or `create-only` (validated).
    public var policy: String
    /// Most record sets per ChangeResourceRecordSets call (1…1000).
    public var batchChangeSize: Int
    /// Default of `aws-evaluate-target-health` for alias endpoints.
    public var evaluateTargetHealth: Bool

    public static let policies = ["sync", "upsert-only", "create-only"]

    public init(zoneIDs: [String] = [], domainFilter: [String] = [], excludeDomains: [String] = [],
                zoneType: ZoneType? = nil, zoneTags: [String: String?] = [:], policy: String = "sync",
                batchChangeSize: Int = 1000, evaluateTargetHealth: Bool = true) {
        self.zoneIDs = zoneIDs
        self.domainFilter = domainFilter
        self.excludeDomains = excludeDomains
        self.zoneType = zoneType
        self.zoneTags = zoneTags
        self.policy = policy
        self.batchChangeSize = batchChangeSize
        self.evaluateTargetHealth = evaluateTargetHealth
    }
}
