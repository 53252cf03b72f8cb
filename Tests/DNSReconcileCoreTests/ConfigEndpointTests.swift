import Testing
@testable import DNSReconcileCore

@Suite struct ConfigEndpointTests {
    /// One `[endpoint "e"]` section (after `[cluster] owner-id`, so its first line is 4).
    func load(_ body: String, managed: String = "A, AAAA, CNAME, TXT, MX")
        -> Result<ClusterConfig, ConfigErrors> {
        let text = ConfigFixtures.owner + "[endpoint \"e\"]\n" + body + "\n[registry]\nmanaged-record-types = \(managed)\n"
        return ClusterConfig.load(file: "k3s.ini", text: text)
    }

    func endpoint(_ body: String) throws -> Endpoint {
        switch load(body) {
        case .success(let cluster): return try #require(cluster.endpoints.first)
        case .failure(let failure):
            Issue.record("unexpected errors:\n\(failure)")
            throw failure
        }
    }

    static let valid: [(String, String, Endpoint)] = [
        ("name defaults to the id, A from IPv4", "targets = 192.0.2.1, 192.0.2.2",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1", "192.0.2.2"])),
        ("AAAA from IPv6", "name = v6.example.com\ntargets = 2001:db8::1, ::ffff:192.0.2.1",
         Endpoint(name: "v6.example.com", type: .aaaa, targets: ["2001:db8::1", "::ffff:192.0.2.1"])),
        ("CNAME from one name", "name = www.example.com\ntargets = LB.Example.NET.",
         Endpoint(name: "www.example.com", type: .cname, targets: ["lb.example.net"])),
        ("wildcard name", "name = *.Example.com\ntargets = 192.0.2.1",
         Endpoint(name: "*.example.com", type: .a, targets: ["192.0.2.1"])),
        ("explicit TXT", "type = txt\ntargets = \"\\\"v=spf1 -all\\\"\"",
         Endpoint(name: "e", type: .txt, targets: ["\"v=spf1 -all\""])),
        ("ttl duration", "targets = 192.0.2.1\nttl = 1h",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], ttl: 3600)),
        ("ttl zero", "targets = 192.0.2.1\nttl = 0",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], ttl: 0)),
        ("weighted", "targets = 192.0.2.1\nset-identifier = hk\naws-weight = 255",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "hk", routing: .weighted(weight: 255))),
        ("latency", "targets = 192.0.2.1\nset-identifier = hk\naws-region = ap-east-1",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "hk", routing: .latency(region: "ap-east-1"))),
        ("failover any case", "targets = 192.0.2.1\nset-identifier = a\naws-failover = primary",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "a", routing: .failover(.primary))),
        ("geolocation continent", "targets = 192.0.2.1\nset-identifier = a\naws-geolocation-continent-code = eu",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "a",
                  routing: .geolocation(GeoLocation(continentCode: "EU")))),
        ("geolocation subdivision", "targets = 192.0.2.1\nset-identifier = a\naws-geolocation-country-code = us\naws-geolocation-subdivision-code = ca",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "a",
                  routing: .geolocation(GeoLocation(countryCode: "US", subdivisionCode: "CA")))),
        ("geolocation default", "targets = 192.0.2.1\nset-identifier = a\naws-geolocation-country-code = *",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "a",
                  routing: .geolocation(GeoLocation(countryCode: "*")))),
        ("geoproximity coordinates", "targets = 192.0.2.1\nset-identifier = a\naws-geoproximity-coordinates = \"49.28, -123.12\"\naws-geoproximity-bias = -99",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "a",
                  routing: .geoproximity(GeoProximity(latitude: "49.28", longitude: "-123.12", bias: -99)))),
        ("geoproximity region", "targets = 192.0.2.1\nset-identifier = a\naws-geoproximity-region = eu-west-1",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "a",
                  routing: .geoproximity(GeoProximity(awsRegion: "eu-west-1")))),
        ("geoproximity local zone group", "targets = 192.0.2.1\nset-identifier = a\naws-geoproximity-local-zone-group = us-west-2-lax-1",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "a",
                  routing: .geoproximity(GeoProximity(localZoneGroup: "us-west-2-lax-1")))),
        ("multivalue", "targets = 192.0.2.1\nset-identifier = a\naws-multi-value-answer = yes",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], setIdentifier: "a", routing: .multiValue)),
        ("multivalue off is simple", "targets = 192.0.2.1\naws-multi-value-answer = off",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"])),
        ("health check id", "targets = 192.0.2.1\naws-health-check-id = 0f8b1c2d-1234",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], healthCheckID: "0f8b1c2d-1234")),
        ("alias", "targets = my-lb.elb.amazonaws.com\nalias = true",
         Endpoint(name: "e", type: .cname, targets: ["my-lb.elb.amazonaws.com"], alias: AliasOptions())),
        ("alias options", "type = A\ntargets = d111.cloudfront.net\nalias = on\naws-target-hosted-zone = /hostedzone/Z2FDTNDATAQYW2\naws-evaluate-target-health = false",
         Endpoint(name: "e", type: .a, targets: ["d111.cloudfront.net"],
                  alias: AliasOptions(targetHostedZoneID: "Z2FDTNDATAQYW2", evaluateTargetHealth: false))),
        ("hosted zone id", "targets = 192.0.2.1\naws-hosted-zone-id = /hostedzone/Z1D633PJN98FT9",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], hostedZoneID: "Z1D633PJN98FT9")),
        ("health check defaults", "targets = 192.0.2.1\nhealth-check = http",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], healthCheck: HealthCheckSpec(kind: .http))),
        ("health check every key", "targets = 192.0.2.1\nhealth-check = HTTPS\nhealth-check-port = 8443\nhealth-check-path = /healthz\nhealth-check-host = app.example.com\nhealth-check-search = ok\nhealth-check-interval = 10\nhealth-check-failure-threshold = 10",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"],
                  healthCheck: HealthCheckSpec(kind: .https, port: 8443, path: "/healthz", host: "app.example.com",
                                               searchString: "ok", interval: 10, failureThreshold: 10))),
        ("tcp health check", "targets = 192.0.2.1\nhealth-check = tcp\nhealth-check-port = 22",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"], healthCheck: HealthCheckSpec(kind: .tcp, port: 22))),
        ("empty health check is none", "targets = 192.0.2.1\nhealth-check =",
         Endpoint(name: "e", type: .a, targets: ["192.0.2.1"])),
    ]

    @Test(arguments: valid)
    func readsEndpointKeys(id: String, body: String, expected: Endpoint) throws {
        var expected = expected
        expected.resource = "endpoint/k3s/e"
        expected.origin = SourceLocation(file: "k3s.ini", line: 3)
        #expect(try endpoint(body) == expected, "\(id)")
    }

    static let invalid: [(String, String, DNSReconcileError.Code, Int, String)] = [
        ("no targets", "name = a.example.com", .configMissingKey, 3, "[endpoint \"e\"] needs targets"),
        ("mixed families", "targets = 192.0.2.1, 2001:db8::1", .configConflict, 4,
         "mixes IPv4 and IPv6 targets; split them into one [endpoint] per record type"),
        ("mixed ip and name", "targets = 192.0.2.1, lb.example.net", .configConflict, 4, "mixes IPv4 and host name targets"),
        ("two names", "targets = a.example.net, b.example.net", .configBadValue, 4, "a CNAME has exactly one target"),
        ("bad target", "targets = not_ a name", .configBadValue, 4, "is neither an IP address nor a host name"),
        ("bad IPv4 for A", "type = A\ntargets = 192.0.2.256", .configBadValue, 5, "'192.0.2.256' is not an IPv4 address"),
        ("leading zero IPv4", "type = A\ntargets = 010.0.0.1", .configBadValue, 5, "is not an IPv4 address"),
        ("bad IPv6 for AAAA", "type = AAAA\ntargets = 2001:db8:::1", .configBadValue, 5, "is not an IPv6 address"),
        ("IPv4 for AAAA", "type = AAAA\ntargets = 192.0.2.1", .configBadValue, 5, "is not an IPv6 address"),
        ("CNAME with IP", "type = CNAME\ntargets = 192.0.2.1", .configBadValue, 5, "a CNAME has exactly one target"),
        ("SOA type", "type = SOA\ntargets = x", .configBadValue, 4, "is not valid; write one of"),
        ("bad name", "name = -x..example.com\ntargets = 192.0.2.1", .configBadValue, 4, "is not a DNS name"),
        ("ttl text", "targets = 192.0.2.1\nttl = soon", .configBadValue, 5, "write seconds (90) or a duration"),
        ("ttl too large", "targets = 192.0.2.1\nttl = 2147483648", .configBadValue, 5, "from 0 to 2147483647 seconds"),
        ("ttl fraction", "targets = 192.0.2.1\nttl = 1.5", .configBadValue, 5, "a whole number of seconds"),
        ("weight range", "targets = 192.0.2.1\nset-identifier = a\naws-weight = 256", .configBadValue, 6, "from 0 to 255"),
        ("negative weight", "targets = 192.0.2.1\nset-identifier = a\naws-weight = -1", .configBadValue, 6, "from 0 to 255"),
        ("unknown region", "targets = 192.0.2.1\nset-identifier = a\naws-region = mars-north-1", .configBadValue, 6, "write one of us-east-1"),
        ("failover word", "targets = 192.0.2.1\nset-identifier = a\naws-failover = tertiary", .configBadValue, 6, "one of PRIMARY, SECONDARY"),
        ("continent", "targets = 192.0.2.1\nset-identifier = a\naws-geolocation-continent-code = XX", .configBadValue, 6, "one of AF, AN, AS, EU, OC, NA, SA"),
        ("country", "targets = 192.0.2.1\nset-identifier = a\naws-geolocation-country-code = USA", .configBadValue, 6, "write two letters"),
        ("subdivision without country", "targets = 192.0.2.1\nset-identifier = a\naws-geolocation-subdivision-code = CA",
         .configMissingKey, 6, "add aws-geolocation-country-code"),
        ("continent and country", "targets = 192.0.2.1\nset-identifier = a\naws-geolocation-continent-code = EU\naws-geolocation-country-code = DE",
         .configConflict, 7, "either aws-geolocation-continent-code or aws-geolocation-country-code"),
        ("coordinates range", "targets = 192.0.2.1\nset-identifier = a\naws-geoproximity-coordinates = \"91,0\"", .configBadValue, 6, "latitude −90…90"),
        ("coordinates decimals", "targets = 192.0.2.1\nset-identifier = a\naws-geoproximity-coordinates = \"1.234,0\"", .configBadValue, 6, "at most two decimals"),
        ("coordinates shape", "targets = 192.0.2.1\nset-identifier = a\naws-geoproximity-coordinates = 10", .configBadValue, 6, "is not \"latitude,longitude\""),
        ("bias range", "targets = 192.0.2.1\nset-identifier = a\naws-geoproximity-region = eu-west-1\naws-geoproximity-bias = 100", .configBadValue, 7, "from -99 to 99"),
        ("bias alone", "targets = 192.0.2.1\nset-identifier = a\naws-geoproximity-bias = 10", .configMissingKey, 6, "geoproximity needs a location"),
        ("two geoproximity anchors", "targets = 192.0.2.1\nset-identifier = a\naws-geoproximity-region = eu-west-1\naws-geoproximity-coordinates = \"1,2\"",
         .configConflict, 7, "give one geoproximity location"),
        ("two policies", "targets = 192.0.2.1\nset-identifier = a\naws-weight = 1\naws-region = eu-west-1", .configConflict, 7,
         "one record set has one routing policy, but aws-weight and aws-region are set; keep one"),
        ("policy without set identifier", "targets = 192.0.2.1\naws-failover = SECONDARY", .configMissingKey, 5,
         "failover routing needs a set identifier; add set-identifier = ..."),
        ("set identifier alone", "targets = 192.0.2.1\nset-identifier = a", .configMissingKey, 5, "a set identifier needs a routing policy"),
        ("multivalue bool", "targets = 192.0.2.1\nset-identifier = a\naws-multi-value-answer = sure", .configBadValue, 6, "true or false"),
        ("alias with two targets", "targets = a.example.net, b.example.net\nalias = true", .configBadValue, 4, "an alias has exactly one target"),
        ("alias to IP", "targets = 192.0.2.1\nalias = true", .configBadValue, 4, "an alias has exactly one target"),
        ("alias type", "type = TXT\ntargets = a.example.net\nalias = true", .configConflict, 4, "an alias endpoint has type A, AAAA or CNAME"),
        ("alias ttl", "targets = a.example.net\nalias = true\nttl = 60", .configConflict, 6, "alias records have no TTL"),
        ("alias-only key", "targets = 192.0.2.1\naws-evaluate-target-health = true", .configConflict, 5, "applies only to alias endpoints; add alias = true"),
        ("target zone id", "targets = a.example.net\nalias = true\naws-target-hosted-zone = zone one", .configBadValue, 6, "is not a hosted zone id"),
        ("health kind", "targets = 192.0.2.1\nhealth-check = icmp", .configBadValue, 5, "one of http, https, tcp"),
        ("health interval", "targets = 192.0.2.1\nhealth-check = http\nhealth-check-interval = 20", .configBadValue, 6, "one of 10, 30"),
        ("health threshold", "targets = 192.0.2.1\nhealth-check = http\nhealth-check-failure-threshold = 11", .configBadValue, 6, "from 1 to 10"),
        ("health port", "targets = 192.0.2.1\nhealth-check = http\nhealth-check-port = 0", .configBadValue, 6, "from 1 to 65535"),
        ("health path", "targets = 192.0.2.1\nhealth-check = http\nhealth-check-path = healthz", .configBadValue, 6, "start it with /"),
        ("health detail without check", "targets = 192.0.2.1\nhealth-check-path = /", .configConflict, 5, "add health-check = http, https or tcp"),
        ("tcp path", "targets = 192.0.2.1\nhealth-check = tcp\nhealth-check-path = /", .configConflict, 6, "a tcp health check only opens a connection"),
        ("managed and existing check", "targets = 192.0.2.1\nhealth-check = http\naws-health-check-id = abc", .configConflict, 5, "use either a managed health-check or an existing aws-health-check-id"),
        ("unknown endpoint key", "targets = 192.0.2.1\naws-wieght = 1", .configUnknownKey, 5, "did you mean 'aws-weight'?"),
        ("unmanaged type", "type = SRV\ntargets = 0 5 5060 sip.example.com", .configConflict, 3, "managed-record-types does not include SRV; add it there"),
    ]

    @Test(arguments: invalid)
    func refusesInvalidEndpoints(id: String, body: String, code: DNSReconcileError.Code, line: Int, message: String) {
        guard case .failure(let failure) = load(body) else {
            Issue.record("\(id): expected an error")
            return
        }
        #expect(failure.errors.count == 1, "\(id): \(failure.errors)")
        let error = failure.errors.first
        #expect(error?.code == code, "\(id)")
        #expect(error?.location == SourceLocation(file: "k3s.ini", line: line), "\(id): \(error?.location?.description ?? "-")")
        #expect(error?.message.contains(message) == true, "\(id): \(error?.message ?? "")")
    }

    @Test func everyEndpointKeyOfTheSchemaIsCovered() {
        let bodies = (Self.valid.map(\.1) + Self.invalid.map(\.1)).joined(separator: "\n")
        let keys = ConfigSchema.section(kind: "endpoint", name: "x")?.keys.map(\.name) ?? []
        #expect(keys.count == 28)
        for key in keys {
            #expect(bodies.contains("\(key) ="), "no test writes \(key)")
        }
    }

    @Test func aliasCNAMENeedsAAndAAAAManaged() {
        guard case .failure(let failure) = load("targets = lb.example.net\nalias = true", managed: "A, CNAME") else {
            Issue.record("expected an error")
            return
        }
        #expect(failure.errors.map(\.message) == [
            "[endpoint \"e\"] is a AAAA record but [registry] managed-record-types does not include AAAA; add it there",
        ])
    }

    @Test func endpointsAcrossSections() {
        let text = ConfigFixtures.owner + """
        [endpoint "a"]
        name = x.example.com
        targets = 192.0.2.1
        [endpoint "b"]
        name = X.example.com.
        targets = 192.0.2.2
        [endpoint "c"]
        name = x.example.com
        targets = lb.example.net
        """
        guard case .failure(let failure) = ClusterConfig.load(file: "k.ini", text: text) else {
            Issue.record("expected errors")
            return
        }
        #expect(failure.errors.map(\.code) == [.configConflict, .configConflict])
        #expect(failure.errors.map { $0.location?.line } == [6, 9])
        #expect(failure.errors[0].message.contains("declares x.example.com. A again (first at k.ini:3)"))
        #expect(failure.errors[1].message.contains("a CNAME cannot share its name x.example.com."))
    }

    @Test func staticSourceReturnsTheClusterEndpoints() throws {
        let cluster = try ConfigFixtures.cluster(try ConfigFixtures.text("rke2-hk.ini"), file: "rke2-hk.ini")
        let source = StaticEndpointSource(cluster: cluster)
        #expect(source.kind == "endpoint")
        let result = try source.endpoints()
        #expect(result.endpoints == cluster.endpoints)
        #expect(result.invalid.isEmpty)
        #expect(result.endpoints.map(\.resource) == ["endpoint/rke2-hk/web-hk", "endpoint/rke2-hk/api.example.com", "endpoint/rke2-hk/v6"])
        #expect(result.endpoints.map(\.key.description) == [
            "app.example.com. A [hk]", "api.example.com. CNAME", "v6.example.com. AAAA",
        ])
    }
}
