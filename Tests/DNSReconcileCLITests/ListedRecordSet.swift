/// One record set as the emulator lists it, read straight from the `<ResourceRecordSet>` XML.
///
/// Deliberately not our own response parser: the end-to-end tests check what the emulator holds,
/// so a field our parser dropped or misread cannot make a wrong state look right.
struct ListedRecordSet: Equatable, CustomStringConvertible {
    var name: String
    var type: String
    var setIdentifier: String?
    var ttl: Int?
    var values: [String]
    var healthCheckID: String?

    var weight: Int?
    var region: String?
    var failover: String?
    var multiValueAnswer: Bool?
    var continentCode: String?
    var countryCode: String?
    var subdivisionCode: String?
    /// Present when the emulator returned a `<GeoProximityLocation>` at all.
    var hasGeoProximity: Bool
    var proximityRegion: String?
    var localZoneGroup: String?
    var latitude: String?
    var longitude: String?
    var bias: Int?

    var aliasHostedZoneID: String?
    var aliasDNSName: String?
    var evaluateTargetHealth: Bool?

    /// The raw element, for byte-for-byte comparisons and failure messages.
    var xml: String

    init(xml: String) {
        self.xml = xml
        let field = { (name: String) in Workspace.element(name, in: xml) }
        name = field("Name") ?? "?"
        type = field("Type") ?? "?"
        setIdentifier = field("SetIdentifier")
        ttl = field("TTL").flatMap { Int($0) }
        values = xml.components(separatedBy: "<Value>").dropFirst().compactMap {
            $0.components(separatedBy: "</Value>").first.map(ListedRecordSet.unescape)
        }
        healthCheckID = field("HealthCheckId")
        weight = field("Weight").flatMap { Int($0) }
        region = field("Region")
        failover = field("Failover")
        multiValueAnswer = field("MultiValueAnswer").map { $0 == "true" }
        let geo = field("GeoLocation") ?? ""
        continentCode = Workspace.element("ContinentCode", in: geo)
        countryCode = Workspace.element("CountryCode", in: geo)
        subdivisionCode = Workspace.element("SubdivisionCode", in: geo)
        let proximity = field("GeoProximityLocation")
        hasGeoProximity = proximity != nil
        proximityRegion = proximity.flatMap { Workspace.element("AWSRegion", in: $0) }
        localZoneGroup = proximity.flatMap { Workspace.element("LocalZoneGroup", in: $0) }
        latitude = proximity.flatMap { Workspace.element("Latitude", in: $0) }
        longitude = proximity.flatMap { Workspace.element("Longitude", in: $0) }
        bias = proximity.flatMap { Workspace.element("Bias", in: $0) }.flatMap { Int($0) }
        let alias = field("AliasTarget")
        aliasHostedZoneID = alias.flatMap { Workspace.element("HostedZoneId", in: $0) }
        aliasDNSName = alias.flatMap { Workspace.element("DNSName", in: $0) }
        evaluateTargetHealth = alias.flatMap { Workspace.element("EvaluateTargetHealth", in: $0) }.map { $0 == "true" }
    }

    /// The routing policy the listed fields select, named as the plan names it.
    var routing: String {
        if weight != nil { return "weighted" }
        if region != nil { return "latency" }
        if failover != nil { return "failover" }
        if multiValueAnswer == true { return "multivalue" }
        if continentCode != nil || countryCode != nil { return "geolocation" }
        if hasGeoProximity { return "geoproximity" }
        return "simple"
    }

    /// The routing fields alone (everything Route53 uses to choose among the sets of a name), for
    /// checking that a companion copies its record's routing.
    var routingFields: [String] {
        [weight.map { "weight=\($0)" }, region.map { "region=\($0)" }, failover.map { "failover=\($0)" },
         multiValueAnswer.map { "multivalue=\($0)" }, continentCode.map { "continent=\($0)" },
         countryCode.map { "country=\($0)" }, subdivisionCode.map { "subdivision=\($0)" },
         proximityRegion.map { "proximity-region=\($0)" }, localZoneGroup.map { "local-zone-group=\($0)" },
         latitude.map { "latitude=\($0)" }, longitude.map { "longitude=\($0)" }, bias.map { "bias=\($0)" },
         healthCheckID.map { "health-check=\($0)" }].compactMap { $0 }
    }

    /// `name type [set id]`, as `Workspace.recordSets()` keys them.
    var key: String { "\(name) \(type)" + (setIdentifier.map { " [\($0)]" } ?? "") }

    var description: String { xml }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
