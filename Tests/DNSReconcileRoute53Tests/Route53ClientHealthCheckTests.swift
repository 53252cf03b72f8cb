import DNSReconcileCore
@testable import DNSReconcileRoute53
import DNSReconcileTestSupport
import Testing

/// The health-check operations of Route53Client over a scripted transport.
@Suite("Route53Client health checks")
struct Route53ClientHealthCheckTests {
    static let base = "https://route53.amazonaws.com/2013-04-01"
    static let reference = "dnsr1-1a2b3c4d-0a1b2c-0123456789-89abcdef-t9x2kq"
    static let http = HealthCheckConfig(kind: .http, ipAddress: "192.0.2.10", port: 80, resourcePath: "/healthz",
                                        fullyQualifiedDomainName: "app.example.com", requestInterval: 30, failureThreshold: 3)

    /// A ListHealthChecks page of TCP checks with these ids.
    static func page(_ ids: [String], next: String? = nil, truncatedElement: Bool = true) -> ReplayTransport.Reply {
        var xml = "<ListHealthChecksResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HealthChecks>"
        for id in ids {
            xml += "<HealthCheck><Id>\(id)</Id><CallerReference>ref-\(id)</CallerReference><HealthCheckConfig>"
                + "<IPAddress>192.0.2.1</IPAddress><Port>443</Port><Type>TCP</Type></HealthCheckConfig>"
                + "<HealthCheckVersion>1</HealthCheckVersion></HealthCheck>"
        }
        xml += "</HealthChecks>"
        if let next {
            xml += "<IsTruncated>true</IsTruncated><NextMarker>\(next)</NextMarker>"
        } else if truncatedElement {
            xml += "<IsTruncated>false</IsTruncated>"
        }
        return .xml(xml + "<MaxItems>1000</MaxItems></ListHealthChecksResponse>")
    }

    /// A GetHealthCheck/UpdateHealthCheck answer for the `http` check at `version`, with `port`.
    static func answer(_ operation: String, version: Int, port: Int = 80, status: Int = 200) -> ReplayTransport.Reply {
        .xml("<\(operation)Response><HealthCheck><Id>hc-1</Id><CallerReference>\(reference)</CallerReference>"
                + "<HealthCheckConfig><IPAddress>192.0.2.10</IPAddress><Port>\(port)</Port><Type>HTTP</Type>"
                + "<ResourcePath>/healthz</ResourcePath><FullyQualifiedDomainName>app.example.com</FullyQualifiedDomainName>"
                + "<RequestInterval>30</RequestInterval><FailureThreshold>3</FailureThreshold></HealthCheckConfig>"
                + "<HealthCheckVersion>\(version)</HealthCheckVersion></HealthCheck></\(operation)Response>",
             status: status)
    }

    // MARK: - ListHealthChecks

    @Test func listFollowsNextMarkerOverThreePages() throws {
        let transport = ReplayTransport([
            Self.page(["a", "b"], next: "c"),
            Self.page(["c"], next: "d+/="),
            Self.page(["d+/=", "e"]),
        ])
        let observer = RecordingObserver()
        let checks = try makeTestClient(transport, observer: observer).listHealthChecks()
        #expect(checks.map(\.id) == ["a", "b", "c", "d+/=", "e"])
        #expect(checks.map(\.callerReference) == ["ref-a", "ref-b", "ref-c", "ref-d+/=", "ref-e"])
        #expect(transport.requests.count == 3)
        #expect(transport.requests.allSatisfy { $0.method == "GET" })
        #expect(transport.requests[0].url == Self.base + "/healthcheck?maxitems=1000")
        #expect(transport.query(1) == ["maxitems": "1000", "marker": "c"])
        #expect(transport.query(2) == ["maxitems": "1000", "marker": "d+/="])
        #expect(transport.requests[2].url.hasSuffix("marker=d%2B%2F%3D"))
        #expect(observer.requests == Array(repeating: "ListHealthChecks 200", count: 3))
    }

    @Test func listWithoutIsTruncatedIsOnePage() throws {
        let transport = ReplayTransport([Self.page(["a"], truncatedElement: false), Self.page(["never"])])
        #expect(try makeTestClient(transport).listHealthChecks().map(\.id) == ["a"])
        #expect(transport.requests.count == 1)
    }

    @Test func listKeepsACheckSeenOnTwoPagesOnce() throws {
        let transport = ReplayTransport([Self.page(["a", "b"], next: "b"), Self.page(["b", "c"])])
        #expect(try makeTestClient(transport).listHealthChecks().map(\.id) == ["a", "b", "c"])
    }

    @Test func listStopsOnARepeatedMarker() {
        let transport = ReplayTransport([Self.page(["a"], next: "m1"), Self.page(["b"], next: "m1"), Self.page(["c"])])
        #expect {
            try makeTestClient(transport).listHealthChecks()
        } throws: { error in
            let error = error as? DNSReconcileError
            return error?.code == .route53 && error?.message.contains("marker m1 twice") == true
        }
        #expect(transport.requests.count == 2)
    }

    @Test func listTruncatedWithoutMarkerIsAnError() {
        let body = "<ListHealthChecksResponse><HealthChecks/><IsTruncated>true</IsTruncated></ListHealthChecksResponse>"
        #expect(throws: DNSReconcileError(.route53, "")) {
            try makeTestClient(ReplayTransport([.xml(body)])).listHealthChecks()
        }
    }

    @Test func listRetriesThrottlingWithBackoff() throws {
        let time = ManualTimeSource()
        let transport = ReplayTransport([try .fixture("error-throttling.xml", status: 400), Self.page(["a"])])
        let observer = RecordingObserver()
        let checks = try makeTestClient(transport, time: time, observer: observer).listHealthChecks()
        #expect(checks.map(\.id) == ["a"])
        #expect(observer.retries == ["ListHealthChecks Throttling"])
        #expect(time.sleeps == [0.5])
    }

    // MARK: - CreateHealthCheck

    @Test func createPostsTheSignedRequestAndReadsTheCheck() throws {
        let transport = ReplayTransport([try .fixture("create-health-check-aws.xml", status: 201)])
        let time = ManualTimeSource(start: 1_768_480_496)  // 2026-01-15T12:34:56Z
        let observer = RecordingObserver()
        let check = try makeTestClient(transport, time: time, observer: observer)
            .createHealthCheck(callerReference: Self.reference, config: Self.http)
        #expect(check.id == "abcdef11-2222-4333-8444-555555555555")
        #expect(check.callerReference == Self.reference)
        #expect(check.version == 1)
        #expect(check.config.ipAddress == "192.0.2.10" && check.config.kind == .http)
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == Self.base + "/healthcheck")
        #expect(request.headers.contains(HTTPHeader("Content-Type", "application/xml")))
        let authorization = try #require(request.headers.first { $0.name == "Authorization" }?.value)
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/route53/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature="))
        #expect(request.body == (try HealthCheckRequestBuilder.createHealthCheck(callerReference: Self.reference,
                                                                                 config: Self.http)))
        #expect(observer.requests == ["CreateHealthCheck 201"])
    }

    @Test func createIsRetriedWithTheSameReferenceAfterALostAnswer() throws {
        let transport = ReplayTransport([
            .failure(DNSReconcileError(.timeout, "operation timed out")),
            try .fixture("create-health-check-aws.xml", status: 201),
        ])
        let observer = RecordingObserver()
        let check = try makeTestClient(transport, observer: observer)
            .createHealthCheck(callerReference: Self.reference, config: Self.http)
        #expect(check.id == "abcdef11-2222-4333-8444-555555555555")
        #expect(transport.requests.count == 2)
        #expect(transport.requests[0].body == transport.requests[1].body)
        #expect(observer.retries == ["CreateHealthCheck timeout"])
    }

    @Test func createOfAReusedReferenceSaysWhy() throws {
        let transport = ReplayTransport([try .fixture("error-health-check-already-exists.xml", status: 409)])
        #expect {
            try makeTestClient(transport).createHealthCheck(callerReference: Self.reference, config: Self.http)
        } throws: { error in
            let error = error as? DNSReconcileError
            return error?.code == .route53 && error?.cause == "HealthCheckAlreadyExists"
                && error?.message.contains("a new reference is needed") == true
        }
        #expect(transport.requests.count == 1)
    }

    @Test func createOfATypeThisToolDoesNotManageSendsNothing() {
        let transport = ReplayTransport([])
        #expect(throws: DNSReconcileError(.internal, "")) {
            try makeTestClient(transport).createHealthCheck(callerReference: "r", config: HealthCheckConfig(kind: .other))
        }
        #expect(transport.requests.isEmpty)
    }

    // MARK: - UpdateHealthCheck

    @Test func updatePostsVersionAndSettingsToTheCheck() throws {
        var config = Self.http
        config.port = 8080
        let transport = ReplayTransport([Self.answer("UpdateHealthCheck", version: 3, port: 8080)])
        let check = try makeTestClient(transport).updateHealthCheck(id: "hc-1", version: 2, config: config)
        #expect(check.version == 3 && check.config.port == 8080)
        #expect(transport.requests[0].method == "POST")
        #expect(transport.requests[0].url == Self.base + "/healthcheck/hc-1")
        #expect(transport.requests[0].body == (try HealthCheckRequestBuilder.updateHealthCheck(version: 2, config: config)))
    }

    @Test func updateWhoseAnswerWasLostCountsAsAppliedWhenTheCheckHasTheSettings() throws {
        var config = Self.http
        config.port = 8080
        let transport = ReplayTransport([
            .failure(DNSReconcileError(.transport, "connection reset by peer")),
            try .fixture("error-health-check-version-mismatch.xml", status: 409),
            Self.answer("GetHealthCheck", version: 3, port: 8080),
        ])
        let observer = RecordingObserver()
        let check = try makeTestClient(transport, observer: observer).updateHealthCheck(id: "hc-1", version: 2,
                                                                                        config: config)
        #expect(check.version == 3 && check.config.port == 8080)
        #expect(transport.requests.map(\.method) == ["POST", "POST", "GET"])
        #expect(transport.requests[2].url == Self.base + "/healthcheck/hc-1")
        #expect(observer.requests == ["UpdateHealthCheck transport", "UpdateHealthCheck HealthCheckVersionMismatch",
                                      "GetHealthCheck 200"])
        #expect(observer.notices.count == 1)
    }

    @Test func updateOfACheckChangedBySomeoneElseFails() throws {
        var config = Self.http
        config.port = 8080
        let transport = ReplayTransport([
            try .fixture("error-health-check-version-mismatch.xml", status: 409),
            Self.answer("GetHealthCheck", version: 5, port: 9090),
        ])
        #expect {
            try makeTestClient(transport).updateHealthCheck(id: "hc-1", version: 2, config: config)
        } throws: { error in
            let error = error as? DNSReconcileError
            return error?.code == .route53 && error?.cause == "HealthCheckVersionMismatch"
                && error?.message.contains("changed since it was listed") == true
        }
        #expect(transport.requests.count == 2)
    }

    struct Comparison: CustomTestStringConvertible, Sendable {
        var id: String
        var desired: HealthCheckConfig
        var current: HealthCheckConfig
        var matches: Bool
        var testDescription: String { id }
    }

    static let parent = HealthCheckConfig(kind: .calculated, healthThreshold: 1, childHealthChecks: ["a", "b"])

    @Test(arguments: [
        Comparison(id: "same", desired: http, current: http, matches: true),
        Comparison(id: "children in another order", desired: parent,
                   current: HealthCheckConfig(kind: .calculated, healthThreshold: 1, childHealthChecks: ["b", "a"]),
                   matches: true),
        Comparison(id: "a field left to Route53", desired: parent,
                   current: HealthCheckConfig(kind: .calculated, enableSNI: false, healthThreshold: 1,
                                              childHealthChecks: ["a", "b"]),
                   matches: true),
        Comparison(id: "another port", desired: http,
                   current: HealthCheckConfig(kind: .http, ipAddress: "192.0.2.10", port: 81, resourcePath: "/healthz",
                                              fullyQualifiedDomainName: "app.example.com", requestInterval: 30,
                                              failureThreshold: 3),
                   matches: false),
        Comparison(id: "a path that should be reset", desired: HealthCheckConfig(kind: .http, ipAddress: "192.0.2.10", port: 80),
                   current: HealthCheckConfig(kind: .http, ipAddress: "192.0.2.10", port: 80, resourcePath: "/old"),
                   matches: false),
        Comparison(id: "another child", desired: parent,
                   current: HealthCheckConfig(kind: .calculated, healthThreshold: 1, childHealthChecks: ["a", "c"]),
                   matches: false),
        Comparison(id: "another type", desired: http,
                   current: HealthCheckConfig(kind: .https, ipAddress: "192.0.2.10", port: 80, resourcePath: "/healthz",
                                              fullyQualifiedDomainName: "app.example.com", requestInterval: 30,
                                              failureThreshold: 3),
                   matches: false),
    ])
    func updatableSettingsComparison(_ item: Comparison) {
        #expect(Route53Client.hasUpdatableSettings(of: item.desired, item.current) == item.matches)
    }

    // MARK: - DeleteHealthCheck

    @Test(arguments: ["", "<DeleteHealthCheckResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"/>"])
    func deleteAcceptsAnEmptyAnswer(_ body: String) throws {
        let transport = ReplayTransport([.xml(body)])
        try makeTestClient(transport).deleteHealthCheck(id: "hc-1")
        #expect(transport.requests.map(\.method) == ["DELETE"])
        #expect(transport.requests[0].url == Self.base + "/healthcheck/hc-1")
        #expect(transport.requests[0].body.isEmpty)
    }

    @Test func deleteOfACheckInUseIsNotRetriedAndSaysWhy() throws {
        let transport = ReplayTransport([try .fixture("error-health-check-in-use.xml", status: 400)])
        let observer = RecordingObserver()
        #expect {
            try makeTestClient(transport, observer: observer).deleteHealthCheck(id: "5c1d7a4e-2b9f-4c3a-9d7e-1f2a3b4c5d6e")
        } throws: { error in
            let error = error as? DNSReconcileError
            return error?.code == .route53 && error?.cause == "HealthCheckInUse"
                && error?.message.contains("still referenced from parent health check") == true
                && error?.message.contains("only after they no longer do") == true
        }
        #expect(transport.requests.count == 1)
        #expect(observer.requests == ["DeleteHealthCheck HealthCheckInUse"])
        #expect(observer.retries.isEmpty)
    }

    @Test func deleteOfACheckAlreadyGoneSucceeds() throws {
        // The retry of a delete whose answer was lost meets NoSuchHealthCheck.
        let transport = ReplayTransport([
            .failure(DNSReconcileError(.timeout, "operation timed out")),
            try .fixture("error-no-such-health-check.xml", status: 404),
        ])
        let observer = RecordingObserver()
        try makeTestClient(transport, observer: observer).deleteHealthCheck(id: "hc-1")
        #expect(transport.requests.count == 2)
        #expect(observer.notices == ["DeleteHealthCheck hc-1: the health check is already gone"])
    }

    @Test func deleteAnsweredByAProxyPageFails() {
        let transport = ReplayTransport([.xml("<html><body>Welcome to the hotel network</body></html>")])
        #expect(throws: DNSReconcileError(.xml, "")) { try makeTestClient(transport).deleteHealthCheck(id: "hc-1") }
    }

    // MARK: - ChangeTagsForResource

    @Test func tagsGoToTheHealthCheckResourceInChunksOfTen() throws {
        var tags: [String: String] = ["Name": "app.example.com A blue"]
        for index in 0..<10 { tags["k\(index)"] = "v\(index)" }
        let transport = ReplayTransport([.xml(""), .xml("<ChangeTagsForResourceResponse/>")])
        let observer = RecordingObserver()
        try makeTestClient(transport, observer: observer).tagHealthCheck(id: "hc-1", tags: tags)
        #expect(transport.requests.count == 2)
        #expect(transport.requests.allSatisfy { $0.method == "POST" && $0.url == Self.base + "/tags/healthcheck/hc-1" })
        #expect(transport.requests.map(\.body) == HealthCheckRequestBuilder.addTags(tags))
        #expect(observer.requests == ["ChangeTagsForResource 200", "ChangeTagsForResource 200"])
    }

    @Test func noTagsSendNothing() throws {
        let transport = ReplayTransport([])
        try makeTestClient(transport).tagHealthCheck(id: "hc-1", tags: [:])
        #expect(transport.requests.isEmpty)
    }

    // MARK: - Errors

    @Test(arguments: [
        ("error-health-check-in-use.xml", 400, "HealthCheckInUse"),
        ("error-no-such-health-check.xml", 404, "NoSuchHealthCheck"),
        ("error-health-check-already-exists.xml", 409, "HealthCheckAlreadyExists"),
        ("error-health-check-version-mismatch.xml", 409, "HealthCheckVersionMismatch"),
        ("error-invalid-input.xml", 400, "InvalidInput"),
    ])
    func healthCheckErrorsAreNeverRetried(_ fixture: String, _ status: Int, _ code: String) throws {
        let answer = Route53ErrorResponse(status: status, body: try Fixtures.bytes(fixture))
        #expect(answer.code == code)
        #expect(answer.retryClass == nil)
        #expect(!answer.messages.isEmpty)
        let error = answer.error("UpdateHealthCheck hc-1")
        #expect(error.code == .route53 && error.cause == code)
        // And through the client: one attempt, no sleep.
        let time = ManualTimeSource()
        let transport = ReplayTransport([try .fixture(fixture, status: status), Self.answer("UpdateHealthCheck", version: 2)])
        _ = try? makeTestClient(transport, time: time).tagHealthCheck(id: "hc-1", tags: ["a": "b"])
        #expect(transport.requests.count == 1)
        #expect(time.sleeps.isEmpty)
    }
}
