import Testing
import DNSReconcileCore

struct Route53RuleCase: Sendable, CustomTestStringConvertible {
    var id: String
    var record: RecordSet
    /// A fragment of the one expected violation; nil when the record set is valid.
    var violation: String?
    var testDescription: String { id }
}

private func set(_ type: RecordType = .a, _ list: [String] = ["192.0.2.1"], values: [String]? = nil, name: String = "www.example.com",
                 ttl: Int? = 300, id: String? = nil, routing: RoutingPolicy = .simple,
                 alias: AliasTarget? = nil, healthCheckID: String? = nil) -> RecordSet {
    RecordSet(name: DNSName(name), type: type, setIdentifier: id, routing: routing, ttl: ttl, values: values ?? list, alias: alias,
              healthCheckID: healthCheckID)
}

private let label63 = String(repeating: "a", count: 63)
private let alias = AliasTarget(hostedZoneID: "Z35SXDOTRQ7X7K", dnsName: "lb.elb.amazonaws.com", evaluateTargetHealth: true)
private let q255 = "\"" + String(repeating: "x", count: 255) + "\""

private let rules: [Route53RuleCase] = [
    Route53RuleCase(id: "plain-a", record: set(), violation: nil),
    Route53RuleCase(id: "label-63", record: set(name: label63 + ".example.com"), violation: nil),
    Route53RuleCase(id: "label-64", record: set(name: label63 + "a.example.com"), violation: "DomainLabelTooLong"),
    Route53RuleCase(id: "name-253", record: set(name: [label63, label63, label63, String(repeating: "b", count: 49), "example.com"]
                                                  .joined(separator: ".")), violation: nil),
    Route53RuleCase(id: "name-254", record: set(name: [label63, label63, label63, String(repeating: "b", count: 50), "example.com"]
                                                  .joined(separator: ".")), violation: "DomainNameTooLong"),
    Route53RuleCase(id: "empty-label", record: set(name: "a..example.com"), violation: "DomainLabelEmpty"),
    Route53RuleCase(id: "outside-zone", record: set(name: "www.example.org"), violation: "is not permitted in zone example.com."),
    Route53RuleCase(id: "ttl-zero", record: set(ttl: 0), violation: nil),
    Route53RuleCase(id: "ttl-max", record: set(ttl: 2_147_483_647), violation: nil),
    Route53RuleCase(id: "ttl-negative", record: set(ttl: -1), violation: "greater than or equal to 0"),
    Route53RuleCase(id: "ttl-over", record: set(ttl: 2_147_483_648), violation: "less than or equal to 2147483647"),
    Route53RuleCase(id: "ttl-missing", record: set(ttl: nil), violation: "but found none"),
    Route53RuleCase(id: "set-id-needs-policy", record: set(id: "x"), violation: "Expected exactly one of [Weight"),
    Route53RuleCase(id: "policy-needs-set-id", record: set(routing: .weighted(weight: 1)), violation: "Missing field 'SetIdentifier'"),
    Route53RuleCase(id: "set-id-128", record: set(id: String(repeating: "s", count: 128), routing: .weighted(weight: 1)), violation: nil),
    Route53RuleCase(id: "set-id-129", record: set(id: String(repeating: "s", count: 129), routing: .weighted(weight: 1)),
                    violation: "length between 1 and 128"),
    Route53RuleCase(id: "set-id-empty", record: set(id: "", routing: .weighted(weight: 1)), violation: "length between 1 and 128"),
    Route53RuleCase(id: "weight-0", record: set(id: "w", routing: .weighted(weight: 0)), violation: nil),
    Route53RuleCase(id: "weight-255", record: set(id: "w", routing: .weighted(weight: 255)), violation: nil),
    Route53RuleCase(id: "weight-256", record: set(id: "w", routing: .weighted(weight: 256)), violation: "less than or equal to 255"),
    Route53RuleCase(id: "weight-negative", record: set(id: "w", routing: .weighted(weight: -1)), violation: "greater than or equal to 0"),
    Route53RuleCase(id: "bias-99", record: set(id: "g", routing: .geoproximity(GeoProximity(awsRegion: "us-east-1", bias: -99))),
                    violation: nil),
    Route53RuleCase(id: "bias-100", record: set(id: "g", routing: .geoproximity(GeoProximity(awsRegion: "us-east-1", bias: 100))),
                    violation: "less than or equal to 99"),
    Route53RuleCase(id: "geoproximity-needs-one-location", record: set(id: "g", routing: .geoproximity(GeoProximity())),
                    violation: "Expected exactly one of [AWSRegion"),
    Route53RuleCase(id: "geolocation-country", record: set(id: "g", routing: .geolocation(GeoLocation(countryCode: "*"))),
                    violation: nil),
    Route53RuleCase(id: "geolocation-empty", record: set(id: "g", routing: .geolocation(GeoLocation())),
                    violation: "Expected exactly one of [ContinentCode, CountryCode]"),
    Route53RuleCase(id: "latency-needs-region", record: set(id: "l", routing: .latency(region: "")), violation: "region"),
    Route53RuleCase(id: "failover", record: set(id: "f", routing: .failover(.primary)), violation: nil),
    Route53RuleCase(id: "multivalue", record: set(id: "m", routing: .multiValue), violation: nil),
    Route53RuleCase(id: "a-not-ipv4", record: set(values: ["300.1.2.3"]), violation: "ARRDATAIllegalIPv4Address"),
    Route53RuleCase(id: "a-hostname", record: set(values: ["lb.example.net"]), violation: "ARRDATAIllegalIPv4Address"),
    Route53RuleCase(id: "a-leading-zero", record: set(values: ["192.0.2.01"]), violation: "ARRDATAIllegalIPv4Address"),
    Route53RuleCase(id: "a-ipv6", record: set(values: ["2001:db8::1"]), violation: "ARRDATAIllegalIPv4Address"),
    Route53RuleCase(id: "aaaa-ok", record: set(.aaaa, ["2001:db8::1", "::ffff:192.0.2.1", "2001:0db8:0:0:0:0:0:2", "::"]),
                    violation: nil),
    Route53RuleCase(id: "aaaa-ipv4", record: set(.aaaa, ["192.0.2.1"]), violation: "AAAARRDATAIllegalIPv6Address"),
    Route53RuleCase(id: "aaaa-two-gaps", record: set(.aaaa, ["2001::db8::1"]), violation: "AAAARRDATAIllegalIPv6Address"),
    Route53RuleCase(id: "aaaa-too-many-groups", record: set(.aaaa, ["1:2:3:4:5:6:7:8:9"]), violation: "AAAARRDATAIllegalIPv6Address"),
    Route53RuleCase(id: "aaaa-signed-group", record: set(.aaaa, ["2001:db8::+1"]), violation: "AAAARRDATAIllegalIPv6Address"),
    Route53RuleCase(id: "aaaa-triple-colon", record: set(.aaaa, ["2001:::1"]), violation: "AAAARRDATAIllegalIPv6Address"),
    Route53RuleCase(id: "aaaa-full", record: set(.aaaa, ["2001:db8:1:2:3:4:5:6"]), violation: nil),
    Route53RuleCase(id: "aaaa-gap-with-eight-groups", record: set(.aaaa, ["2001:db8:1:2::3:4:5:6"]),
                    violation: "AAAARRDATAIllegalIPv6Address"),
    Route53RuleCase(id: "a-signed", record: set(values: ["+1.2.3.4"]), violation: "ARRDATAIllegalIPv4Address"),
    Route53RuleCase(id: "aaaa-zone-id", record: set(.aaaa, ["fe80::1%eth0"]), violation: "AAAARRDATAIllegalIPv6Address"),
    Route53RuleCase(id: "cname-one", record: set(.cname, ["lb.example.net"]), violation: nil),
    Route53RuleCase(id: "cname-two", record: set(.cname, ["a.example.net", "b.example.net"]), violation: "a CNAME has exactly one"),
    Route53RuleCase(id: "cname-apex", record: set(.cname, ["lb.example.net"], name: "example.com"), violation: "not permitted at apex"),
    Route53RuleCase(id: "txt-quoted", record: set(.txt, ["\"v=spf1 -all\"", "\"a\" \"b\"", "\"say \\\"hi\\\"\""]), violation: nil),
    Route53RuleCase(id: "txt-255", record: set(.txt, [q255]), violation: nil),
    Route53RuleCase(id: "txt-256", record: set(.txt, ["\"" + String(repeating: "x", count: 256) + "\""]),
                    violation: "CharacterStringTooLong"),
    Route53RuleCase(id: "txt-two-255-strings", record: set(.txt, [q255 + " " + q255]), violation: nil),
    Route53RuleCase(id: "txt-octal-escape-counts-one", record: set(.txt, ["\"" + String(repeating: "x", count: 254) + "\\351\""]),
                    violation: nil),
    Route53RuleCase(id: "txt-unquoted", record: set(.txt, ["v=spf1"]), violation: "InvalidCharacterString"),
    Route53RuleCase(id: "txt-unescaped-quote", record: set(.txt, ["\"a\"b\""]), violation: "InvalidCharacterString"),
    Route53RuleCase(id: "txt-unterminated", record: set(.txt, ["\"abc"]), violation: "InvalidCharacterString"),
    Route53RuleCase(id: "value-4000", record: set(.txt, [(0..<15).map { _ in q255 }.joined(separator: " ")
                                                         + " \"" + String(repeating: "y", count: 4000 - 15 * 258 - 2) + "\""]),
                    violation: nil),
    Route53RuleCase(id: "value-4001", record: set(.txt, [(0..<15).map { _ in q255 }.joined(separator: " ")
                                                         + " \"" + String(repeating: "y", count: 4001 - 15 * 258 - 2) + "\""]),
                    violation: "less than or equal to 4000"),
    Route53RuleCase(id: "values-400", record: set(.txt, (0..<400).map { "\"\($0)\"" }), violation: nil),
    Route53RuleCase(id: "values-401", record: set(.txt, (0..<401).map { "\"\($0)\"" }), violation: "TooManyResourceRecords"),
    Route53RuleCase(id: "no-values", record: set(values: []), violation: "length greater than or equal to 1"),
    Route53RuleCase(id: "duplicate-value", record: set(values: ["192.0.2.1", "192.0.2.1"]), violation: "Duplicate Resource Record"),
    Route53RuleCase(id: "alias", record: set(values: [], ttl: nil, alias: alias), violation: nil),
    Route53RuleCase(id: "alias-with-ttl", record: set(values: [], ttl: 300, alias: alias), violation: "but found more than one"),
    Route53RuleCase(id: "alias-with-values", record: set(ttl: nil, alias: alias), violation: "but found more than one"),
    Route53RuleCase(id: "health-check-id-65", record: set(healthCheckID: String(repeating: "h", count: 65)),
                    violation: "healthCheckId"),
    Route53RuleCase(id: "unknown-type", record: set("WKS", ["x"]), violation: "enum value set"),
]

@Suite struct Route53RulesTests {
    @Test(arguments: rules)
    func rule(_ row: Route53RuleCase) {
        let found = Route53Rules.violations(of: row.record, in: "example.com")
        if let violation = row.violation {
            #expect(found.count == 1, "\(found)")
            #expect(found.first?.contains(violation) == true, "\(found)")
        } else {
            #expect(found == [])
        }
    }

    @Test func violationsNameTheValue() {
        let found = Route53Rules.violations(of: set(values: ["192.0.2.300"]), in: "example.com")
        #expect(found == ["ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '192.0.2.300'"])
    }

    @Test func apexRecordsOtherThanCNAMEAreFine() {
        #expect(Route53Rules.violations(of: set(name: "example.com"), in: "example.com") == [])
    }
}
