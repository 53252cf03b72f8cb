import DNSReconcileCore
@testable import DNSReconcileRoute53
import Foundation
import Testing

@Suite("Route53 health-check request bodies")
struct HealthCheckRequestBuilderTests {
    static let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    static let namespace = "xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\""
    static let reference = "dnsr1-1a2b3c4d-0a1b2c-0123456789-89abcdef-t9x2kq"

    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var config: HealthCheckConfig
        /// The HealthCheckConfig element of a create, or the members of an update.
        var expected: String
        var testDescription: String { id }
    }

    static let http = HealthCheckConfig(kind: .http, ipAddress: "192.0.2.10", port: 80, resourcePath: "/healthz",
                                        fullyQualifiedDomainName: "app.example.com", requestInterval: 30,
                                        failureThreshold: 3)
    static let httpsSearch = HealthCheckConfig(kind: .httpsStringMatch, ipAddress: "2001:db8::7", port: 443,
                                               resourcePath: "/status?full=1&x=<y>",
                                               fullyQualifiedDomainName: "app.example.com", searchString: "OK & \"ready\"",
                                               requestInterval: 10, failureThreshold: 2, enableSNI: true)
    static let calculated = HealthCheckConfig(kind: .calculated, healthThreshold: 1,
                                              childHealthChecks: ["0b1f3c2e-aaaa-4bbb-8ccc-000000000001",
                                                                  "0b1f3c2e-aaaa-4bbb-8ccc-000000000002"])
    static let tcp = HealthCheckConfig(kind: .tcp, ipAddress: "198.51.100.20", port: 5432, requestInterval: 10,
                                       failureThreshold: 1)

    @Test(arguments: [
        Case(id: "HTTP to an IP with a Host header", config: http,
             expected: "<HealthCheckConfig><IPAddress>192.0.2.10</IPAddress><Port>80</Port><Type>HTTP</Type>"
                + "<ResourcePath>/healthz</ResourcePath><FullyQualifiedDomainName>app.example.com</FullyQualifiedDomainName>"
                + "<RequestInterval>30</RequestInterval><FailureThreshold>3</FailureThreshold></HealthCheckConfig>"),
        Case(id: "HTTPS_STR_MATCH with SNI", config: httpsSearch,
             expected: "<HealthCheckConfig><IPAddress>2001:db8::7</IPAddress><Port>443</Port><Type>HTTPS_STR_MATCH</Type>"
                + "<ResourcePath>/status?full=1&amp;x=&lt;y&gt;</ResourcePath>"
                + "<FullyQualifiedDomainName>app.example.com</FullyQualifiedDomainName>"
                + "<SearchString>OK &amp; &quot;ready&quot;</SearchString><RequestInterval>10</RequestInterval>"
                + "<FailureThreshold>2</FailureThreshold><EnableSNI>true</EnableSNI></HealthCheckConfig>"),
        Case(id: "CALCULATED with children", config: calculated,
             expected: "<HealthCheckConfig><Type>CALCULATED</Type><HealthThreshold>1</HealthThreshold><ChildHealthChecks>"
                + "<ChildHealthCheck>0b1f3c2e-aaaa-4bbb-8ccc-000000000001</ChildHealthCheck>"
                + "<ChildHealthCheck>0b1f3c2e-aaaa-4bbb-8ccc-000000000002</ChildHealthCheck></ChildHealthChecks>"
                + "</HealthCheckConfig>"),
        Case(id: "TCP", config: tcp,
             expected: "<HealthCheckConfig><IPAddress>198.51.100.20</IPAddress><Port>5432</Port><Type>TCP</Type>"
                + "<RequestInterval>10</RequestInterval><FailureThreshold>1</FailureThreshold></HealthCheckConfig>"),
        Case(id: "CNAME target probed by name", config: HealthCheckConfig(
                kind: .https, port: 443, resourcePath: "/", fullyQualifiedDomainName: "lb-1.eu-west-1.elb.amazonaws.com",
                requestInterval: 30, failureThreshold: 3, enableSNI: true),
             expected: "<HealthCheckConfig><Port>443</Port><Type>HTTPS</Type><ResourcePath>/</ResourcePath>"
                + "<FullyQualifiedDomainName>lb-1.eu-west-1.elb.amazonaws.com</FullyQualifiedDomainName>"
                + "<RequestInterval>30</RequestInterval><FailureThreshold>3</FailureThreshold><EnableSNI>true</EnableSNI>"
                + "</HealthCheckConfig>"),
    ])
    func createIsByteExact(_ item: Case) throws {
        let body = try HealthCheckRequestBuilder.createHealthCheck(callerReference: Self.reference, config: item.config)
        let expected = Self.head + "<CreateHealthCheckRequest \(Self.namespace)><CallerReference>\(Self.reference)"
            + "</CallerReference>" + item.expected + "</CreateHealthCheckRequest>"
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        Case(id: "HTTP: every field, nothing to reset", config: http,
             expected: "<HealthCheckVersion>3</HealthCheckVersion><IPAddress>192.0.2.10</IPAddress><Port>80</Port>"
                + "<ResourcePath>/healthz</ResourcePath><FullyQualifiedDomainName>app.example.com</FullyQualifiedDomainName>"
                + "<FailureThreshold>3</FailureThreshold>"),
        Case(id: "HTTPS_STR_MATCH with SNI", config: httpsSearch,
             expected: "<HealthCheckVersion>3</HealthCheckVersion><IPAddress>2001:db8::7</IPAddress><Port>443</Port>"
                + "<ResourcePath>/status?full=1&amp;x=&lt;y&gt;</ResourcePath>"
                + "<FullyQualifiedDomainName>app.example.com</FullyQualifiedDomainName>"
                + "<SearchString>OK &amp; &quot;ready&quot;</SearchString><FailureThreshold>2</FailureThreshold>"
                + "<EnableSNI>true</EnableSNI>"),
        Case(id: "HTTP without path and host: both reset",
             config: HealthCheckConfig(kind: .http, ipAddress: "192.0.2.10", port: 8080, requestInterval: 30,
                                       failureThreshold: 4),
             expected: "<HealthCheckVersion>3</HealthCheckVersion><IPAddress>192.0.2.10</IPAddress><Port>8080</Port>"
                + "<FailureThreshold>4</FailureThreshold><ResetElements>"
                + "<ResettableElementName>FullyQualifiedDomainName</ResettableElementName>"
                + "<ResettableElementName>ResourcePath</ResettableElementName></ResetElements>"),
        Case(id: "CALCULATED with children", config: calculated,
             expected: "<HealthCheckVersion>3</HealthCheckVersion><HealthThreshold>1</HealthThreshold><ChildHealthChecks>"
                + "<ChildHealthCheck>0b1f3c2e-aaaa-4bbb-8ccc-000000000001</ChildHealthCheck>"
                + "<ChildHealthCheck>0b1f3c2e-aaaa-4bbb-8ccc-000000000002</ChildHealthCheck></ChildHealthChecks>"),
        Case(id: "CALCULATED without children", config: HealthCheckConfig(kind: .calculated, healthThreshold: 0),
             expected: "<HealthCheckVersion>3</HealthCheckVersion><HealthThreshold>0</HealthThreshold><ResetElements>"
                + "<ResettableElementName>ChildHealthChecks</ResettableElementName></ResetElements>"),
        Case(id: "TCP: no path to reset, the host name is", config: tcp,
             expected: "<HealthCheckVersion>3</HealthCheckVersion><IPAddress>198.51.100.20</IPAddress><Port>5432</Port>"
                + "<FailureThreshold>1</FailureThreshold><ResetElements>"
                + "<ResettableElementName>FullyQualifiedDomainName</ResettableElementName></ResetElements>"),
    ])
    func updateIsByteExact(_ item: Case) throws {
        let body = try HealthCheckRequestBuilder.updateHealthCheck(version: 3, config: item.config)
        let expected = Self.head + "<UpdateHealthCheckRequest \(Self.namespace)>" + item.expected
            + "</UpdateHealthCheckRequest>"
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }

    @Test func typesThisToolDoesNotManageAreNeverWritten() {
        let config = HealthCheckConfig(kind: .other, port: 80)
        #expect(throws: DNSReconcileError(.internal, "")) {
            try HealthCheckRequestBuilder.createHealthCheck(callerReference: Self.reference, config: config)
        }
        #expect(throws: DNSReconcileError(.internal, "")) {
            try HealthCheckRequestBuilder.updateHealthCheck(version: 1, config: config)
        }
    }

    @Test func tagsGoSortedInChunksOfTen() {
        var tags = ["Name": "app.example.com A blue", "dnsreconcile/owner": "cluster-hk & <sg>"]
        #expect(HealthCheckRequestBuilder.addTags(tags).map { String(decoding: $0, as: UTF8.self) } == [
            Self.head + "<ChangeTagsForResourceRequest \(Self.namespace)><AddTags>"
                + "<Tag><Key>Name</Key><Value>app.example.com A blue</Value></Tag>"
                + "<Tag><Key>dnsreconcile/owner</Key><Value>cluster-hk &amp; &lt;sg&gt;</Value></Tag>"
                + "</AddTags></ChangeTagsForResourceRequest>",
        ])
        for index in 0..<10 { tags["k\(index)"] = "v" }
        let bodies = HealthCheckRequestBuilder.addTags(tags).map { String(decoding: $0, as: UTF8.self) }
        #expect(bodies.count == 2)
        #expect(bodies.map { $0.components(separatedBy: "<Tag>").count - 1 } == [10, 2])
        #expect(bodies[1].contains("<Key>k8</Key>") && bodies[1].contains("<Key>k9</Key>"))
        #expect(HealthCheckRequestBuilder.addTags([:]).isEmpty)
    }
}
