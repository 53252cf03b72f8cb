import DNSReconcileCore
@testable import DNSReconcileRoute53
import Testing

@Suite("Route53 error responses")
struct Route53ErrorResponseTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var fixture: String
        var status: Int
        var code: String?
        var messages: [String]
        var retry: Route53ErrorResponse.RetryClass?
        var error: DNSReconcileError.Code
        var testDescription: String { fixture }
    }

    @Test(arguments: [
        Case(fixture: "error-no-such-hosted-zone.xml", status: 404, code: "NoSuchHostedZone",
             messages: ["No hosted zone found with ID: ZNOTEXIST"], retry: nil, error: .route53),
        Case(fixture: "error-throttling.xml", status: 400, code: "Throttling", messages: ["Rate exceeded"],
             retry: .throttling, error: .throttled),
        Case(fixture: "error-prior-request.xml", status: 400, code: "PriorRequestNotComplete",
             messages: ["The request was rejected because Route 53 was still processing a prior request."],
             retry: .throttling, error: .throttled),
        Case(fixture: "error-iam-shape.xml", status: 403, code: "SignatureDoesNotMatch",
             messages: ["The request signature we calculated does not match the signature you provided."],
             retry: nil, error: .route53),
        Case(fixture: "invalid-change-batch.xml", status: 400, code: "InvalidChangeBatch", messages: [
            "Tried to create resource record set [name='a.example.com.', type='A'] but it already exists",
            "Tried to delete resource record set [name='b.example.com.', type='TXT'] but it was not found",
        ], retry: nil, error: .invalidChangeBatch),
        Case(fixture: "error-html-500.html", status: 500, code: nil, messages: [], retry: .transient, error: .route53),
        Case(fixture: "truncated.xml", status: 502, code: nil, messages: [], retry: .transient, error: .route53),
    ])
    func parsesAndClassifies(_ item: Case) throws {
        let answer = Route53ErrorResponse(status: item.status, body: try Fixtures.bytes(item.fixture))
        #expect(answer.code == item.code)
        #expect(answer.messages == item.messages)
        #expect(answer.retryClass == item.retry)
        #expect(answer.metricCode == item.code ?? String(item.status))
        let error = answer.error("ListHostedZones")
        #expect(error.code == item.error)
        #expect(error.cause == item.code ?? "HTTP \(item.status)")
        for message in item.messages { #expect(error.message.contains(message)) }
    }

    @Test func invalidChangeBatchListsEveryMessage() throws {
        let answer = Route53ErrorResponse(status: 400, body: try Fixtures.bytes("invalid-change-batch.xml"))
        let error = answer.error("ChangeResourceRecordSets for zone example.com. (Z1)")
        #expect(error.message == "Route53 rejected the batch of ChangeResourceRecordSets for zone example.com. (Z1): "
            + "Tried to create resource record set [name='a.example.com.', type='A'] but it already exists; "
            + "Tried to delete resource record set [name='b.example.com.', type='TXT'] but it was not found")
    }

    @Test func invalidChangeBatchInTheStandardShape() {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidChangeBatch</Code>"
            + "<Message>[RRSet with DNS name x. is not permitted in zone example.com.]</Message></Error></ErrorResponse>"
        let answer = Route53ErrorResponse(status: 400, body: Array(body.utf8))
        #expect(answer.error("x").code == .invalidChangeBatch)
        #expect(answer.messages == ["[RRSet with DNS name x. is not permitted in zone example.com.]"])
    }

    @Test(arguments: [
        (400, "ThrottlingException", Route53ErrorResponse.RetryClass.throttling),
        (429, nil, .throttling),
        (503, "ServiceUnavailable", .transient),
        (500, "InternalFailure", .transient),
        (504, nil, .transient),
        (400, "RequestTimeout", .transient),
    ] as [(Int, String?, Route53ErrorResponse.RetryClass)])
    func retryable(_ status: Int, _ code: String?, _ retry: Route53ErrorResponse.RetryClass) {
        #expect(Route53ErrorResponse(status: status, code: code, messages: []).retryClass == retry)
    }

    @Test(arguments: [
        (400, "InvalidChangeBatch"), (400, "InvalidInput"), (400, "MalformedInput"), (404, "NoSuchHostedZone"),
        (404, "NoSuchChange"), (403, "AccessDenied"), (403, "SignatureDoesNotMatch"), (400, "ExpiredToken"),
        (403, nil), (404, nil), (409, "HostedZoneAlreadyExists"),
    ] as [(Int, String?)])
    func notRetryable(_ status: Int, _ code: String?) {
        #expect(Route53ErrorResponse(status: status, code: code, messages: []).retryClass == nil)
    }

    @Test func mosJSONTokenErrorFallsBackToTheStatus() {
        let answer = Route53ErrorResponse(status: 400, body: Array(#"{"__type": "InvalidToken", "message": "x"}"#.utf8))
        #expect(answer.code == nil)
        #expect(answer.error("ListHostedZones").cause == "HTTP 400")
    }
}
