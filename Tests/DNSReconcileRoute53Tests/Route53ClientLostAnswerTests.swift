import DNSReconcileCore
@testable import DNSReconcileRoute53
import DNSReconcileTestSupport
import Testing

/// What the client does when a ChangeResourceRecordSets answer is lost (timeout or reset after
/// sending), when Route53 asks to wait (`x-amz-retry-after`), and when the pass deadline is near.
@Suite("Route53Client: lost answers, retry-after, deadline")
struct Route53ClientLostAnswerTests {
    static let zone = HostedZone(id: "Z1", name: "example.com")
    static let record = RecordSet(name: "app.example.com", type: .a, ttl: 60, values: ["192.0.2.1"])
    static let companion = RecordSet(name: "a-app.example.com", type: .txt, ttl: 300,
                                     values: ["\"heritage=external-dns,external-dns/owner=me\""])
    static let creates = [Change(.create, record), Change(.create, companion)]
    static let reset = ReplayTransport.Reply.failure(DNSReconcileError(
        .transport, "request to https://route53.amazonaws.com failed", cause: "Failure when receiving data from the peer"))

    static func listing(_ sets: [RecordSet]) -> ReplayTransport.Reply {
        var xml = "<ListResourceRecordSetsResponse><ResourceRecordSets>"
        for set in sets {
            xml += "<ResourceRecordSet><Name>\(set.name.fqdn)</Name><Type>\(set.type)</Type><TTL>\(set.ttl ?? 0)</TTL><ResourceRecords>"
            for value in set.values {
                xml += "<ResourceRecord><Value>\(value.replacingOccurrences(of: "&", with: "&amp;"))</Value></ResourceRecord>"
            }
            xml += "</ResourceRecords></ResourceRecordSet>"
        }
        return .xml(xml + "</ResourceRecordSets><IsTruncated>false</IsTruncated></ListResourceRecordSetsResponse>")
    }

    @Test func appliedBatchIsNotResent() throws {
        let observer = RecordingObserver()
        // One subtree listing per name of the batch: app, then a-app.
        let transport = ReplayTransport([Self.reset, Self.listing([Self.record]), Self.listing([Self.companion])])
        let info = try makeTestClient(transport, observer: observer).apply(Self.creates, in: Self.zone, comment: nil)
        #expect(info.status == "PENDING")
        #expect(transport.requests.filter { $0.method == "POST" }.count == 1, "never resent")
        #expect(transport.query(1)["name"] == "app.example.com.")
        #expect(transport.query(2)["name"] == "a-app.example.com.")
        #expect(observer.retries.isEmpty)
        #expect(observer.notices.count == 1)
        #expect(observer.notices.first?.contains("shows the batch applied, so it is not resent") == true)
    }

    @Test func unappliedBatchIsResentOnce() throws {
        let time = ManualTimeSource()
        let transport = ReplayTransport([Self.reset, Self.listing([]), Self.listing([]),
                                         try .fixture("change-rrsets-response.xml")])
        let info = try makeTestClient(transport, time: time, jitter: [0.5]).apply(Self.creates, in: Self.zone, comment: nil)
        #expect(info.id == "C2682N5HXP0BZ4")
        #expect(transport.requests.filter { $0.method == "POST" }.count == 2)
        #expect(time.sleeps == [0.05])
    }

    @Test func halfVisibleBatchIsNotResentAndSaysWhy() throws {
        let transport = ReplayTransport([Self.reset, Self.listing([Self.record]), Self.listing([])])
        let error = #expect(throws: DNSReconcileError.self) {
            try makeTestClient(transport).apply(Self.creates, in: Self.zone, comment: nil)
        }
        #expect(error?.code == .transport)
        #expect(error?.message.contains("neither the state before the batch nor the state after it") == true)
        #expect(error?.message.contains("TXT a-app.example.com") == true)
        #expect(transport.requests.filter { $0.method == "POST" }.count == 1)
    }

    @Test func failingCheckMeansNoResend() throws {
        let transport = ReplayTransport([Self.reset, try .fixture("error-iam-shape.xml", status: 403)])
        let error = #expect(throws: DNSReconcileError.self) {
            try makeTestClient(transport).apply(Self.creates, in: Self.zone, comment: nil)
        }
        #expect(error?.message.contains("re-reading the zone to find out failed") == true)
        #expect(transport.requests.count == 2)
    }

    /// An answer to a copy the transport sent after the kept-alive connection closed under the
    /// first one: `timesSent` 2.
    static func secondCopy(_ reply: ReplayTransport.Reply) -> ReplayTransport.Reply {
        guard case .response(var response) = reply else { return reply }
        response.timesSent = 2
        return .response(response)
    }

    static func alreadyExists() -> ReplayTransport.Reply {
        .xml("""
            <InvalidChangeBatch xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Messages><Message>Tried to \
            create resource record set [name='app.example.com.', type='A'] but it already exists</Message></Messages>\
            </InvalidChangeBatch>
            """, status: 400)
    }

    @Test func refusedDuplicateOfAnAppliedBatchCountsAsApplied() throws {
        let observer = RecordingObserver()
        let transport = ReplayTransport([Self.secondCopy(Self.alreadyExists()), Self.listing([Self.record]),
                                         Self.listing([Self.companion])])
        let info = try makeTestClient(transport, observer: observer).apply(Self.creates, in: Self.zone, comment: nil)
        #expect(info.status == "PENDING")
        #expect(transport.requests.filter { $0.method == "POST" }.count == 1, "not resent by the client")
        #expect(observer.requests == ["ChangeResourceRecordSets transport", "ChangeResourceRecordSets InvalidChangeBatch",
                                      "ListResourceRecordSets 200", "ListResourceRecordSets 200"])
        #expect(observer.notices.count == 1)
        #expect(observer.notices.first?.contains("an earlier copy of the batch went out") == true)
        #expect(observer.notices.first?.contains("shows the batch applied, so it is not resent") == true)
    }

    @Test func refusedDuplicateDeleteOfAnAppliedBatchCountsAsApplied() throws {
        let observer = RecordingObserver()
        let notFound = ReplayTransport.Reply.xml("""
            <InvalidChangeBatch xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Messages><Message>Tried to \
            delete resource record set [name='app.example.com.', type='A'] but it was not found</Message></Messages>\
            </InvalidChangeBatch>
            """, status: 400)
        let transport = ReplayTransport([Self.secondCopy(notFound), Self.listing([]), Self.listing([])])
        let deletes = [Change(.delete, Self.record), Change(.delete, Self.companion)]
        _ = try makeTestClient(transport, observer: observer).apply(deletes, in: Self.zone, comment: nil)
        #expect(transport.requests.filter { $0.method == "POST" }.count == 1)
        #expect(observer.notices.first?.contains("shows the batch applied, so it is not resent") == true)
    }

    @Test func refusalOfASecondCopyOfAnUnappliedBatchStands() throws {
        let transport = ReplayTransport([Self.secondCopy(Self.alreadyExists()), Self.listing([]), Self.listing([])])
        let error = #expect(throws: DNSReconcileError.self) {
            try makeTestClient(transport).apply(Self.creates, in: Self.zone, comment: nil)
        }
        // Still a rejection, so the pass isolates the bad change as for any refused batch.
        #expect(error?.code == .invalidChangeBatch)
        #expect(error?.message.contains("shows the batch not applied") == true)
        #expect(transport.requests.filter { $0.method == "POST" }.count == 1)
    }

    @Test func throttledSecondCopyIsCheckedBeforeTheRetry() throws {
        let time = ManualTimeSource()
        let transport = ReplayTransport([Self.secondCopy(try .fixture("error-throttling.xml", status: 400)),
                                         Self.listing([]), Self.listing([]), try .fixture("change-rrsets-response.xml")])
        let info = try makeTestClient(transport, time: time, jitter: [0.5]).apply(Self.creates, in: Self.zone, comment: nil)
        #expect(info.id == "C2682N5HXP0BZ4")
        #expect(transport.requests.map(\.method) == ["POST", "GET", "GET", "POST"])
        #expect(time.sleeps == [0.5])
    }

    @Test func throttledSecondCopyOfAnAppliedBatchIsNotRetried() throws {
        let transport = ReplayTransport([Self.secondCopy(try .fixture("error-throttling.xml", status: 400)),
                                         Self.listing([Self.record]), Self.listing([Self.companion])])
        _ = try makeTestClient(transport).apply(Self.creates, in: Self.zone, comment: nil)
        #expect(transport.requests.filter { $0.method == "POST" }.count == 1)
    }

    /// The first attempt timed out and the check found nothing, so the batch was resent; Route53
    /// had applied the first attempt after all and refuses the retry.
    @Test func refusedRetryAfterALostAnswerIsCheckedAgain() throws {
        let observer = RecordingObserver()
        let transport = ReplayTransport([Self.reset, Self.listing([]), Self.listing([]), Self.alreadyExists(),
                                         Self.listing([Self.record]), Self.listing([Self.companion])])
        _ = try makeTestClient(transport, observer: observer).apply(Self.creates, in: Self.zone, comment: nil)
        #expect(transport.requests.filter { $0.method == "POST" }.count == 2)
        #expect(observer.notices.first?.contains("shows the batch applied, so it is not resent") == true)
    }

    @Test func refusalOfASingleCopyIsNotChecked() throws {
        let transport = ReplayTransport([Self.alreadyExists()])
        let error = #expect(throws: DNSReconcileError.self) {
            try makeTestClient(transport).apply(Self.creates, in: Self.zone, comment: nil)
        }
        #expect(error?.code == .invalidChangeBatch)
        #expect(transport.requests.count == 1, "no listing")
    }

    @Test func aListingSentTwiceNeedsNoCheck() throws {
        let observer = RecordingObserver()
        let transport = ReplayTransport([Self.secondCopy(Self.listing([Self.record]))])
        let sets = try makeTestClient(transport, observer: observer).listRecordSets(in: Self.zone, subtree: nil)
        #expect(sets == [Self.record])
        #expect(observer.requests == ["ListResourceRecordSets transport", "ListResourceRecordSets 200"])
    }

    @Test func largeBatchIsCheckedWithOneListingOfTheZone() throws {
        let sets = (0..<20).map { RecordSet(name: DNSName("n\($0).example.com"), type: .a, ttl: 60, values: ["192.0.2.\($0)"]) }
        let transport = ReplayTransport([Self.reset, Self.listing(sets)])
        _ = try makeTestClient(transport).apply(sets.map { Change(.create, $0) }, in: Self.zone, comment: nil)
        #expect(transport.requests.count == 2)
        #expect(transport.query(1)["name"] == nil)
    }

    @Test func acceptedBatchWithAnUnreadableAnswerCountsAsApplied() throws {
        let observer = RecordingObserver()
        let transport = ReplayTransport([.xml("<ChangeResourceRecordSetsResponse><ChangeInfo><Id>/change/C1</Id>")])
        let info = try makeTestClient(transport, observer: observer).apply(Self.creates, in: Self.zone, comment: nil)
        #expect(info.status == "PENDING")
        #expect(observer.notices.first?.contains("counted as applied") == true)
    }

    @Test(arguments: [
        ("x-amz-retry-after", "2500", 2.5),
        ("x-amz-retry-after", "10", 0.5),
        ("X-Amz-Retry-After", "90000", 20.0),
        ("Retry-After", "3", 3.0),
        ("x-amz-retry-after", "soon", 0.5),
    ])
    func retryAfterIsHonouredWithinTheCap(_ header: String, _ value: String, _ sleep: Double) throws {
        let time = ManualTimeSource()
        let throttled = HTTPResponse(status: 400, headers: [HTTPHeader(header, value)], body: try Fixtures.bytes("error-throttling.xml"))
        let transport = ReplayTransport([.response(throttled), try .fixture("list-hosted-zones-page2.xml")])
        _ = try makeTestClient(transport, time: time, jitter: [0.5]).listZones()
        #expect(time.sleeps == [sleep])
    }

    @Test func noAttemptStartsAfterTheDeadline() throws {
        let time = ManualTimeSource()
        let transport = ReplayTransport([try .fixture("list-hosted-zones-page2.xml")])
        let client = makeTestClient(transport, time: time, deadline: time.now())
        let error = #expect(throws: DNSReconcileError.self) { try client.listZones() }
        #expect(error?.code == .deadline)
        #expect(transport.requests.isEmpty)
    }

    @Test func noBackoffSleepsPastTheDeadline() throws {
        let time = ManualTimeSource()
        let transport = ReplayTransport([try .fixture("error-throttling.xml", status: 400), try .fixture("error-throttling.xml", status: 400),
                                         try .fixture("list-hosted-zones-page2.xml")])
        // Sleeps would be 0.9 then 1.8 s; the deadline is 2 s away, so the second is refused.
        let client = makeTestClient(transport, time: time, jitter: [0.9], deadline: time.now() + 2)
        let error = #expect(throws: DNSReconcileError.self) { try client.listZones() }
        #expect(error?.code == .throttled)
        #expect(error?.message.contains("not retried: the pass deadline would pass during the 1.8 s backoff after 1 retry") == true)
        #expect(time.sleeps == [0.9])
        #expect(transport.requests.count == 2)
    }

    @Test func listingPagesStopAtTheDeadline() throws {
        let time = ManualTimeSource()
        let page1 = ReplayTransport.Reply.xml("""
            <ListResourceRecordSetsResponse><ResourceRecordSets/><IsTruncated>true</IsTruncated>\
            <NextRecordName>b.example.com.</NextRecordName><NextRecordType>A</NextRecordType></ListResourceRecordSetsResponse>
            """)
        let transport = ReplayTransport([page1, Self.listing([])])
        let client = makeTestClient(transport, time: time, deadline: time.now() + 1)
        transport.onSend = { time.advance(by: 1) }
        let error = #expect(throws: DNSReconcileError.self) { try client.listRecordSets(in: Self.zone, subtree: nil) }
        #expect(error?.code == .deadline)
        #expect(transport.requests.count == 1)
    }

    @Test func eachRetryIsReportedOnceWithItsDelayAndCause() throws {
        let observer = RecordingObserver()
        let transport = ReplayTransport([try .fixture("error-prior-request.xml", status: 400), try .fixture("error-html-500.html", status: 503),
                                         try .fixture("change-rrsets-response.xml")])
        _ = try makeTestClient(transport, observer: observer, jitter: [0.5]).apply(Self.creates, in: Self.zone, comment: nil)
        #expect(observer.retries == ["ChangeResourceRecordSets PriorRequestNotComplete", "ChangeResourceRecordSets 503"])
        #expect(observer.events.map(\.retry) == [1, 2])
        #expect(observer.events.map(\.delay) == [0.5, 0.1])
        #expect(observer.events.first?.message.contains("PriorRequestNotComplete") == true)
    }

    @Test(arguments: [
        ("Throttling", 400, true), ("ThrottlingException", 400, true), ("PriorRequestNotComplete", 400, true),
        ("ServiceUnavailable", 503, true), ("InternalFailure", 500, true), ("RequestTimeout", 400, true),
        ("SomethingNew", 502, true), ("SomethingNew", 504, true), ("TooManyRequests", 429, true),
        ("InvalidChangeBatch", 400, false), ("InvalidInput", 400, false), ("NoSuchHostedZone", 404, false),
        ("AccessDenied", 403, false), ("SignatureDoesNotMatch", 403, false), ("ConflictingTypes", 400, false),
    ])
    func classification(_ code: String, _ status: Int, _ retried: Bool) {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>m</Message></Error></ErrorResponse>"
        let answer = Route53ErrorResponse(status: status, body: Array(body.utf8))
        #expect((answer.retryClass != nil) == retried)
    }
}
