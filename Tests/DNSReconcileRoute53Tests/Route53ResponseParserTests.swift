import DNSReconcileCore
@testable import DNSReconcileRoute53
import Testing

@Suite("Route53 response parsing")
struct Route53ResponseParserTests {
    @Test func hostedZonesPageWithNextMarker() throws {
        let page = try Route53ResponseParser.hostedZonesPage(try Fixtures.bytes("list-hosted-zones-page1.xml"))
        #expect(page.zones == [
            HostedZone(id: "NQSSKCPYASS9Z26FA7Q2XT", name: "example.com", isPrivate: false),
            HostedZone(id: "Z1D633PJN98FT9", name: "internal.example.org", isPrivate: true),
        ])
        #expect(page.isTruncated)
        #expect(page.nextMarker?.hasSuffix("In0+/=") == true)
    }

    @Test func lastHostedZonesPageWithUnknownElements() throws {
        let page = try Route53ResponseParser.hostedZonesPage(try Fixtures.bytes("list-hosted-zones-page2.xml"))
        #expect(page.zones == [HostedZone(id: "Z3AADJGX6KTTL2", name: DNSName("*weird.example.net"))])
        #expect(!page.isTruncated)
        #expect(page.nextMarker == nil)
    }

    @Test func recordSetsPageWithEveryRoutingShape() throws {
        let page = try Route53ResponseParser.recordSetsPage(try Fixtures.bytes("list-rrsets-routing.xml"))
        let expected: [RecordSet] = [
            RecordSet(name: "example.com", type: .ns, ttl: 172800,
                      values: ["ns-2048.awsdns-64.com", "ns-2049.awsdns-65.net"]),
            RecordSet(name: "*.example.com", type: .txt, ttl: 60,
                      values: ["\"v=spf1 -all\"", "\"a & b <c>\" \"part2\""]),
            RecordSet(name: "w.example.com", type: .a, setIdentifier: "blue", routing: .weighted(weight: 10), ttl: 60,
                      values: ["192.0.2.1"], healthCheckID: "afc376f3-e839-4063-b140-fa2598c7f6c4"),
            RecordSet(name: "lat.example.com", type: .a, setIdentifier: "use1", routing: .latency(region: "us-east-1"),
                      ttl: 60, values: ["192.0.2.2"]),
            RecordSet(name: "fo.example.com", type: .a, setIdentifier: "primary", routing: .failover(.primary), ttl: 60,
                      values: ["192.0.2.3"]),
            RecordSet(name: "geo.example.com", type: .a, setIdentifier: "us-ca",
                      routing: .geolocation(GeoLocation(countryCode: "US", subdivisionCode: "CA")), ttl: 60,
                      values: ["192.0.2.4"]),
            RecordSet(name: "geo.example.com", type: .a, setIdentifier: "eu",
                      routing: .geolocation(GeoLocation(continentCode: "EU")), ttl: 60, values: ["192.0.2.5"]),
            RecordSet(name: "geo.example.com", type: .a, setIdentifier: "default",
                      routing: .geolocation(GeoLocation(countryCode: "*")), ttl: 60, values: ["192.0.2.6"]),
            RecordSet(name: "mv.example.com", type: .a, setIdentifier: "mv1", routing: .multiValue, ttl: 60,
                      values: ["192.0.2.7"]),
            RecordSet(name: "gp.example.com", type: .a, setIdentifier: "gp1",
                      routing: .geoproximity(GeoProximity(latitude: "49.22", longitude: "-74.01", bias: -25)), ttl: 60,
                      values: ["192.0.2.8"]),
            RecordSet(name: "gp.example.com", type: .a, setIdentifier: "gp2",
                      routing: .geoproximity(GeoProximity(awsRegion: "eu-west-1", bias: 0)), ttl: 60,
                      values: ["192.0.2.9"]),
            RecordSet(name: "elb.example.com", type: .a, ttl: nil,
                      alias: AliasTarget(hostedZoneID: "Z35SXDOTRQ7X7K",
                                         dnsName: "dualstack.my-elb-123.us-east-1.elb.amazonaws.com",
                                         evaluateTargetHealth: false)),
            RecordSet(name: "*.app.example.com", type: .aaaa,
                      alias: AliasTarget(hostedZoneID: "Z2FDTNDATAQYW2", dnsName: "d111111abcdef8.cloudfront.net",
                                         evaluateTargetHealth: true)),
            RecordSet(name: DNSName("caf\\351.example.com."), type: .cname, ttl: 300, values: ["www.example.com"]),
        ]
        #expect(page.recordSets.count == expected.count)
        for (got, want) in zip(page.recordSets, expected) { #expect(got == want) }
        #expect(page.recordSets[1].name.isWildcard)
        #expect(page.isTruncated)
        #expect(page.nextName == "w.pg.test.")
        #expect(page.nextType == "A")
        #expect(page.nextIdentifier == "green")
    }

    @Test func recordSetsPageWithoutIsTruncatedIsTheLastPage() throws {
        let body = "<ListResourceRecordSetsResponse><ResourceRecordSets/><MaxItems>300</MaxItems></ListResourceRecordSetsResponse>"
        let page = try Route53ResponseParser.recordSetsPage(Array(body.utf8))
        #expect(page == Route53ResponseParser.RecordSetsPage())
    }

    @Test(arguments: [
        ("<TTL>abc</TTL>", "TTL"),
        ("<Weight>-</Weight><SetIdentifier>x</SetIdentifier>", "Weight"),
        ("<Failover>TERTIARY</Failover>", "Failover"),
        ("<MultiValueAnswer>yes</MultiValueAnswer>", "MultiValueAnswer"),
    ])
    func badFieldValuesAreXMLErrors(_ field: String, _ name: String) {
        let body = "<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet><Name>a.example.com.</Name>"
            + "<Type>A</Type>\(field)</ResourceRecordSet></ResourceRecordSets></ListResourceRecordSetsResponse>"
        #expect {
            try Route53ResponseParser.recordSetsPage(Array(body.utf8))
        } throws: { error in
            let error = error as? DNSReconcileError
            return error?.code == .xml && error?.message.contains(name) == true
        }
    }

    @Test func recordSetWithoutNameIsAnXMLError() {
        let body = "<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet><Type>A</Type>"
            + "</ResourceRecordSet></ResourceRecordSets></ListResourceRecordSetsResponse>"
        #expect(throws: DNSReconcileError(.xml, "")) { try Route53ResponseParser.recordSetsPage(Array(body.utf8)) }
    }

    @Test func truncatedRecordSetsPageIsAnXMLError() throws {
        let bytes = try Fixtures.bytes("truncated.xml")
        #expect(throws: DNSReconcileError(.xml, "")) { try Route53ResponseParser.recordSetsPage(bytes) }
    }

    @Test func changeInfoStripsTheChangePrefix() throws {
        let applied = try Route53ResponseParser.changeInfo(try Fixtures.bytes("change-rrsets-response.xml"),
                                                           operation: "ChangeResourceRecordSets")
        #expect(applied == ChangeInfo(id: "C2682N5HXP0BZ4", status: "PENDING"))
        let polled = try Route53ResponseParser.changeInfo(try Fixtures.bytes("get-change.xml"), operation: "GetChange")
        #expect(polled == ChangeInfo(id: "C2682N5HXP0BZ4", status: "INSYNC"))
    }

    @Test func changeInfoMissingIsAnXMLError() {
        #expect(throws: DNSReconcileError(.xml, "")) {
            try Route53ResponseParser.changeInfo(Array("<GetChangeResponse/>".utf8), operation: "GetChange")
        }
    }

    @Test func resourceTags() throws {
        let tags = try Route53ResponseParser.resourceTags(try Fixtures.bytes("list-tags.xml"))
        #expect(tags == ["Z1": ["owner": "dns-reconciler", "env": "prod"], "Z2": [:]])
    }

    @Test(arguments: [("/hostedzone/Z1", "Z1"), ("/change/C2", "C2"), ("Z3", "Z3"), ("", "")])
    func bareIDs(_ raw: String, _ bare: String) {
        #expect(Route53ResponseParser.bareID(raw) == bare)
    }
}
