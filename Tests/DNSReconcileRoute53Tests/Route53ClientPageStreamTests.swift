import DNSReconcileCore
@testable import DNSReconcileRoute53
import DNSReconcileTestSupport
import Testing

/// `listRecordSets(in:subtree:pages:)`: the listing handed over a page at a time, for a caller
/// that judges each set as it comes and keeps none of the zone.
@Suite("Route53Client listing page by page")
struct Route53ClientPageStreamTests {
    static let zone = HostedZone(id: "Z1", name: "example.com")

    /// One ListResourceRecordSets page of A sets written `name` or `name:value`, with an
    /// optional cursor.
    static func page(_ entries: [String], next: (String, String)? = nil) -> ReplayTransport.Reply {
        var xml = "<ListResourceRecordSetsResponse><ResourceRecordSets>"
        for entry in entries {
            let parts = entry.split(separator: ":")
            let value = parts.count > 1 ? "192.0.2.\(parts[1])" : "192.0.2.0"
            xml += "<ResourceRecordSet><Name>\(parts[0]).example.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords>"
                + "<ResourceRecord><Value>\(value)</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
        }
        xml += "</ResourceRecordSets>"
        if let next {
            xml += "<IsTruncated>true</IsTruncated><NextRecordName>\(next.0).example.com.</NextRecordName>"
                + "<NextRecordType>\(next.1)</NextRecordType>"
        } else {
            xml += "<IsTruncated>false</IsTruncated>"
        }
        return .xml(xml + "</ListResourceRecordSetsResponse>")
    }

    static func describe(_ set: RecordSet) -> String {
        set.name.value.replacingOccurrences(of: ".example.com", with: "") + ":" + set.values.joined().replacingOccurrences(of: "192.0.2.", with: "")
    }

    @Test func pagesArriveInOrderAndEqualTheWholeListing() throws {
        let replies = [Self.page(["a", "b"], next: ("c", "A")), Self.page(["c", "d"], next: ("e", "A")), Self.page(["e"])]
        var pages: [[String]] = []
        try makeTestClient(ReplayTransport(replies)).listRecordSets(in: Self.zone, subtree: nil) { page in
            pages.append(page.map(Self.describe))
        }
        let whole = try makeTestClient(ReplayTransport(replies)).listRecordSets(in: Self.zone, subtree: nil)
        #expect(pages.flatMap { $0 } == whole.map(Self.describe))
        #expect(pages.count >= 2)
        // The last set of a page waits for the next name, so it can still be replaced.
        #expect(pages.first == ["a:0"])
    }

    @Test func aSetListedAgainAcrossAPageBoundaryIsHandedOverOnceWithItsLastValues() throws {
        // An emulator that restarts a name's group on the next page.
        let transport = ReplayTransport([Self.page(["a", "w:1"], next: ("w", "A")), Self.page(["w:2", "x"])])
        var listed: [String] = []
        try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: nil) { page in listed += page.map(Self.describe) }
        #expect(listed == ["a:0", "w:2", "x:0"])
    }

    @Test func aListingOutOfOrderFailsInsteadOfHandingOverASecondCopy() {
        let transport = ReplayTransport([Self.page(["a", "x", "b"])])
        var listed: [String] = []
        #expect {
            try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: nil) { page in listed += page.map(Self.describe) }
        } throws: { error in
            (error as? DNSReconcileError)?.code == .route53 && (error as? DNSReconcileError)?.message.contains("out of order") == true
        }
        #expect(!listed.contains("b:0"))
    }

    @Test func aSubtreeStopsAtTheFirstNameAfterIt() throws {
        let transport = ReplayTransport([
            Self.page(["app", "x.app", "b"], next: ("c", "A")),
            Self.page(["c"]),
        ])
        var listed: [String] = []
        try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: DNSName("app.example.com")) { page in
            listed += page.map(Self.describe)
        }
        #expect(listed == ["app:0", "x.app:0"])
        // The second page is never asked for.
        #expect(transport.requests.count == 1)
    }

    @Test func anErrorFromTheCallerStopsTheListing() {
        let transport = ReplayTransport([Self.page(["a", "b"], next: ("c", "A")), Self.page(["c"])])
        #expect(throws: DNSReconcileError(.internal, "")) {
            try makeTestClient(transport).listRecordSets(in: Self.zone, subtree: nil) { _ throws(DNSReconcileError) in
                throw DNSReconcileError(.internal, "stop")
            }
        }
        #expect(transport.requests.count == 1)
    }
}
