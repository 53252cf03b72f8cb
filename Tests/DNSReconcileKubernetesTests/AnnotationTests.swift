import DNSReconcileCore
@testable import DNSReconcileKubernetes
import Testing

/// Annotation values, good and bad, through the same checks as the `[endpoint]` keys.
@Suite("Annotations")
struct AnnotationTests {
    static let prefix = "external-dns.kubernetes.io/"
    static let alpha = "external-dns.alpha.kubernetes.io/"

    func endpoint(_ annotations: [String: String], lb: String = "10.0.0.5", lbHostname: String? = nil) throws -> SourceResult {
        try Derivation.run(Derivation.ingress("app", hosts: ["app.example.com"], lbIP: lbHostname == nil ? lb : nil,
                                              lbHostname: lbHostname, annotations: annotations))
    }

    struct Good: CustomTestStringConvertible, Sendable {
        var id: String
        var annotations: [String: String]
        var check: @Sendable (Endpoint) -> Bool
        var testDescription: String { id }
    }

    static let good: [Good] = [
        Good(id: "ttl seconds", annotations: ["ttl": "60"]) { $0.ttl == 60 },
        Good(id: "ttl duration", annotations: ["ttl": "10m"]) { $0.ttl == 600 },
        Good(id: "ttl compound duration", annotations: ["ttl": "1h30m"]) { $0.ttl == 5400 },
        Good(id: "ttl 0 is not configured", annotations: ["ttl": "0"]) { $0.ttl == nil },
        Good(id: "weight", annotations: ["set-identifier": "a", "aws-weight": "20"]) {
            $0.routing == .weighted(weight: 20) && $0.setIdentifier == "a"
        },
        Good(id: "latency region", annotations: ["set-identifier": "hk", "aws-region": "ap-east-1"]) {
            $0.routing == .latency(region: "ap-east-1")
        },
        Good(id: "failover", annotations: ["set-identifier": "p", "aws-failover": "PRIMARY"]) { $0.routing == .failover(.primary) },
        Good(id: "geolocation country", annotations: ["set-identifier": "de", "aws-geolocation-country-code": "de"]) {
            $0.routing == .geolocation(GeoLocation(continentCode: nil, countryCode: "DE", subdivisionCode: nil))
        },
        Good(id: "geolocation continent", annotations: ["set-identifier": "eu", "aws-geolocation-continent-code": "EU"]) {
            $0.routing == .geolocation(GeoLocation(continentCode: "EU", countryCode: nil, subdivisionCode: nil))
        },
        Good(id: "geoproximity coordinates", annotations: ["set-identifier": "v", "aws-geoproximity-coordinates": "49.28,-123.12",
                                                           "aws-geoproximity-bias": "10"]) {
            $0.routing == .geoproximity(GeoProximity(awsRegion: nil, localZoneGroup: nil, latitude: "49.28",
                                                     longitude: "-123.12", bias: 10))
        },
        Good(id: "multivalue", annotations: ["set-identifier": "m", "aws-multi-value-answer": "true"]) { $0.routing == .multiValue },
        Good(id: "health check id", annotations: ["aws-health-check-id": "0b4c7e1d-1234-4f6e-9a0b-5d5c3e2f1a00"]) {
            $0.healthCheckID == "0b4c7e1d-1234-4f6e-9a0b-5d5c3e2f1a00"
        },
        Good(id: "hosted zone pin", annotations: ["aws-hosted-zone-id": "/hostedzone/Z1D633PJN98FT9"]) {
            $0.hostedZoneID == "Z1D633PJN98FT9"
        },
        Good(id: "managed health check", annotations: ["dnsreconcile.io/health-check": "https",
                                                       "dnsreconcile.io/health-check-path": "/healthz",
                                                       "dnsreconcile.io/health-check-interval": "10"]) {
            $0.healthCheck == HealthCheckSpec(kind: .https, path: "/healthz", interval: 10)
        },
    ]

    @Test(arguments: good)
    func goodValues(_ case_: Good) throws {
        var annotations: [String: String] = [:]
        for (key, value) in case_.annotations {
            annotations[key.hasPrefix("dnsreconcile.io/") ? key : Self.prefix + key] = value
        }
        let result = try endpoint(annotations)
        #expect(result.invalid.isEmpty, "\(result.invalid)")
        let endpoint = try #require(result.endpoints.first)
        #expect(case_.check(endpoint), "\(endpoint)")
    }

    @Test func aliasAndEvaluateTargetHealthOnAHostnameTarget() throws {
        let result = try endpoint([Self.prefix + "alias": "true", Self.prefix + "aws-evaluate-target-health": "false"],
                                  lbHostname: "my-lb-123.elb.amazonaws.com")
        // An alias host name is an A and an AAAA alias, as ExternalDNS makes it.
        #expect(result.endpoints.map(\.type) == [.a, .aaaa])
        for endpoint in result.endpoints {
            #expect(endpoint.targets == ["my-lb-123.elb.amazonaws.com"])
            #expect(endpoint.alias == AliasOptions(targetHostedZoneID: nil, evaluateTargetHealth: false))
        }
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var id: String
        var annotations: [String: String]
        var message: String
        var testDescription: String { id }
    }

    static let bad: [Bad] = [
        Bad(id: "ttl abc", annotations: ["ttl": "abc"],
            message: "annotation \(prefix)ttl: 'abc' is not valid; write seconds (90) or a duration"),
        Bad(id: "ttl fraction", annotations: ["ttl": "1.5"], message: "annotation \(prefix)ttl: a TTL is a whole number of seconds"),
        Bad(id: "weight -1", annotations: ["set-identifier": "a", "aws-weight": "-1"],
            message: "annotation \(prefix)aws-weight: '-1' is not valid; write a whole number from 0 to 255"),
        Bad(id: "weight without set id", annotations: ["aws-weight": "5"],
            message: "annotation \(prefix)aws-weight: weighted routing needs a set identifier"),
        Bad(id: "set id without policy", annotations: ["set-identifier": "x"],
            message: "annotation \(prefix)set-identifier: a set identifier needs a routing policy"),
        Bad(id: "unknown region", annotations: ["set-identifier": "a", "aws-region": "mars-north-1"],
            message: "annotation \(prefix)aws-region: 'mars-north-1' is not valid; write one of us-east-1"),
        Bad(id: "two policies", annotations: ["set-identifier": "a", "aws-region": "us-east-1", "aws-weight": "1"],
            message: "one record set has one routing policy"),
        Bad(id: "bad coordinates", annotations: ["set-identifier": "a", "aws-geoproximity-coordinates": "91,10"],
            message: "annotation \(prefix)aws-geoproximity-coordinates: '91,10' is not \"latitude,longitude\""),
        Bad(id: "bad failover", annotations: ["set-identifier": "a", "aws-failover": "TERTIARY"],
            message: "annotation \(prefix)aws-failover: 'TERTIARY' is not valid; write one of PRIMARY, SECONDARY"),
        Bad(id: "bad country", annotations: ["set-identifier": "a", "aws-geolocation-country-code": "Germany"],
            message: "'Germany' is not a country code"),
        Bad(id: "bad zone id", annotations: ["aws-hosted-zone-id": "my-zone"],
            message: "annotation \(prefix)aws-hosted-zone-id: 'my-zone' is not a hosted zone id"),
        Bad(id: "bad alias", annotations: ["alias": "A"],
            message: "annotation \(prefix)alias: 'A' is not valid; write true or false"),
        Bad(id: "evaluate without alias", annotations: ["aws-evaluate-target-health": "true"],
            message: "annotation \(prefix)aws-evaluate-target-health: applies only to alias endpoints"),
        Bad(id: "unknown aws key", annotations: ["aws-wieght": "5"],
            message: "annotation \(prefix)aws-wieght is not a known option; did you mean aws-weight?"),
        Bad(id: "bad health check kind", annotations: ["dnsreconcile.io/health-check": "icmp"],
            message: "annotation dnsreconcile.io/health-check: 'icmp' is not valid; write one of http, https, tcp"),
        Bad(id: "health check detail without check", annotations: ["dnsreconcile.io/health-check-port": "8080"],
            message: "annotation dnsreconcile.io/health-check-port: applies only with a managed health check"),
        Bad(id: "unknown own key", annotations: ["dnsreconcile.io/helth-check": "http"],
            message: "annotation dnsreconcile.io/helth-check is not known"),
        Bad(id: "managed and existing check", annotations: ["dnsreconcile.io/health-check": "tcp",
                                                            "aws-health-check-id": "abc"],
            message: "use either a managed health-check or an existing aws-health-check-id"),
        Bad(id: "bad target", annotations: ["target": "not a host!"], message: "target 'notahost!' is neither an IP address nor a host name"),
        Bad(id: "bad hostname", annotations: ["hostname": "under_score..example.com"],
            message: "'under_score..example.com' is not a valid DNS name"),
    ]

    @Test(arguments: bad)
    func badValuesSkipTheEndpointWithOneWarningNamingObjectAndAnnotation(_ case_: Bad) throws {
        var annotations: [String: String] = [:]
        for (key, value) in case_.annotations {
            annotations[key.hasPrefix("dnsreconcile.io/") ? key : Self.prefix + key] = value
        }
        let result = try endpoint(annotations)
        #expect(result.endpoints.isEmpty, "\(result.endpoints)")
        #expect(result.invalid.count == 1)
        let invalid = try #require(result.invalid.first)
        #expect(invalid.message.hasPrefix("ingress/web/app: "), "\(invalid.message)")
        #expect(invalid.message.contains(case_.message), "\(invalid.message)")
        #expect(invalid.names.contains(DNSName("app.example.com")), "the names it would have produced are held")
    }

    @Test func bothPrefixesAreReadAndTheFirstListedWinsWithAWarning() throws {
        let result = try endpoint([Self.prefix + "ttl": "60", Self.alpha + "ttl": "120", Self.alpha + "set-identifier": "hk",
                                   Self.alpha + "aws-region": "ap-east-1"])
        let endpoint = try #require(result.endpoints.first)
        #expect(endpoint.ttl == 60)
        #expect(endpoint.routing == .latency(region: "ap-east-1"), "the alpha prefix alone is read too")
        #expect(result.warnings == ["ingress/web/app: both \(Self.prefix)ttl and \(Self.alpha)ttl are set; using "
                                        + "\(Self.prefix)ttl (listed first in annotation-prefix)"])

        let reversed = try Derivation.run(Derivation.ingress("app", hosts: ["app.example.com"],
                                                              annotations: [Self.prefix + "ttl": "60", Self.alpha + "ttl": "120"]),
                                          settings: try Derivation.settings([("annotation-prefix", "\(Self.alpha), \(Self.prefix)")]))
        #expect(reversed.endpoints.first?.ttl == 120)
        #expect(reversed.warnings.first?.contains("using \(Self.alpha)ttl") == true)
    }

    @Test func equalValuesUnderBothPrefixesAreNoWarning() throws {
        let result = try endpoint([Self.prefix + "ttl": "60", Self.alpha + "ttl": "60"])
        #expect(result.warnings.isEmpty)
        #expect(result.endpoints.first?.ttl == 60)
    }

    @Test func aConfiguredPrefixReplacesTheDefaults() throws {
        let settings = try Derivation.settings([("annotation-prefix", "dns.example.org/")])
        let yaml = Derivation.ingress("app", hosts: ["app.example.com"],
                                      annotations: ["dns.example.org/ttl": "42", Self.prefix + "ttl": "60"])
        #expect(try Derivation.run(yaml, settings: settings).endpoints.first?.ttl == 42)
    }

    @Test func otherProvidersAnnotationsAreIgnored() throws {
        let result = try endpoint([Self.prefix + "cloudflare-proxied": "true", Self.prefix + "record-type": "ptr"])
        #expect(result.invalid.isEmpty)
        #expect(result.endpoints.count == 1)
    }
}
