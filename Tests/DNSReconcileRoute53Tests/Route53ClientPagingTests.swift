import DNSReconcileCore
@testable import DNSReconcileRoute53
import DNSReconcileTestSupport
import Testing

@Suite("Route53Client requests and paging")
struct Route53ClientPagingTests {
    static let zone = HostedZone(id: "Z1", name: "example.com")

    /// A ListResourceRecordSets page of simple A sets, with an optional cursor.
    static func rrsetPage(_ names: [String], next: (String, String, String?)? = nil, truncatedElement: Bool = true) -> ReplayTransport.Reply {
        var xml = "<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>"
        for name in names {
            xml += "<ResourceRecordSet><Name>\(name)</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord>"
                + "<Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
        }
        xml += "</ResourceRecordSets>"
        if let next {
            xml += "<IsTruncated>true</IsTruncated><NextRecordName>\(next.0)</NextRecordName><NextRecordType>\(next.1)</NextRecordType>"
            if let identifier = next.2 { xml += "<NextRecordIdentifier>\(identifier)</NextRecordIdentifier>" }
        } else if truncatedElement {
            xml += "<IsTruncated>false</IsTruncated>"
        }
        return .xml(xml + "<MaxItems>300</MaxItems></ListResourceRecordSetsResponse>")
    }

    @Test func listZonesFollowsTheMarkerWithConstantMaxItems() throws {
        let transport = ReplayTransport([try .fixture("list-hosted-zones-page1.xml"), try .fixture("list-hosted-zones-page2.xml")])
        let zones = try makeTestClient(transport).listZones()
        #expect(zones.map(\.id) == ["NQSSKCPYASS9Z26FA7Q2XT", "Z1D633PJN98FT9", "Z3AADJGX6KTTL2"])
        #expect(zones.map(\.isPrivate) == [false, true, false])
        #expect(transport.requests.count == 2)
        #expect(transport.requests.allSatisfy { $0.method == "GET" })
        #expect(transport.requests[0].url == "https://route53.amazonaws.com/2013-04-01/hostedzone?maxitems=100")
        #expect(transport.query(1)["maxitems"] == "100")
        #expect(transport.query(1)["marker"]?.hasSuffix("In0+/=") == true)
        // `+`, `/` and `=` of moto's token go percent-encoded.
        #expect(transport.requests[1].url.hasSuffix("In0%2B%2F%3D"))
    }

    @Test func listZonesStopsOnARepeatedMarker() throws {
        let page = "<ListHostedZonesResponse><HostedZones/><IsTruncated>true</IsTruncated><NextMarker>m1</NextMarker></ListHostedZonesResponse>"
        let transport = ReplayTransport([.xml(page), .xml(page), .xml(page)])
        #expect(throws: DNSReconcileError(.route53, "")) { try makeTestClient(transport).listZones() }
        #expect(transport.requests.count == 2)
    }

    @Test func listRecordSetsFollowsNameTypeAndIdentifier() throws {
        let transport = ReplayTransport([
            Self.rrsetPage(["a.example.com."], next: ("w.example.com.", "A", "us-east-1 blue")),
            Self.rrsetPage(["w.example.com."], next: ("\\052.x.example.com.", "TXT", nil)),
            Self.rrsetPage(["z.example.com."], truncatedElement: false),
        ])
        let sets = try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: nil)
        #expect(sets.map(\.name) == ["a.example.com", "w.example.com", "z.example.com"])
        #expect(transport.requests.count == 3)
        #expect(transport.requests[0].url == "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1/rrset?maxitems=300")
        #expect(transport.query(1) == ["maxitems": "300", "name": "w.example.com.", "type": "A",
                                       "identifier": "us-east-1 blue"])
        #expect(transport.requests[1].url.contains("identifier=us-east-1%20blue"))
        #expect(transport.query(2) == ["maxitems": "300", "name": "\\052.x.example.com.", "type": "TXT"])
        #expect(transport.requests[2].url.contains("name=%5C052.x.example.com."))
    }

    @Test func listRecordSetsStopsWhenTheCursorRepeats() {
        // moto without the fix: the identifier is dropped, so the same group comes back forever.
        let transport = ReplayTransport([
            Self.rrsetPage(["a.example.com."], next: ("w.example.com.", "A", nil)),
            Self.rrsetPage(["w.example.com."], next: ("w.example.com.", "A", nil)),
            Self.rrsetPage(["w.example.com."], next: ("w.example.com.", "A", nil)),
        ])
        #expect {
            try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: nil)
        } throws: { error in
            let error = error as? DNSReconcileError
            return error?.code == .route53 && error?.message.contains("makes no progress") == true
        }
        #expect(transport.requests.count == 2)
    }

    @Test func recordSetsListedTwiceAreKeptOnce() throws {
        // A cursor without identifier on moto restarts the group: its first members come again.
        let transport = ReplayTransport([
            Self.rrsetPage(["a.example.com.", "w.example.com."], next: ("w.example.com.", "A", nil)),
            Self.rrsetPage(["w.example.com.", "x.example.com."]),
        ])
        let sets = try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: nil)
        #expect(sets.map(\.name.value) == ["a.example.com", "w.example.com", "x.example.com"])
    }

    /// Sets listed out of Route53's order, and again after that, are still kept once each, at
    /// their first position with the values seen last.
    @Test(arguments: [
        // Listed twice within one name and type, in order (the run of `w`).
        (["a", "w:1", "w:2", "x"], ["a", "w:2", "x"]),
        // The order breaks (`b` after `x`), then `w` comes again.
        (["a", "w:1", "x", "b", "w:3", "c"], ["a", "w:3", "x", "b", "c"]),
        // A set listed again long after its run.
        (["a", "w:1", "x", "y", "a:2"], ["a:2", "w:1", "x", "y"]),
    ])
    func recordSetsListedTwiceAnywhereAreKeptOnce(_ listed: [String], _ kept: [String]) throws {
        var xml = "<ListResourceRecordSetsResponse><ResourceRecordSets>"
        for entry in listed {
            let parts = entry.split(separator: ":")
            let value = parts.count > 1 ? "192.0.2.\(parts[1])" : "192.0.2.0"
            xml += "<ResourceRecordSet><Name>\(parts[0]).example.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords>"
                + "<ResourceRecord><Value>\(value)</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
        }
        let transport = ReplayTransport([.xml(xml + "</ResourceRecordSets><IsTruncated>false</IsTruncated></ListResourceRecordSetsResponse>")])
        let sets = try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: nil)
        let expected = kept.map { entry in
            let parts = entry.split(separator: ":")
            return "\(parts[0]).example.com " + (parts.count > 1 ? "192.0.2.\(parts[1])" : "192.0.2.0")
        }
        #expect(sets.map { "\($0.name.value) \($0.values.joined())" } == expected)
    }

    @Test func listRecordSetsTruncatedWithoutCursorIsAnError() {
        let body = "<ListResourceRecordSetsResponse><ResourceRecordSets/><IsTruncated>true</IsTruncated></ListResourceRecordSetsResponse>"
        let transport = ReplayTransport([.xml(body)])
        #expect(throws: DNSReconcileError(.route53, "")) {
            try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: nil)
        }
    }

    @Test func listRecordSetsUsesTheBareZoneID() throws {
        let transport = ReplayTransport([Self.rrsetPage([])])
        _ = try makeTestClient(transport).listRecordSets(in: HostedZone(id: "/hostedzone/Z9", name: "example.com"), subtree: nil)
        #expect(transport.requests[0].url.hasPrefix("https://route53.amazonaws.com/2013-04-01/hostedzone/Z9/rrset?"))
    }

    @Test func subtreeListingStartsAtTheSubtreeAndStopsAfterIt() throws {
        // moto's order (unescaped, no trailing dot): `sub-x` sits between `sub` and its children.
        let transport = ReplayTransport([
            Self.rrsetPage(["sub.example.com.", "sub-x.example.com.", "*.sub.example.com.", "a.sub.example.com.",
                            "a-b.sub.example.com.", "b.sub.example.com.", "x.b.sub.example.com.", "sub0.example.com.",
                            "zzz.example.com."],
                           next: ("zzzz.example.com.", "A", nil)),
        ])
        let sets = try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: "Sub.Example.com.")
        #expect(sets.map(\.name.value) == ["sub.example.com", "*.sub.example.com", "a.sub.example.com",
                                           "a-b.sub.example.com", "b.sub.example.com", "x.b.sub.example.com"])
        #expect(transport.requests.count == 1)
        #expect(transport.query(0) == ["maxitems": "300", "name": "sub.example.com."])
    }

    @Test func subtreeListingContinuesAcrossPages() throws {
        let transport = ReplayTransport([
            Self.rrsetPage(["a.sub.example.com."], next: ("b.sub.example.com.", "A", nil)),
            Self.rrsetPage(["b.sub.example.com."], truncatedElement: false),
        ])
        let sets = try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: "sub.example.com")
        #expect(sets.map(\.name.value) == ["a.sub.example.com", "b.sub.example.com"])
        #expect(transport.requests.count == 2)
    }

    @Test(arguments: [
        ("sub.example.com", SubtreePosition.inside),
        ("x.sub.example.com", .inside),
        ("*.sub.example.com", .inside),
        ("a-b.sub.example.com", .inside),
        ("sub-x.example.com", .before),
        ("sub!.example.com", .before),
        ("sub*.example.com", .before),
        ("sub0.example.com", .after),
        ("sub_.example.com", .after),
        ("subz.example.com", .after),
        ("zz.example.com", .after),
        ("x.example.org", .after),
    ])
    func subtreePosition(_ name: String, _ position: SubtreePosition) {
        #expect(SubtreePosition(of: DNSName(name), in: "sub.example.com") == position)
    }

    @Test func applyPostsTheSignedBatchAndParsesChangeInfo() throws {
        let transport = ReplayTransport([try .fixture("change-rrsets-response.xml")])
        let time = ManualTimeSource(start: 1_768_480_496)  // 2026-01-15T12:34:56Z
        let changes = Route53RequestBuilderTests.everyField
        let info = try makeTestClient(transport, time: time).apply(changes, in: Self.zone, comment: "run 42 & <more>")
        #expect(info == ChangeInfo(id: "C2682N5HXP0BZ4", status: "PENDING"))
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1/rrset/")
        #expect(request.headers.contains(HTTPHeader("Content-Type", "application/xml")))
        #expect(request.headers.contains(HTTPHeader("X-Amz-Date", "20260115T123456Z")))
        let authorization = try #require(request.headers.first { $0.name == "Authorization" }?.value)
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/route53/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature="))
        #expect(request.body == Array(try Fixtures.text("change-batch-every-field.xml").utf8))
    }

    @Test func applyRefusesAnEmptyBatch() {
        let transport = ReplayTransport([])
        #expect(throws: DNSReconcileError(.internal, "")) {
            try makeTestClient(transport).apply([], in: Self.zone, comment: nil)
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func getChangeAcceptsPrefixedIDs() throws {
        let transport = ReplayTransport([try .fixture("get-change.xml")])
        let info = try makeTestClient(transport, endpoint: "http://127.0.0.1:5000/").getChange(id: "/change/C2682N5HXP0BZ4")
        #expect(info == ChangeInfo(id: "C2682N5HXP0BZ4", status: "INSYNC"))
        #expect(transport.requests[0].url == "http://127.0.0.1:5000/2013-04-01/change/C2682N5HXP0BZ4")
    }

    @Test func zoneTagsGoInChunksOfTen() throws {
        let ids = (1...23).map { "Z\($0)" }
        func reply(_ chunk: ArraySlice<String>) -> ReplayTransport.Reply {
            var xml = "<ListTagsForResourcesResponse><ResourceTagSets>"
            for id in chunk where id != "Z2" {
                xml += "<ResourceTagSet><ResourceType>hostedzone</ResourceType><ResourceId>\(id)</ResourceId><Tags>"
                    + "<Tag><Key>id</Key><Value>\(id)</Value></Tag></Tags></ResourceTagSet>"
            }
            return .xml(xml + "</ResourceTagSets></ListTagsForResourcesResponse>")
        }
        let transport = ReplayTransport([reply(ids[0..<10]), reply(ids[10..<20]), reply(ids[20..<23])])
        let tags = try makeTestClient(transport).zoneTags(ids.map { "/hostedzone/\($0)" })
        #expect(transport.requests.count == 3)
        #expect(transport.requests.allSatisfy {
            $0.method == "POST" && $0.url == "https://route53.amazonaws.com/2013-04-01/tags/hostedzone"
        })
        let third = String(decoding: transport.requests[2].body, as: UTF8.self)
        #expect(third.contains("<ResourceId>Z21</ResourceId><ResourceId>Z22</ResourceId><ResourceId>Z23</ResourceId></ResourceIds>"))
        #expect(tags.count == 23)
        #expect(tags["Z2"] == [:])
        #expect(tags["Z17"] == ["id": "Z17"])
    }

    @Test func zoneTagsOfNoZonesSendsNothing() throws {
        let transport = ReplayTransport([])
        #expect(try makeTestClient(transport).zoneTags([]) == [:])
        #expect(transport.requests.isEmpty)
    }

    @Test func observerSeesEveryRequest() throws {
        let observer = RecordingObserver()
        let transport = ReplayTransport([try .fixture("list-hosted-zones-page1.xml"), try .fixture("list-hosted-zones-page2.xml"),
                                         try .fixture("get-change.xml")])
        let client = makeTestClient(transport, observer: observer)
        _ = try client.listZones()
        _ = try client.getChange(id: "C1")
        #expect(observer.requests == ["ListHostedZones 200", "ListHostedZones 200", "GetChange 200"])
        #expect(observer.retries.isEmpty)
    }
}
