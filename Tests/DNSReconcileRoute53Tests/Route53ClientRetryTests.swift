import DNSReconcileCore
@testable import DNSReconcileRoute53
import DNSReconcileTestSupport
import Testing

@Suite("Route53Client retries")
struct Route53ClientRetryTests {
    static let zone = HostedZone(id: "Z1", name: "example.com")
    static let batch = [Change(.upsert, RecordSet(name: "a.example.com", type: .a, ttl: 60, values: ["192.0.2.1"]))]

    static func zonesPage() throws -> ReplayTransport.Reply { try .fixture("list-hosted-zones-page2.xml") }
    static func throttled() throws -> ReplayTransport.Reply { try .fixture("error-throttling.xml", status: 400) }
    static func html503() throws -> ReplayTransport.Reply { try .fixture("error-html-500.html", status: 503) }
    static let timeout = ReplayTransport.Reply.failure(DNSReconcileError(.timeout, "Operation timed out after 30000 ms",
                                                                         cause: "CURLE_OPERATION_TIMEDOUT"))
    static let connectFailed = ReplayTransport.Reply.failure(DNSReconcileError(.transport, "Couldn't connect to server",
                                                                               cause: "CURLE_COULDNT_CONNECT"))

    @Test func throttlingBacksOffFromOneSecond() throws {
        let time = ManualTimeSource()
        let observer = RecordingObserver()
        let transport = ReplayTransport([try Self.throttled(), try Self.throttled(), try Self.zonesPage()])
        let start = time.now()
        let zones = try makeTestClient(transport, time: time, observer: observer, jitter: [0.5]).listZones()
        #expect(zones.count == 1)
        #expect(time.sleeps == [0.5, 1.0])
        #expect(observer.requests == ["ListHostedZones Throttling", "ListHostedZones Throttling", "ListHostedZones 200"])
        #expect(observer.retries == ["ListHostedZones Throttling", "ListHostedZones Throttling"])
        // Every attempt is signed afresh at the time it is sent.
        let dates = transport.requests.map { request in request.headers.first { $0.name == "X-Amz-Date" }?.value }
        #expect(dates[0] == SigV4Signer.timestamp(start))
        #expect(dates[2] == SigV4Signer.timestamp(start + 1.5))
    }

    @Test func transientErrorsBackOffFromATenthOfASecond() throws {
        let time = ManualTimeSource()
        let observer = RecordingObserver()
        let transport = ReplayTransport([try Self.html503(), Self.timeout, Self.connectFailed, try Self.zonesPage()])
        _ = try makeTestClient(transport, time: time, observer: observer, jitter: [0.5]).listZones()
        #expect(time.sleeps == [0.05, 0.1, 0.2])
        #expect(observer.requests == ["ListHostedZones 503", "ListHostedZones transport", "ListHostedZones transport",
                                      "ListHostedZones 200"])
        #expect(observer.retries == ["ListHostedZones 503", "ListHostedZones timeout", "ListHostedZones transport"])
    }

    @Test func backoffIsCappedAtTwentySeconds() throws {
        let time = ManualTimeSource()
        let replies = try (0..<8).map { _ in try Self.throttled() } + [try Self.zonesPage()]
        _ = try makeTestClient(ReplayTransport(replies), time: time, jitter: [0.75]).listZones()
        #expect(time.sleeps == [0.75, 1.5, 3, 6, 12, 15, 15, 15])
    }

    @Test func jitterScalesEachSleep() throws {
        let time = ManualTimeSource()
        let transport = ReplayTransport([try Self.throttled(), try Self.throttled(), try Self.throttled(), try Self.zonesPage()])
        _ = try makeTestClient(transport, time: time, jitter: [0, 0.25, 0.9]).listZones()
        #expect(time.sleeps == [0, 0.5, 3.6])
    }

    @Test func givesUpAfterMaxRetries() throws {
        let time = ManualTimeSource()
        let transport = ReplayTransport([try Self.throttled(), try Self.throttled(), try Self.throttled(), try Self.zonesPage()])
        #expect {
            try makeTestClient(transport, time: time, maxRetries: 2).listZones()
        } throws: { error in
            let error = error as? DNSReconcileError
            return error?.code == .throttled && error?.cause == "Throttling"
                && error?.message.contains("gave up after 2 retries") == true
        }
        #expect(transport.requests.count == 3)
        #expect(time.sleeps.count == 2)
    }

    @Test func zeroRetriesMeansOneAttempt() throws {
        let transport = ReplayTransport([try Self.html503(), try Self.zonesPage()])
        #expect(throws: DNSReconcileError(.route53, "")) { try makeTestClient(transport, maxRetries: 0).listZones() }
        #expect(transport.requests.count == 1)
    }

    @Test(arguments: [
        ("invalid-change-batch.xml", 400, DNSReconcileError.Code.invalidChangeBatch),
        ("error-no-such-hosted-zone.xml", 404, .route53),
        ("error-iam-shape.xml", 403, .route53),
    ])
    func clientErrorsAreNeverRetried(_ fixture: String, _ status: Int, _ code: DNSReconcileError.Code) throws {
        let time = ManualTimeSource()
        let observer = RecordingObserver()
        let transport = ReplayTransport([try .fixture(fixture, status: status), try .fixture("change-rrsets-response.xml")])
        #expect(throws: DNSReconcileError(code, "")) {
            try makeTestClient(transport, time: time, observer: observer).apply(Self.batch, in: Self.zone, comment: nil)
        }
        #expect(transport.requests.count == 1)
        #expect(time.sleeps.isEmpty)
        #expect(observer.retries.isEmpty)
    }

    /// After a transport failure the batch is checked against a fresh listing before anything
    /// is resent (more cases in Route53ClientLostAnswerTests).
    @Test(arguments: [Route53ClientRetryTests.timeout, Route53ClientRetryTests.connectFailed])
    func changeBatchIsCheckedBeforeItIsResentAfterATransportFailure(_ failure: ReplayTransport.Reply) throws {
        let time = ManualTimeSource()
        let observer = RecordingObserver()
        let emptyListing = ReplayTransport.Reply.xml(
            "<ListResourceRecordSetsResponse><ResourceRecordSets/><IsTruncated>false</IsTruncated></ListResourceRecordSetsResponse>")
        let transport = ReplayTransport([failure, emptyListing, try .fixture("change-rrsets-response.xml")])
        let info = try makeTestClient(transport, time: time, observer: observer).apply(Self.batch, in: Self.zone, comment: nil)
        #expect(info.id == "C2682N5HXP0BZ4")
        #expect(transport.requests.map(\.method) == ["POST", "GET", "POST"])
        #expect(transport.requests[0].body == transport.requests[2].body)
        #expect(observer.requests == ["ChangeResourceRecordSets transport", "ListResourceRecordSets 200",
                                      "ChangeResourceRecordSets 200"])
        #expect(observer.retries == ["ChangeResourceRecordSets \(failure.errorCode)"])
    }

    @Test func changeBatchIsRetriedWhenRouteAnswersThrottledOr5xx() throws {
        let time = ManualTimeSource()
        let transport = ReplayTransport([try .fixture("error-prior-request.xml", status: 400), try Self.html503(),
                                         try .fixture("change-rrsets-response.xml")])
        let info = try makeTestClient(transport, time: time, jitter: [0.5]).apply(Self.batch, in: Self.zone, comment: nil)
        #expect(info.id == "C2682N5HXP0BZ4")
        #expect(time.sleeps == [0.5, 0.1])
        #expect(transport.requests[0].body == transport.requests[2].body)
    }

    @Test func listingIsRetriedAfterATimeout() throws {
        let time = ManualTimeSource()
        let transport = ReplayTransport([Self.timeout, try .fixture("list-rrsets-routing.xml"),
                                         .xml("<ListResourceRecordSetsResponse><ResourceRecordSets/></ListResourceRecordSetsResponse>")])
        let sets = try makeTestClient(transport, time: time).listRecordSets(in: Self.zone, subtree: nil)
        #expect(sets.count == 14)
        #expect(transport.requests.count == 3)
        #expect(transport.query(1) == transport.query(0))
    }

    @Test func errorsNeverCarryCredentials() throws {
        let failures: [ReplayTransport.Reply] = [
            try .fixture("error-iam-shape.xml", status: 403), try .fixture("invalid-change-batch.xml", status: 400),
            Self.timeout, try Self.html503(),
        ]
        for failure in failures {
            let transport = ReplayTransport([failure])
            do throws(DNSReconcileError) {
                _ = try makeTestClient(transport, maxRetries: 0).apply(Self.batch, in: Self.zone, comment: nil)
                Issue.record("expected an error")
            } catch {
                let text = "\(error) \(error.message) \(error.cause ?? "")"
                #expect(!text.contains("AKIDEXAMPLE"))
                #expect(!text.contains("wJalrXUtnFEMI"))
                #expect(!text.contains("Signature="))
            }
        }
    }

    @Test(arguments: [
        (0, Route53ErrorResponse.RetryClass.transient, 1.0, 0.1),
        (3, .transient, 1.0, 0.8),
        (10, .transient, 1.0, 20),
        (0, .throttling, 0.5, 0.5),
        (4, .throttling, 1.0, 16),
        (5, .throttling, 1.0, 20),
        (200, .throttling, 0.5, 10),
        (2, .throttling, 0, 0),
    ])
    func policyDelays(_ retry: Int, _ retryClass: Route53ErrorResponse.RetryClass, _ random: Double, _ delay: Double) {
        let policy = Route53RetryPolicy(maxRetries: 8)
        #expect(abs(policy.delay(retry: retry, retryClass: retryClass, random: random) - delay) < 1e-9)
    }
}

extension ReplayTransport.Reply {
    /// The error code of a scripted failure (`timeout`, `transport`).
    var errorCode: String {
        if case .failure(let error) = self { return error.code.rawValue }
        return "-"
    }
}
