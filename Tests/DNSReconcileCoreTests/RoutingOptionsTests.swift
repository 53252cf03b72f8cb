import Testing
@testable import DNSReconcileCore

/// Routing keys as annotations and `[endpoint]` keys give them (`EndpointOptionsReader`, the path
/// both take), mapped to what the record set carries; and the spellings Route53 reads back as the
/// same routing.
struct RoutingOptionCase: Sendable, CustomTestStringConvertible {
    var id: String
    var options: [String: String]
    var routing: RoutingPolicy
    var setIdentifier: String?
    var testDescription: String { id }
}

struct RoutingOptionProblem: Sendable, CustomTestStringConvertible {
    var id: String
    var options: [String: String]
    /// A fragment of the message; it must also name the annotation.
    var message: String
    var testDescription: String { id }
}

private func read(_ options: [String: String]) -> Result<EndpointOptions, EndpointOptionsReader.OptionProblems> {
    let values = options.sorted { $0.key < $1.key }.map { key, value in
        EndpointOptionsReader.Value(key: key, value: value, label: "annotation external-dns.kubernetes.io/\(key)")
    }
    return EndpointOptionsReader.read(values, origin: SourceLocation(file: "service/web/app"))
}

private let goodOptions: [RoutingOptionCase] = [
    .init(id: "weight-0", options: ["set-identifier": "blue", "aws-weight": "0"], routing: .weighted(weight: 0), setIdentifier: "blue"),
    .init(id: "weight-255", options: ["set-identifier": "blue", "aws-weight": "255"], routing: .weighted(weight: 255), setIdentifier: "blue"),
    .init(id: "latency", options: ["set-identifier": "hk", "aws-region": "ap-east-1"], routing: .latency(region: "ap-east-1"), setIdentifier: "hk"),
    .init(id: "latency-upper-case", options: ["set-identifier": "sg", "aws-region": "AP-SOUTHEAST-1"],
          routing: .latency(region: "ap-southeast-1"), setIdentifier: "sg"),
    .init(id: "failover-primary", options: ["set-identifier": "p", "aws-failover": "PRIMARY",
                                            "aws-health-check-id": "0b4c7e1d-1234-4f6e-9a0b-5d5c3e2f1a00"],
          routing: .failover(.primary), setIdentifier: "p"),
    .init(id: "failover-lower-case", options: ["set-identifier": "s", "aws-failover": "secondary"], routing: .failover(.secondary), setIdentifier: "s"),
    .init(id: "geo-continent", options: ["set-identifier": "eu", "aws-geolocation-continent-code": "eu"],
          routing: .geolocation(GeoLocation(continentCode: "EU")), setIdentifier: "eu"),
    .init(id: "geo-country", options: ["set-identifier": "de", "aws-geolocation-country-code": "de"],
          routing: .geolocation(GeoLocation(countryCode: "DE")), setIdentifier: "de"),
    .init(id: "geo-subdivision", options: ["set-identifier": "ca", "aws-geolocation-country-code": "US",
                                           "aws-geolocation-subdivision-code": "ca"],
          routing: .geolocation(GeoLocation(countryCode: "US", subdivisionCode: "CA")), setIdentifier: "ca"),
    .init(id: "geo-default", options: ["set-identifier": "rest", "aws-geolocation-country-code": "*"],
          routing: .geolocation(GeoLocation(countryCode: "*")), setIdentifier: "rest"),
    .init(id: "geoproximity-region", options: ["set-identifier": "r", "aws-geoproximity-region": "EU-WEST-1"],
          routing: .geoproximity(GeoProximity(awsRegion: "eu-west-1")), setIdentifier: "r"),
    .init(id: "geoproximity-local-zone-group", options: ["set-identifier": "l", "aws-geoproximity-local-zone-group": "us-west-2-lax-1",
                                                          "aws-geoproximity-bias": "-99"],
          routing: .geoproximity(GeoProximity(localZoneGroup: "us-west-2-lax-1", bias: -99)), setIdentifier: "l"),
    .init(id: "geoproximity-coordinates", options: ["set-identifier": "c", "aws-geoproximity-coordinates": "49.28,-123.12",
                                                     "aws-geoproximity-bias": "99"],
          routing: .geoproximity(GeoProximity(latitude: "49.28", longitude: "-123.12", bias: 99)), setIdentifier: "c"),
    .init(id: "geoproximity-coordinates-shortest-spelling",
          options: ["set-identifier": "c", "aws-geoproximity-coordinates": " +49.20 , -007.10 "],
          routing: .geoproximity(GeoProximity(latitude: "49.2", longitude: "-7.1")), setIdentifier: "c"),
    .init(id: "geoproximity-coordinates-limits", options: ["set-identifier": "c", "aws-geoproximity-coordinates": "-90,180"],
          routing: .geoproximity(GeoProximity(latitude: "-90", longitude: "180")), setIdentifier: "c"),
    .init(id: "geoproximity-coordinates-zero", options: ["set-identifier": "c", "aws-geoproximity-coordinates": "-0.00,0."],
          routing: .geoproximity(GeoProximity(latitude: "0", longitude: "0")), setIdentifier: "c"),
    .init(id: "multivalue", options: ["set-identifier": "m", "aws-multi-value-answer": "true"], routing: .multiValue, setIdentifier: "m"),
    .init(id: "multivalue-false-is-simple", options: ["aws-multi-value-answer": "false"], routing: .simple),
    .init(id: "no-routing", options: ["ttl": "60"], routing: .simple),
]

private let badOptions: [RoutingOptionProblem] = [
    .init(id: "weight-256", options: ["set-identifier": "a", "aws-weight": "256"], message: "aws-weight: '256' is not valid"),
    .init(id: "weight-negative", options: ["set-identifier": "a", "aws-weight": "-1"], message: "from 0 to 255"),
    .init(id: "region-unknown", options: ["set-identifier": "a", "aws-region": "mars-east-1"], message: "aws-region: 'mars-east-1' is not valid"),
    .init(id: "failover-word", options: ["set-identifier": "a", "aws-failover": "TERTIARY"], message: "one of PRIMARY, SECONDARY"),
    .init(id: "weighted-needs-set-identifier", options: ["aws-weight": "10"],
          message: "aws-weight: weighted routing needs a set identifier"),
    .init(id: "latency-needs-set-identifier", options: ["aws-region": "eu-west-1"],
          message: "aws-region: latency routing needs a set identifier"),
    .init(id: "failover-needs-set-identifier", options: ["aws-failover": "PRIMARY"],
          message: "aws-failover: failover routing needs a set identifier"),
    .init(id: "geolocation-needs-set-identifier", options: ["aws-geolocation-country-code": "*"],
          message: "geolocation routing needs a set identifier"),
    .init(id: "geoproximity-needs-set-identifier", options: ["aws-geoproximity-region": "eu-west-1"],
          message: "geoproximity routing needs a set identifier"),
    .init(id: "multivalue-needs-set-identifier", options: ["aws-multi-value-answer": "true"],
          message: "multivalue routing needs a set identifier"),
    .init(id: "set-identifier-needs-policy", options: ["set-identifier": "a", "aws-multi-value-answer": "false"],
          message: "a set identifier needs a routing policy"),
    .init(id: "two-policies", options: ["set-identifier": "a", "aws-weight": "1", "aws-failover": "PRIMARY"],
          message: "one record set has one routing policy"),
    .init(id: "continent-excludes-country", options: ["set-identifier": "a", "aws-geolocation-continent-code": "EU",
                                                      "aws-geolocation-country-code": "DE"],
          message: "use either aws-geolocation-continent-code or aws-geolocation-country-code"),
    .init(id: "continent-unknown", options: ["set-identifier": "a", "aws-geolocation-continent-code": "XX"], message: "one of AF, AN"),
    .init(id: "country-three-letters", options: ["set-identifier": "a", "aws-geolocation-country-code": "DEU"],
          message: "write two letters"),
    .init(id: "subdivision-without-country", options: ["set-identifier": "a", "aws-geolocation-subdivision-code": "CA"],
          message: "a subdivision needs its country"),
    .init(id: "default-has-no-subdivision", options: ["set-identifier": "a", "aws-geolocation-country-code": "*",
                                                      "aws-geolocation-subdivision-code": "CA"],
          message: "the default location (*) has no subdivision"),
    .init(id: "latitude-over-90", options: ["set-identifier": "a", "aws-geoproximity-coordinates": "90.01,0"], message: "latitude −90…90"),
    .init(id: "longitude-over-180", options: ["set-identifier": "a", "aws-geoproximity-coordinates": "0,-180.5"], message: "longitude −180…180"),
    .init(id: "latitude-three-digits", options: ["set-identifier": "a", "aws-geoproximity-coordinates": "045,0"],
          message: "is not \"latitude,longitude\""),
    .init(id: "coordinates-three-decimals", options: ["set-identifier": "a", "aws-geoproximity-coordinates": "1.234,0"],
          message: "at most two decimals"),
    .init(id: "coordinates-one-value", options: ["set-identifier": "a", "aws-geoproximity-coordinates": "49"],
          message: "is not \"latitude,longitude\""),
    .init(id: "coordinates-words", options: ["set-identifier": "a", "aws-geoproximity-coordinates": "north,east"],
          message: "is not \"latitude,longitude\""),
    .init(id: "bias-100", options: ["set-identifier": "a", "aws-geoproximity-region": "eu-west-1", "aws-geoproximity-bias": "100"],
          message: "from -99 to 99"),
    .init(id: "bias-minus-100", options: ["set-identifier": "a", "aws-geoproximity-region": "eu-west-1", "aws-geoproximity-bias": "-100"],
          message: "from -99 to 99"),
    .init(id: "bias-without-location", options: ["set-identifier": "a", "aws-geoproximity-bias": "10"],
          message: "geoproximity needs a location"),
    .init(id: "two-locations", options: ["set-identifier": "a", "aws-geoproximity-region": "eu-west-1",
                                         "aws-geoproximity-local-zone-group": "us-west-2-lax-1"],
          message: "give one geoproximity location"),
    .init(id: "geoproximity-region-unknown", options: ["set-identifier": "a", "aws-geoproximity-region": "nowhere-1"],
          message: "aws-geoproximity-region: 'nowhere-1' is not valid"),
    .init(id: "target-zone-without-alias", options: ["aws-target-hosted-zone": "Z2FDTNDATAQYW2"],
          message: "applies only to alias endpoints"),
]

@Suite struct RoutingOptionsTests {
    @Test(arguments: goodOptions)
    func mapsToTheRoutingPolicy(_ row: RoutingOptionCase) throws {
        let options = try read(row.options).get()
        #expect(options.routing == row.routing)
        #expect(options.setIdentifier == row.setIdentifier)
        // What Route53 stores for it: the record set the planner builds carries the same fields.
        let endpoint = options.applied(to: Endpoint(name: "app.example.com", type: .a, targets: ["203.0.113.10"]))
        let planned = Planner(policy: .sync, registry: NoopRegistry())
            .plan(desired: [endpoint], held: [],
                  inventory: ZoneInventory(zone: HostedZone(id: "Z1", name: "example.com"), records: [], registryTXTs: []))
        #expect(planned.notices.isEmpty, "\(planned.notices)")
        #expect(planned.changes.first?.new?.routing == row.routing)
        #expect(planned.changes.first?.new?.setIdentifier == row.setIdentifier)
    }

    @Test(arguments: badOptions)
    func refusesWithAClearMessage(_ row: RoutingOptionProblem) {
        guard case .failure(let problems) = read(row.options) else {
            Issue.record("\(row.id): accepted")
            return
        }
        #expect(problems.messages.contains { $0.contains(row.message) }, "\(row.id): \(problems.messages)")
        #expect(problems.messages.allSatisfy { $0.contains("annotation external-dns.kubernetes.io/") }, "\(problems.messages)")
    }

    @Test(arguments: [
        ("49.2", "49.20", true), ("+49.2", "49.2", true), ("049.2", "49.2", true), ("-0", "0", true), ("0.0", "-0.00", true),
        ("49.", "49", true), ("49.2", "49.21", false), ("-49.2", "49.2", false), ("abc", "abc", true), ("abc", "0", false),
    ])
    func coordinatesCompareAsNumbers(lhs: String, rhs: String, same: Bool) {
        #expect(GeoProximity.sameCoordinate(lhs, rhs) == same)
    }

    /// Spellings Route53 may return for what was written: the same routing, so no change.
    @Test(arguments: [
        ("coordinates-decimals", RoutingPolicy.geoproximity(GeoProximity(latitude: "49.2", longitude: "-123.1")),
         RoutingPolicy.geoproximity(GeoProximity(latitude: "49.20", longitude: "-123.10", bias: 0)), true),
        ("bias-differs", .geoproximity(GeoProximity(awsRegion: "eu-west-1", bias: 10)),
         .geoproximity(GeoProximity(awsRegion: "eu-west-1")), false),
        ("region-case", .latency(region: "eu-west-1"), .latency(region: "EU-WEST-1"), true),
        ("region-differs", .latency(region: "eu-west-1"), .latency(region: "eu-west-2"), false),
        ("country-case", .geolocation(GeoLocation(countryCode: "de")), .geolocation(GeoLocation(countryCode: "DE")), true),
        ("continent-vs-country", .geolocation(GeoLocation(continentCode: "EU")), .geolocation(GeoLocation(countryCode: "EU")), false),
        ("subdivision-missing", .geolocation(GeoLocation(countryCode: "US", subdivisionCode: "CA")),
         .geolocation(GeoLocation(countryCode: "US")), false),
        ("weight", .weighted(weight: 1), .weighted(weight: 2), false),
        ("kinds", .multiValue, .simple, false),
    ])
    func routingReadBack(id: String, written: RoutingPolicy, listed: RoutingPolicy, same: Bool) {
        #expect(written.sameRouting(as: listed) == same, "\(id)")
        #expect(listed.sameRouting(as: written) == same, "\(id)")
    }

    @Test func healthCheckIDsCompareWithoutCase() {
        let written = RecordSet(name: "a.example.com", type: .a, ttl: 60, values: ["192.0.2.1"],
                                healthCheckID: "AFC376F3-E839-4063-B140-FA2598C7F6C4")
        var listed = written
        listed.healthCheckID = "afc376f3-e839-4063-b140-fa2598c7f6c4"
        #expect(written.sameContent(as: listed, compareTTL: true))
        listed.healthCheckID = nil
        #expect(!written.sameContent(as: listed, compareTTL: true))
    }

    @Test func route53RulesCheckCoordinateSyntax() {
        let set = RecordSet(name: "gp.example.com", type: .a, setIdentifier: "g",
                            routing: .geoproximity(GeoProximity(latitude: "123", longitude: "0")), ttl: 60, values: ["192.0.2.1"])
        let problems = Route53Rules.violations(of: set, in: "example.com")
        #expect(problems.count == 1)
        #expect(problems.first?.contains("coordinates.latitude") == true)
    }
}
