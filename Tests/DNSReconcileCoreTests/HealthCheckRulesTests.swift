import DNSReconcileCore
import Testing

/// The pieces under the health-check planner: reference codec, address checks, desired settings,
/// and the endpoint rules (failover PRIMARY included).
@Suite struct HealthCheckRulesTests {
    // MARK: CallerReference

    @Test func referenceRoundTrips() throws {
        let key = RecordKey(name: "app.example.com", type: .a, setIdentifier: "hk")
        let made = HealthCheckReference(ownerID: "rke2-hk", zoneID: "Z0EXAMPLE", recordKey: key,
                                        canonicalConfig: "HTTP|x", createdAt: 1_767_225_600.9)
        let parsed = try #require(HealthCheckReference(parsing: made.text))
        #expect(parsed == made)
        #expect(parsed.created == "t85s00", "whole seconds, base 36")
        #expect(parsed.config == HealthCheckReference(ownerID: "x", zoneID: "y", recordKey: key, canonicalConfig: "HTTP|x",
                                                      createdAt: 0).config)
        #expect(made.text.split(separator: "-").map(\.count) == [5, 8, 6, 10, 8, 6])
    }

    @Test func aKeyWithoutSetIdentifierDiffersFromOneWithAnEmptyLookingOne() {
        let plain = HealthCheckReference.keyDigest(RecordKey(name: "app.example.com", type: .a))
        let typed = HealthCheckReference.keyDigest(RecordKey(name: "app.example.com", type: .aaaa))
        let named = HealthCheckReference.keyDigest(RecordKey(name: "app.example.com", type: .a, setIdentifier: "hk"))
        #expect(Set([plain, typed, named]).count == 3)
        #expect(plain == HealthCheckReference.keyDigest(RecordKey(name: "APP.example.com.", type: .a)), "canonical name")
    }

    @Test(arguments: [
        ("someone's", "hc-ref-1"),
        ("another version", "dnsr2-2a87ff6a-8a3c4b-054fcbe7cd-0a1b2c3d-t85s00"),
        ("short owner", "dnsr1-2a87ff6-8a3c4b-054fcbe7cd-0a1b2c3d-t85s00"),
        ("upper-case hex", "dnsr1-2A87FF6A-8a3c4b-054fcbe7cd-0a1b2c3d-t85s00"),
        ("no time", "dnsr1-2a87ff6a-8a3c4b-054fcbe7cd-0a1b2c3d-"),
        ("extra part", "dnsr1-2a87ff6a-8a3c4b-054fcbe7cd-0a1b2c3d-t85s00-x"),
        ("bad time", "dnsr1-2a87ff6a-8a3c4b-054fcbe7cd-0a1b2c3d-T8!"),
        ("empty", ""),
    ])
    func foreignReferencesDoNotParse(id: String, text: String) {
        #expect(HealthCheckReference(parsing: text) == nil, "case \(id)")
    }

    // MARK: Addresses Route53 cannot probe

    @Test(arguments: [
        ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("172.31.255.255", "private"), ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"), ("169.254.169.254", "link-local"), ("100.64.0.1", "shared"), ("100.127.255.255", "shared"),
        ("0.1.2.3", "this network"), ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"),
        ("240.0.0.1", "reserved"), ("255.255.255.255", "broadcast"),
        ("::1", "loopback"), ("::", "unspecified"), ("fe80::1", "link-local"), ("FEBF::1", "link-local"),
        ("fc00::1", "unique local"), ("fd12:3456::1", "unique local"), ("ff02::1", "multicast"),
        ("::ffff:10.0.0.1", "private"),
    ])
    func unreachableAddressesAreRefusedByName(address: String, kind: String) throws {
        let endpoint = Endpoint(name: "app.example.com", type: address.contains(":") ? .aaaa : .a, targets: [address],
                                healthCheck: HealthCheckSpec(kind: .http))
        let problems = HealthCheckRules.violations(of: endpoint)
        #expect(problems.count == 1)
        let message = try #require(problems.first)
        #expect(message.hasPrefix("\(address) is "), "\(message)")
        #expect(message.contains(kind), "\(message)")
        #expect(message.contains("probe from the internet") && message.contains("publish the public address"))
    }

    @Test(arguments: ["203.0.113.10", "198.51.100.20", "8.8.8.8", "172.32.0.1", "100.128.0.1", "169.255.0.1",
                      "2001:db8::1", "2600:1f18::10", "fec0::1"])
    func publicAddressesAreAccepted(address: String) {
        let endpoint = Endpoint(name: "app.example.com", type: address.contains(":") ? .aaaa : .a, targets: [address],
                                healthCheck: HealthCheckSpec(kind: .http))
        #expect(HealthCheckRules.violations(of: endpoint).isEmpty)
    }

    @Test func aPrivateTargetAmongPublicOnesIsRefused() {
        let endpoint = Endpoint(name: "app.example.com", type: .a, targets: ["203.0.113.10", "192.168.0.10"],
                                healthCheck: HealthCheckSpec(kind: .tcp))
        #expect(HealthCheckRules.violations(of: endpoint).map { $0.prefix(15) } == ["192.168.0.10 is"])
    }

    // MARK: Endpoint rules

    @Test(arguments: [
        ("search too long", Endpoint(name: "a.example.com", type: .a, targets: ["203.0.113.1"],
                                     healthCheck: HealthCheckSpec(kind: .http, searchString: String(repeating: "x", count: 256))),
         "longer than Route53's 255"),
        ("TXT record", Endpoint(name: "a.example.com", type: .txt, targets: ["\"x\""], healthCheck: HealthCheckSpec(kind: .tcp)),
         "needs an A, AAAA or CNAME"),
        ("alias with host", Endpoint(name: "a.example.com", type: .a, targets: ["lb.elb.amazonaws.com"],
                                     alias: AliasOptions(), healthCheck: HealthCheckSpec(kind: .https, host: "a.example.com")),
         "remove health-check-host"),
        ("interval", Endpoint(name: "a.example.com", type: .a, targets: ["203.0.113.1"],
                              healthCheck: HealthCheckSpec(kind: .http, interval: 20)), "every 10 or 30 seconds"),
        ("threshold", Endpoint(name: "a.example.com", type: .a, targets: ["203.0.113.1"],
                               healthCheck: HealthCheckSpec(kind: .http, failureThreshold: 11)), "1 to 10"),
        ("both", Endpoint(name: "a.example.com", type: .a, targets: ["203.0.113.1"], healthCheckID: "abc",
                          healthCheck: HealthCheckSpec(kind: .http)), "pick one"),
    ])
    func invalidSettingsAreRefused(id: String, endpoint: Endpoint, fragment: String) {
        let problems = HealthCheckRules.violations(of: endpoint)
        #expect(problems.count == 1, "case \(id): \(problems)")
        #expect(problems.first?.contains(fragment) == true, "case \(id): \(problems)")
    }

    @Test(arguments: [
        ("primary without a check", FailoverRole.primary, nil as String?, nil as HealthCheckSpec?, false, true),
        ("primary alias without a check", .primary, nil, nil, true, true),
        ("primary with aws-health-check-id", .primary, "abc", nil, false, false),
        ("primary with a managed check", .primary, nil, HealthCheckSpec(kind: .http), false, false),
        ("secondary without a check", .secondary, nil, nil, false, false),
    ])
    func failoverPrimaryNeedsAHealthCheck(id: String, role: FailoverRole, checkID: String?, spec: HealthCheckSpec?,
                                          alias: Bool, refused: Bool) {
        let endpoint = Endpoint(name: "app.example.com", type: .a, targets: [alias ? "lb.elb.amazonaws.com" : "203.0.113.10"],
                                setIdentifier: "p", routing: .failover(role), healthCheckID: checkID,
                                alias: alias ? AliasOptions() : nil, healthCheck: spec)
        let problems = HealthCheckRules.failoverViolations(of: endpoint)
        #expect(problems.isEmpty != refused, "case \(id)")
        if refused {
            #expect(problems == ["failover PRIMARY needs a health check: set health-check = http (or aws-health-check-id); "
                                 + "its ownership TXT carries the same check"])
        }
    }

    @Test func thePlannerRefusesAPrimaryWithoutACheck() {
        let zone = HostedZone(id: "Z0EXAMPLE", name: "example.com")
        let planner = Planner(policy: .sync, registry: NoopRegistry())
        let primary = Endpoint(name: "app.example.com", type: .a, targets: ["203.0.113.10"], ttl: 60, setIdentifier: "hk",
                               routing: .failover(.primary))
        let secondary = Endpoint(name: "app.example.com", type: .a, targets: ["198.51.100.20"], ttl: 60, setIdentifier: "sg",
                                 routing: .failover(.secondary))
        let plan = planner.plan(desired: [primary, secondary], held: [],
                                inventory: ZoneInventory(zone: zone, records: [], registryTXTs: []))
        #expect(plan.changes.map(\.key) == [secondary.key], "the primary is never sent")
        #expect(plan.notices.map(\.kind) == [.invalid])
        #expect(plan.notices.first?.message.contains("failover PRIMARY needs a health check") == true)
    }

    // MARK: Desired settings

    @Test(arguments: [
        ("http", HealthCheckSpec(kind: .http, path: "/healthz"), "HTTP 203.0.113.10:80 /healthz Host app.example.com",
         HealthCheckConfig.Kind.http, false),
        ("http search", HealthCheckSpec(kind: .http, searchString: "ok"), "HTTP_STR_MATCH 203.0.113.10:80 / Host app.example.com search \"ok\"",
         .httpStringMatch, false),
        ("https", HealthCheckSpec(kind: .https, host: "origin.example.com"), "HTTPS 203.0.113.10:443 / Host origin.example.com",
         .https, true),
        ("https search", HealthCheckSpec(kind: .https, searchString: "up"),
         "HTTPS_STR_MATCH 203.0.113.10:443 / Host app.example.com search \"up\"", .httpsStringMatch, true),
        ("tcp", HealthCheckSpec(kind: .tcp, port: 5432, interval: 10, failureThreshold: 2),
         "TCP 203.0.113.10:5432 every 10 s, 2 failures", .tcp, false),
    ])
    func desiredSettings(id: String, spec: HealthCheckSpec, summary: String, kind: HealthCheckConfig.Kind, sni: Bool) throws {
        let endpoint = Endpoint(name: "app.example.com", type: .a, targets: ["203.0.113.10"], healthCheck: spec)
        guard case .single(let config)? = DesiredHealthCheck.make(for: endpoint, spec: spec) else {
            Issue.record("case \(id): not a single check")
            return
        }
        #expect(config.summary == summary, "case \(id)")
        #expect(config.kind == kind, "case \(id)")
        #expect((config.enableSNI ?? false) == sni, "case \(id)")
        #expect(config.port != nil && config.requestInterval != nil && config.failureThreshold != nil, "always sent")
        if spec.kind == .tcp { #expect(config.resourcePath == nil && config.searchString == nil) }
    }

    @Test func cnameAndAliasAreProbedByTargetName() {
        let spec = HealthCheckSpec(kind: .https)
        let cname = Endpoint(name: "www.example.com", type: .cname, targets: ["LB.example.net."], healthCheck: spec)
        let alias = Endpoint(name: "app.example.com", type: .a, targets: ["my-lb.eu-west-1.elb.amazonaws.com"],
                             alias: AliasOptions(), healthCheck: spec)
        for (endpoint, name) in [(cname, "lb.example.net"), (alias, "my-lb.eu-west-1.elb.amazonaws.com")] {
            guard case .single(let config)? = DesiredHealthCheck.make(for: endpoint, spec: spec) else {
                Issue.record("not a single check")
                continue
            }
            #expect(config.ipAddress == nil)
            #expect(config.fullyQualifiedDomainName == name)
        }
    }

    @Test func severalTargetsMakeOneChildPerAddress() {
        let spec = HealthCheckSpec(kind: .http)
        let endpoint = Endpoint(name: "app.example.com", type: .aaaa, targets: ["2001:db8::2", "2001:DB8::1", "2001:db8:0::2"],
                                healthCheck: spec)
        guard case .calculated(let children)? = DesiredHealthCheck.make(for: endpoint, spec: spec) else {
            Issue.record("not calculated")
            return
        }
        #expect(children.map(\.ipAddress) == ["2001:DB8::1", "2001:db8::2"], "one per address, duplicates spelled differently dropped")
        #expect(children.allSatisfy { $0.fullyQualifiedDomainName == "app.example.com" })
        let parent = DesiredHealthCheck.parent(children: ["b", "a"])
        #expect(parent.kind == .calculated && parent.healthThreshold == 1 && parent.childHealthChecks == ["a", "b"])
    }

    @Test func readBackDefaultsAndSpellingsCompareEqual() {
        let desired = HealthCheckConfig(kind: .http, ipAddress: "2001:db8::1", port: 80, resourcePath: "/",
                                        fullyQualifiedDomainName: "app.example.com", requestInterval: 30, failureThreshold: 3)
        var observed = desired
        observed.ipAddress = "2001:DB8:0:0::1"
        observed.fullyQualifiedDomainName = "APP.example.com."
        observed.enableSNI = false
        observed.requestInterval = nil
        #expect(observed.matches(desired))
        observed.failureThreshold = 5
        #expect(observed.differences(from: desired) == ["failure threshold 5 → 3"])
    }
}
