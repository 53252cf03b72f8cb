import DNSReconcileCore
@testable import DNSReconcileRoute53
import Testing

@Suite("Route53 health-check response parsing")
struct HealthCheckResponseParserTests {
    @Test func realListPageWithEveryKindOfCheck() throws {
        let page = try HealthCheckResponseParser.healthChecksPage(try Fixtures.bytes("list-health-checks-aws-page1.xml"))
        #expect(page.isTruncated)
        #expect(page.nextMarker == "0f1e2d3c-4b5a-4968-8776-655443322110")
        #expect(page.healthChecks == [
            HealthCheck(id: "5c1d7a4e-2b9f-4c3a-9d7e-1f2a3b4c5d6e",
                        callerReference: "dnsr1-1a2b3c4d-0a1b2c-0123456789-89abcdef-t9x2kq", version: 4,
                        config: HealthCheckConfig(kind: .httpsStringMatch, ipAddress: "203.0.113.10", port: 443,
                                                  resourcePath: "/healthz", fullyQualifiedDomainName: "app.example.com",
                                                  searchString: "status: ok & ready", requestInterval: 10,
                                                  failureThreshold: 2, enableSNI: true)),
            HealthCheck(id: "9e8d7c6b-5a49-4838-a7b6-c5d4e3f2a1b0",
                        callerReference: "dnsr1-1a2b3c4d-0a1b2c-0123456789-00ff00ff-t9x2kr", version: 1,
                        config: HealthCheckConfig(kind: .calculated, healthThreshold: 1,
                                                  childHealthChecks: ["5c1d7a4e-2b9f-4c3a-9d7e-1f2a3b4c5d6e",
                                                                      "0f1e2d3c-4b5a-4968-8776-655443322110"])),
            // A type this tool never writes, with elements it does not model: read as `.other`.
            HealthCheck(id: "11111111-2222-4333-8444-555555555555", callerReference: "console-2024-03-01T10:00:00Z",
                        version: 2, config: HealthCheckConfig(kind: .other)),
        ])
    }

    @Test func lastRealPageInAnyElementOrder() throws {
        let page = try HealthCheckResponseParser.healthChecksPage(try Fixtures.bytes("list-health-checks-aws-page2.xml"))
        #expect(!page.isTruncated)
        #expect(page.nextMarker == nil)
        #expect(page.healthChecks == [
            HealthCheck(id: "0f1e2d3c-4b5a-4968-8776-655443322110",
                        callerReference: "dnsr1-1a2b3c4d-0a1b2c-0123456789-7e7e7e7e-t9x2kq", version: 1,
                        config: HealthCheckConfig(kind: .http, ipAddress: "2001:db8::7", port: 80, resourcePath: "/",
                                                  fullyQualifiedDomainName: "app.example.com", requestInterval: 30,
                                                  failureThreshold: 3, enableSNI: false)),
            HealthCheck(id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", callerReference: "terraform-20240301100000000000000001",
                        version: 7, config: HealthCheckConfig(kind: .tcp, ipAddress: "198.51.100.5", port: 5432,
                                                              requestInterval: 30, failureThreshold: 3)),
        ])
    }

    @Test func motoListWithoutIsTruncatedIsOnePage() throws {
        let page = try HealthCheckResponseParser.healthChecksPage(try Fixtures.bytes("list-health-checks-moto.xml"))
        #expect(!page.isTruncated)
        #expect(page.nextMarker == nil)
        #expect(page.healthChecks.map(\.callerReference) == [
            "dnsr1-1a2b3c4d-0a1b2c-0123456789-89abcdef-t9x2kq", "dnsr1-1a2b3c4d-0a1b2c-0123456789-00ff00ff-t9x2kq",
            "other-team-check",
        ])
        #expect(page.healthChecks.map(\.config.kind) == [.httpsStringMatch, .calculated, .tcp])
        // moto reports EnableSNI false on a calculated check and Port 80 where none was sent: kept as reported.
        #expect(page.healthChecks[1].config == HealthCheckConfig(kind: .calculated, enableSNI: false, healthThreshold: 1,
                                                                 childHealthChecks: ["c1", "c2"]))
        #expect(page.healthChecks[2].config.port == 80)
        #expect(page.healthChecks.allSatisfy { $0.version == 1 })
    }

    @Test func createAnswer() throws {
        let check = try HealthCheckResponseParser.healthCheck(try Fixtures.bytes("create-health-check-aws.xml"),
                                                              operation: "CreateHealthCheck")
        #expect(check == HealthCheck(id: "abcdef11-2222-4333-8444-555555555555",
                                     callerReference: "dnsr1-1a2b3c4d-0a1b2c-0123456789-89abcdef-t9x2kq", version: 1,
                                     config: HealthCheckConfig(kind: .http, ipAddress: "192.0.2.10", port: 80,
                                                               resourcePath: "/healthz",
                                                               fullyQualifiedDomainName: "app.example.com",
                                                               requestInterval: 30, failureThreshold: 3, enableSNI: false)))
    }

    @Test func answerOfAnotherOperationIsRefused() {
        #expect(throws: DNSReconcileError(.xml, "")) {
            try HealthCheckResponseParser.healthCheck(try Fixtures.bytes("create-health-check-aws.xml"),
                                                      operation: "UpdateHealthCheck")
        }
        #expect(throws: DNSReconcileError(.xml, "")) {
            try HealthCheckResponseParser.healthChecksPage(Array("<html><body>Welcome</body></html>".utf8))
        }
    }

    @Test(arguments: [
        ("<Port>https</Port><Type>HTTPS</Type>", "Port"),
        ("<Type>HTTP</Type><EnableSNI>yes</EnableSNI>", "EnableSNI"),
        ("<IPAddress>192.0.2.1</IPAddress>", "without Type"),
    ])
    func badFieldsNameTheFieldAndLine(_ fields: String, _ named: String) {
        let body = "<ListHealthChecksResponse><HealthChecks>\n<HealthCheck><Id>x</Id><CallerReference>r</CallerReference>"
            + "<HealthCheckConfig>\(fields)</HealthCheckConfig><HealthCheckVersion>1</HealthCheckVersion></HealthCheck>"
            + "</HealthChecks></ListHealthChecksResponse>"
        #expect {
            try HealthCheckResponseParser.healthChecksPage(Array(body.utf8))
        } throws: { error in
            let error = error as? DNSReconcileError
            return error?.code == .xml && error?.message.contains(named) == true && error?.message.contains("line 2") == true
        }
    }

    @Test func checkWithoutIdIsAnError() {
        let body = "<GetHealthCheckResponse><HealthCheck><CallerReference>r</CallerReference>"
            + "<HealthCheckConfig><Type>TCP</Type></HealthCheckConfig></HealthCheck></GetHealthCheckResponse>"
        #expect(throws: DNSReconcileError(.xml, "")) {
            try HealthCheckResponseParser.healthCheck(Array(body.utf8), operation: "GetHealthCheck")
        }
    }

    @Test(arguments: ["", "  \n", "<DeleteHealthCheckResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"/>",
                      "<?xml version=\"1.0\"?>\n<DeleteHealthCheckResponse></DeleteHealthCheckResponse>"])
    func emptyAnswersAreAccepted(_ body: String) throws {
        try HealthCheckResponseParser.emptyAnswer(Array(body.utf8), operation: "DeleteHealthCheck")
    }

    @Test(arguments: ["<html><body>OK</body></html>", "<DeleteHealthCheckResponse>", "{\"ok\": true}"])
    func otherAnswersAreNotTakenAsSuccess(_ body: String) {
        #expect(throws: DNSReconcileError(.xml, "")) {
            try HealthCheckResponseParser.emptyAnswer(Array(body.utf8), operation: "DeleteHealthCheck")
        }
    }
}
