import Testing
@testable import DNSReconcileRoute53

@Suite struct Route53EndpointTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var configured: String?
        var environment: [String: String]
        var expected: String
        var testDescription: String { id }
    }

    static let both = ["AWS_ENDPOINT_URL_ROUTE_53": "http://127.0.0.1:5301", "AWS_ENDPOINT_URL": "http://127.0.0.1:9999"]

    @Test(arguments: [
        Case(id: "default", configured: nil, environment: [:], expected: "https://route53.amazonaws.com"),
        Case(id: "configured wins", configured: "http://localhost:5000/", environment: both,
             expected: "http://localhost:5000"),
        Case(id: "service variable before global", configured: nil, environment: both,
             expected: "http://127.0.0.1:5301"),
        Case(id: "global variable", configured: nil, environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9999//"],
             expected: "http://127.0.0.1:9999"),
        Case(id: "empty configured is skipped", configured: "", environment: both, expected: "http://127.0.0.1:5301"),
        Case(id: "blank values are skipped", configured: "  ",
             environment: ["AWS_ENDPOINT_URL_ROUTE_53": "", "AWS_ENDPOINT_URL": " http://g:1/ "],
             expected: "http://g:1"),
        Case(id: "a lone slash counts as empty", configured: "/", environment: [:],
             expected: "https://route53.amazonaws.com"),
    ])
    func resolves(_ scenario: Case) {
        #expect(Route53Endpoint.resolve(configured: scenario.configured, environment: scenario.environment)
            == scenario.expected)
    }
}
