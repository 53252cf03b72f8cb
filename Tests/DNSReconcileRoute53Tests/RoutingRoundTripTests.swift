import DNSReconcileCore
@testable import DNSReconcileRoute53
import Testing

/// Routing keys (as annotations and `[endpoint]` keys give them) down to the Route53 request
/// fields, and back: what Route53 (or moto) lists for the record set written must plan no
/// change, whatever spelling it chooses for what was sent.
struct RoutingFieldCase: Sendable, CustomTestStringConvertible {
    var id: String
    var options: [String: String]
    var type: RecordType = .a
    var targets = ["203.0.113.10"]
    var name = "app.example.com"
    /// Fragments of the request's ResourceRecordSet.
    var fields: [String]
    /// How the listing differs from the request: (sent, listed) text replacements.
    var listed: [(String, String)] = []
    var testDescription: String { id }
}

private let zone = HostedZone(id: "Z1EXAMPLE", name: "example.com")
private let hc = "0b4c7e1d-1234-4f6e-9a0b-5d5c3e2f1a00"

private let fieldCases: [RoutingFieldCase] = [
    .init(id: "weighted", options: ["set-identifier": "blue", "aws-weight": "80"],
          fields: ["<SetIdentifier>blue</SetIdentifier><Weight>80</Weight><TTL>300</TTL>"]),
    .init(id: "weighted-zero", options: ["set-identifier": "dark", "aws-weight": "0"], fields: ["<Weight>0</Weight>"]),
    .init(id: "latency", options: ["set-identifier": "hk", "aws-region": "ap-east-1"],
          fields: ["<SetIdentifier>hk</SetIdentifier><Region>ap-east-1</Region>"]),
    .init(id: "failover", options: ["set-identifier": "p", "aws-failover": "primary", "aws-health-check-id": hc],
          fields: ["<Failover>PRIMARY</Failover>", "<HealthCheckId>\(hc)</HealthCheckId>"]),
    .init(id: "health-check-id-case", options: ["set-identifier": "s", "aws-failover": "SECONDARY",
                                                "aws-health-check-id": hc.uppercased()],
          fields: ["<Failover>SECONDARY</Failover>"], listed: [(hc.uppercased(), hc)]),
    .init(id: "geolocation-continent", options: ["set-identifier": "eu", "aws-geolocation-continent-code": "eu"],
          fields: ["<GeoLocation><ContinentCode>EU</ContinentCode></GeoLocation>"]),
    .init(id: "geolocation-country", options: ["set-identifier": "de", "aws-geolocation-country-code": "de"],
          fields: ["<GeoLocation><CountryCode>DE</CountryCode></GeoLocation>"]),
    .init(id: "geolocation-subdivision", options: ["set-identifier": "ca", "aws-geolocation-country-code": "us",
                                                   "aws-geolocation-subdivision-code": "ca"],
          fields: ["<GeoLocation><CountryCode>US</CountryCode><SubdivisionCode>CA</SubdivisionCode></GeoLocation>"]),
    .init(id: "geolocation-default", options: ["set-identifier": "rest", "aws-geolocation-country-code": "*"],
          fields: ["<GeoLocation><CountryCode>*</CountryCode></GeoLocation>"]),
    .init(id: "geoproximity-coordinates", options: ["set-identifier": "c", "aws-geoproximity-coordinates": "+49.20,-123.1"],
          fields: ["<GeoProximityLocation><Coordinates><Latitude>49.2</Latitude><Longitude>-123.1</Longitude></Coordinates>"
                   + "<Bias>0</Bias></GeoProximityLocation>"],
          // Route53 may list two decimals, and no Bias for 0.
          listed: [("<Latitude>49.2</Latitude>", "<Latitude>49.20</Latitude>"),
                   ("<Longitude>-123.1</Longitude>", "<Longitude>-123.10</Longitude>"), ("<Bias>0</Bias>", "")]),
    .init(id: "geoproximity-region-bias", options: ["set-identifier": "r", "aws-geoproximity-region": "eu-west-1",
                                                    "aws-geoproximity-bias": "-25"],
          fields: ["<GeoProximityLocation><AWSRegion>eu-west-1</AWSRegion><Bias>-25</Bias></GeoProximityLocation>"]),
    .init(id: "geoproximity-local-zone-group", options: ["set-identifier": "l",
                                                         "aws-geoproximity-local-zone-group": "us-west-2-lax-1"],
          fields: ["<GeoProximityLocation><LocalZoneGroup>us-west-2-lax-1</LocalZoneGroup><Bias>0</Bias></GeoProximityLocation>"]),
    .init(id: "multivalue", options: ["set-identifier": "m1", "aws-multi-value-answer": "true"],
          fields: ["<SetIdentifier>m1</SetIdentifier><MultiValueAnswer>true</MultiValueAnswer><TTL>300</TTL>"]),
    .init(id: "wildcard-name", options: ["set-identifier": "hk", "aws-region": "ap-east-1"], name: "*.app.example.com",
          fields: ["<Name>*.app.example.com.</Name>"],
          // Route53 lists `*` escaped; names come back in lower case.
          listed: [("<Name>*.app.example.com.</Name>", "<Name>\\052.app.example.com.</Name>")]),
    .init(id: "alias-elb", options: ["alias": "true", "aws-evaluate-target-health": "false"], type: .a,
          targets: ["my-lb-1.ap-east-1.elb.amazonaws.com"],
          fields: ["<AliasTarget><HostedZoneId>Z3DQVH9N71FHZ0</HostedZoneId><DNSName>my-lb-1.ap-east-1.elb.amazonaws.com."
                   + "</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget>"],
          // moto lists a TTL of 0 on aliases; the target may come back in another case.
          listed: [("<AliasTarget>", "<TTL>0</TTL><AliasTarget>"),
                   ("<DNSName>my-lb-1.ap-east-1.elb.amazonaws.com.</DNSName>", "<DNSName>MY-LB-1.ap-east-1.elb.amazonaws.com</DNSName>")]),
    .init(id: "alias-cname-is-a-and-aaaa", options: ["alias": "true"], type: .cname, targets: ["d111111abcdef8.cloudfront.net"],
          fields: ["<Type>A</Type><AliasTarget><HostedZoneId>Z2FDTNDATAQYW2</HostedZoneId>",
                   "<Type>AAAA</Type><AliasTarget><HostedZoneId>Z2FDTNDATAQYW2</HostedZoneId>",
                   "<EvaluateTargetHealth>true</EvaluateTargetHealth>"]),
    .init(id: "alias-weighted-with-target-zone", options: ["alias": "true", "set-identifier": "w", "aws-weight": "10",
                                                           "aws-target-hosted-zone": "/hostedzone/Z2NYPWQ7DFZAZH"],
          targets: ["env.eu-west-1.elasticbeanstalk.com"],
          fields: ["<Weight>10</Weight><AliasTarget><HostedZoneId>Z2NYPWQ7DFZAZH</HostedZoneId>"],
          listed: [("<HostedZoneId>Z2NYPWQ7DFZAZH</HostedZoneId>", "<HostedZoneId>z2nypwq7dfzazh</HostedZoneId>")]),
]

@Suite("Routing fields to Route53 and back")
struct RoutingRoundTripTests {
    static func desired(_ row: RoutingFieldCase) throws -> [Endpoint] {
        let values = row.options.sorted { $0.key < $1.key }.map { EndpointOptionsReader.Value(key: $0.key, value: $0.value, label: $0.key) }
        let options = try EndpointOptionsReader.read(values, origin: SourceLocation(file: "test")).get()
        return Endpoint.expandingAliases([options.applied(to: Endpoint(name: DNSName(row.name), type: row.type,
                                                                       targets: row.targets))])
    }

    static func plan(_ desired: [Endpoint], current: [RecordSet]) -> ZonePlan {
        Planner(policy: .sync, registry: NoopRegistry())
            .plan(desired: desired, held: [], inventory: NoopRegistry().inventory(of: current, in: zone))
    }

    /// The request's record sets as a ListResourceRecordSets answer, with `listed` applied.
    static func listing(of body: [UInt8], _ listed: [(String, String)]) throws -> [RecordSet] {
        var text = String(decoding: body, as: UTF8.self)
        text = text.replacingAll("ChangeResourceRecordSetsRequest", with: "ListResourceRecordSetsResponse")
        text = text.replacingAll("<ChangeBatch><Changes>", with: "<ResourceRecordSets>")
        text = text.replacingAll("</Changes></ChangeBatch>", with: "</ResourceRecordSets>")
        for action in ["CREATE", "DELETE", "UPSERT"] { text = text.replacingAll("<Change><Action>\(action)</Action>", with: "") }
        text = text.replacingAll("</ResourceRecordSet></Change>", with: "</ResourceRecordSet>")
        for (sent, shown) in listed {
            #expect(text.contains(sent), "the request has no \(sent)")
            text = text.replacingAll(sent, with: shown)
        }
        return try Route53ResponseParser.recordSetsPage(Array(text.utf8)).recordSets
    }

    @Test(arguments: fieldCases)
    func fieldsAndReadBack(_ row: RoutingFieldCase) throws {
        let desired = try Self.desired(row)
        let first = Self.plan(desired, current: [])
        #expect(first.notices.isEmpty, "\(first.notices.map(\.message))")
        let body = Route53RequestBuilder.changeBatch(first.changes.flatMap(\.changes), comment: nil)
        let xml = String(decoding: body, as: UTF8.self)
        for field in row.fields { #expect(xml.contains(field), "\(field) in \(xml)") }

        let listed = try Self.listing(of: body, row.listed)
        #expect(listed.count == first.changes.count)
        let second = Self.plan(desired, current: listed)
        #expect(second.changes.isEmpty, "\(second.changes.map(\.reason))")
    }

    @Test func aRealDifferenceInTheListingIsStillAChange() throws {
        let row = fieldCases.first { $0.id == "geoproximity-coordinates" }!
        let desired = try Self.desired(row)
        let body = Route53RequestBuilder.changeBatch(Self.plan(desired, current: []).changes.flatMap(\.changes), comment: nil)
        let listed = try Self.listing(of: body, [("<Latitude>49.2</Latitude>", "<Latitude>49.21</Latitude>")])
        let second = Self.plan(desired, current: listed)
        #expect(second.changes.map(\.action) == [.update])
        #expect(second.changes.first?.reason == "geoproximity routing changes")
    }
}
