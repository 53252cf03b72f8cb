import DNSReconcileCore
@testable import DNSReconcileRoute53
import Testing

@Suite("Route53 request bodies")
struct Route53RequestBuilderTests {
    /// One change per routing shape, with every optional field, in the order of the fixture.
    static let everyField: [Change] = [
        Change(.delete, RecordSet(name: "w.example.com", type: .a, setIdentifier: "blue", routing: .weighted(weight: 10),
                                  ttl: 60, values: ["192.0.2.1", "192.0.2.2"],
                                  healthCheckID: "afc376f3-e839-4063-b140-fa2598c7f6c4")),
        Change(.create, RecordSet(name: "LAT.example.com.", type: .aaaa, setIdentifier: "use1",
                                  routing: .latency(region: "us-east-1"), ttl: 300, values: ["2001:db8::1"])),
        Change(.create, RecordSet(name: "geo.example.com", type: .a, setIdentifier: "us-ca",
                                  routing: .geolocation(GeoLocation(continentCode: "NA", countryCode: "US",
                                                                    subdivisionCode: "CA")),
                                  ttl: 60, values: ["192.0.2.4"])),
        Change(.upsert, RecordSet(name: "fo.example.com", type: .cname, setIdentifier: "backup",
                                  routing: .failover(.secondary), ttl: 30, values: ["backup.example.net"],
                                  healthCheckID: "hc-2")),
        Change(.create, RecordSet(name: "mv.example.com", type: .a, setIdentifier: "mv1", routing: .multiValue, ttl: 60,
                                  values: ["192.0.2.7"])),
        // TTL and values on an alias are dropped: Route53 rejects them.
        Change(.create, RecordSet(name: "elb.example.com", type: .a, setIdentifier: "w1", routing: .weighted(weight: 0),
                                  ttl: 300, values: ["ignored"],
                                  alias: AliasTarget(hostedZoneID: "Z35SXDOTRQ7X7K",
                                                     dnsName: "dualstack.my-elb-123.us-east-1.elb.amazonaws.com",
                                                     evaluateTargetHealth: true))),
        Change(.create, RecordSet(name: "gp.example.com", type: .a, setIdentifier: "gp1",
                                  routing: .geoproximity(GeoProximity(latitude: "49.22", longitude: "-74.01", bias: -25)),
                                  ttl: 60, values: ["192.0.2.8"], healthCheckID: "hc-3")),
        Change(.create, RecordSet(name: "gp.example.com", type: .a, setIdentifier: "gp2",
                                  routing: .geoproximity(GeoProximity(awsRegion: "eu-west-1",
                                                                      localZoneGroup: "eu-west-1-lax-1")),
                                  ttl: 60, values: ["192.0.2.9"])),
        Change(.create, RecordSet(name: "\\052.example.com.", type: .txt, ttl: 60,
                                  values: ["\"a & b <c> \\\"q\\\"\"", "\"x y\" \"z\""])),
        Change(.delete, RecordSet(name: DNSName("sp\\040ace.example.com"), type: .a, ttl: 60, values: ["192.0.2.10"])),
    ]

    @Test func changeBatchIsByteExact() throws {
        let body = Route53RequestBuilder.changeBatch(Self.everyField, comment: "run 42 & <more>")
        let expected = try Fixtures.text("change-batch-every-field.xml")
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }

    @Test func changeBatchRoundTripsThroughTheResponseParser() throws {
        // The request's ResourceRecordSet shape is the response's: parsing it back must give the
        // same record sets (aliases lose TTL and values, as sent).
        let body = Route53RequestBuilder.changeBatch(Self.everyField, comment: nil)
        var text = String(decoding: body, as: UTF8.self)
        text = text.replacingAll("ChangeResourceRecordSetsRequest", with: "ListResourceRecordSetsResponse")
        text = text.replacingAll("<ChangeBatch><Changes>", with: "<ResourceRecordSets>")
        text = text.replacingAll("</Changes></ChangeBatch>", with: "</ResourceRecordSets>")
        for action in ["CREATE", "DELETE", "UPSERT"] {
            text = text.replacingAll("<Change><Action>\(action)</Action>", with: "")
        }
        text = text.replacingAll("</ResourceRecordSet></Change>", with: "</ResourceRecordSet>")
        let parsed = try Route53ResponseParser.recordSetsPage(Array(text.utf8)).recordSets
        var expected = Self.everyField.map(\.recordSet)
        expected[5].ttl = nil
        expected[5].values = []
        #expect(parsed == expected)
    }

    @Test func commentIsOmittedWhenEmptyAndCappedAt256() {
        let change = [Change(.upsert, RecordSet(name: "a.example.com", type: .a, ttl: 1, values: ["192.0.2.1"]))]
        let none = String(decoding: Route53RequestBuilder.changeBatch(change, comment: ""), as: UTF8.self)
        #expect(!none.contains("<Comment>"))
        let long = String(decoding: Route53RequestBuilder.changeBatch(change, comment: String(repeating: "x", count: 300)),
                          as: UTF8.self)
        #expect(long.contains("<Comment>" + String(repeating: "x", count: 256) + "</Comment>"))
    }

    @Test func listTagsBody() {
        let body = String(decoding: Route53RequestBuilder.listTags(["Z1", "Z2"]), as: UTF8.self)
        #expect(body == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListTagsForResourcesRequest "
            + "xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceIds><ResourceId>Z1</ResourceId>"
            + "<ResourceId>Z2</ResourceId></ResourceIds></ListTagsForResourcesRequest>")
    }

    @Test(arguments: [
        ("\\052.example.com.", "%5C052.example.com."),
        ("us-east-1 blue", "us-east-1%20blue"),
        ("a+b=c/d", "a%2Bb%3Dc%2Fd"),
        ("*~_-.", "%2A~_-."),
        ("é", "%C3%A9"),
    ])
    func queryEncoding(_ raw: String, _ encoded: String) {
        #expect(Route53RequestBuilder.encode(raw) == encoded)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
