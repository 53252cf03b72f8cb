import DNSReconcileCore
import DNSReconcileHTTP
@testable import DNSReconcileRoute53
import DNSReconcileTestSupport
import Testing

/// Route53Client's health-check operations, and the routing shapes a multi-cluster name uses,
/// over libcurl against the patched moto_server.
@Suite("Route53Client health checks against moto", .serialized)
final class Route53HealthCheckMotoTests {
    nonisolated(unsafe) private static let server = Result { () throws(DNSReconcileError) -> MotoServer in try MotoServer() }

    let moto: MotoServer
    let transport: CountingTransport
    let observer = RecordingObserver()
    let client: Route53Client

    static let reference = "dnsr1-1a2b3c4d-0a1b2c-0123456789-89abcdef-t9x2kq"
    static let http = HealthCheckConfig(kind: .http, ipAddress: "203.0.113.10", port: 80, resourcePath: "/healthz",
                                        fullyQualifiedDomainName: "app.example.com", requestInterval: 10, failureThreshold: 3)

    init() throws {
        moto = try Self.server.get()
        try moto.reset()
        transport = CountingTransport(try CurlTransport())
        let time = SystemTimeSource()
        client = Route53Client(
            endpoint: moto.endpoint, transport: transport,
            signer: SigV4Signer(credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            limiter: TokenBucket(ratePerSecond: 10_000, burst: 10_000, time: time), time: time, maxRetries: 2,
            observer: observer)
    }

    private func zone(_ name: DNSName) throws -> HostedZone {
        HostedZone(id: try moto.createZone(name: name.fqdn), name: name)
    }

    private func owned(_ sets: [RecordSet], in zone: HostedZone) -> [RecordSet] {
        sets.filter { !($0.name == zone.name && ($0.type == .ns || $0.type == .soa)) }
    }

    /// The tags of a health check, as moto lists them.
    private func tags(of id: String) throws -> [String: String] {
        let response = try moto.send(HTTPRequest(method: "GET", url: moto.endpoint + "/2013-04-01/tags/healthcheck/\(id)"))
        let text = String(decoding: response.body, as: UTF8.self)
        let keys = MotoFidelityTests.values("Key", in: text)
        let values = MotoFidelityTests.values("Value", in: text)
        return Dictionary(uniqueKeysWithValues: zip(keys, values))
    }

    @Test func createListUpdateTagDelete() throws {
        let created = try client.createHealthCheck(callerReference: Self.reference, config: Self.http)
        #expect(!created.id.isEmpty)
        #expect(created.callerReference == Self.reference)
        #expect(created.version == 1)

        var listed = try client.listHealthChecks()
        #expect(listed.map(\.id) == [created.id])
        #expect(listed.first?.callerReference == Self.reference)
        let read = try #require(listed.first?.config)
        #expect(read.kind == .http && read.ipAddress == "203.0.113.10" && read.port == 80)
        #expect(read.resourcePath == "/healthz" && read.fullyQualifiedDomainName == "app.example.com")
        #expect(read.requestInterval == 10 && read.failureThreshold == 3)

        var changed = Self.http
        changed.resourcePath = "/ready"
        changed.port = 8080
        changed.failureThreshold = 5
        let updated = try client.updateHealthCheck(id: created.id, version: created.version, config: changed)
        #expect(updated.version == 2)
        listed = try client.listHealthChecks()
        #expect(listed.count == 1)
        let after = try #require(listed.first)
        #expect(after.version == 2)
        #expect(after.config.resourcePath == "/ready" && after.config.port == 8080 && after.config.failureThreshold == 5)
        #expect(after.config.ipAddress == "203.0.113.10" && after.config.requestInterval == 10)

        let tags = ["Name": "app.example.com A hk", "dnsreconcile/owner": "rke2-hk",
                    "dnsreconcile/record": "app.example.com A hk"]
        try client.tagHealthCheck(id: created.id, tags: tags)
        #expect(try self.tags(of: created.id) == tags)

        try client.deleteHealthCheck(id: created.id)
        #expect(try client.listHealthChecks().isEmpty)
        #expect(observer.requests == [
            "CreateHealthCheck 201", "ListHealthChecks 200", "UpdateHealthCheck 200", "ListHealthChecks 200",
            "ChangeTagsForResource 200", "DeleteHealthCheck 200", "ListHealthChecks 200",
        ])
    }

    @Test func updateClearsWhatTheConfigurationNoLongerHas() throws {
        let created = try client.createHealthCheck(callerReference: Self.reference, config: Self.http)
        var bare = Self.http
        bare.resourcePath = nil
        bare.fullyQualifiedDomainName = nil
        _ = try client.updateHealthCheck(id: created.id, version: created.version, config: bare)
        let after = try #require(try client.listHealthChecks().first)
        #expect(after.config.resourcePath == nil)
        #expect(after.config.fullyQualifiedDomainName == nil)
        #expect(after.config.port == 80)
    }

    @Test func repeatedCreateReturnsTheSameCheck() throws {
        let first = try client.createHealthCheck(callerReference: Self.reference, config: Self.http)
        let second = try client.createHealthCheck(callerReference: Self.reference, config: Self.http)
        #expect(second.id == first.id)
        #expect(try client.listHealthChecks().count == 1)

        var other = Self.http
        other.port = 81
        #expect {
            try client.createHealthCheck(callerReference: Self.reference, config: other)
        } throws: { error in
            (error as? DNSReconcileError)?.cause == "HealthCheckAlreadyExists"
        }
    }

    @Test func staleUpdateThatIsAlreadyInEffectSucceeds() throws {
        let created = try client.createHealthCheck(callerReference: Self.reference, config: Self.http)
        var changed = Self.http
        changed.port = 8080
        _ = try client.updateHealthCheck(id: created.id, version: 1, config: changed)
        // What a retry after a lost answer sends: the old version, the same settings.
        let again = try client.updateHealthCheck(id: created.id, version: 1, config: changed)
        #expect(again.version == 2 && again.config.port == 8080)
        #expect(observer.notices.count == 1)

        changed.port = 9090
        #expect {
            try client.updateHealthCheck(id: created.id, version: 1, config: changed)
        } throws: { error in
            (error as? DNSReconcileError)?.cause == "HealthCheckVersionMismatch"
        }
    }

    @Test func checksAreDeletedOnlyOnceNothingReferencesThem() throws {
        let zone = try zone("example.com")
        let child = try client.createHealthCheck(callerReference: Self.reference + "-c", config: Self.http)
        let parent = try client.createHealthCheck(
            callerReference: Self.reference + "-p",
            config: HealthCheckConfig(kind: .calculated, healthThreshold: 1, childHealthChecks: [child.id]))
        var primary = RecordSet(name: "app.example.com", type: .a, setIdentifier: "hk", routing: .failover(.primary),
                                ttl: 60, values: ["203.0.113.10"], healthCheckID: parent.id)
        _ = try client.apply([Change(.create, primary)], in: zone, comment: nil)

        func inUse(_ id: String) -> Bool {
            do {
                try client.deleteHealthCheck(id: id)
                return false
            } catch {
                return error.cause == "HealthCheckInUse"
            }
        }
        #expect(inUse(parent.id))
        #expect(inUse(child.id))

        // The record set moves off the check first, then the parent goes, then the child.
        primary.healthCheckID = nil
        _ = try client.apply([Change(.upsert, primary)], in: zone, comment: nil)
        #expect(inUse(child.id))
        try client.deleteHealthCheck(id: parent.id)
        try client.deleteHealthCheck(id: child.id)
        #expect(try client.listHealthChecks().isEmpty)
        // Deleting again counts as done.
        try client.deleteHealthCheck(id: child.id)
    }

    @Test func listingFollowsMarkersOverTwoPages() throws {
        // 1001 checks: one more than a page (Route53's maximum maxitems).
        for index in 0...Route53Client.healthCheckPageSize {
            let config = HealthCheckConfig(kind: .tcp, ipAddress: "198.51.100.\(index % 250 + 1)", port: 1000 + index)
            _ = try client.createHealthCheck(callerReference: "page-\(index)", config: config)
        }
        transport.reset()
        let listed = try client.listHealthChecks()
        #expect(transport.operations == ["GET", "GET"])
        #expect(listed.count == Route53Client.healthCheckPageSize + 1)
        #expect(listed.map(\.callerReference) == (0...Route53Client.healthCheckPageSize).map { "page-\($0)" })
    }

    // MARK: - Routing shapes of a multi-cluster name

    @Test func everyRoutingShapeRoundTrips() throws {
        let zone = try zone("example.com")
        let check = try client.createHealthCheck(callerReference: Self.reference, config: Self.http)
        let sets: [RecordSet] = [
            RecordSet(name: "gp.example.com", type: .a, setIdentifier: "hk",
                      routing: .geoproximity(GeoProximity(latitude: "22.32", longitude: "114.17", bias: -25)), ttl: 60,
                      values: ["203.0.113.10"], healthCheckID: check.id),
            RecordSet(name: "gp.example.com", type: .a, setIdentifier: "sg",
                      routing: .geoproximity(GeoProximity(awsRegion: "ap-southeast-1", bias: 0)), ttl: 60,
                      values: ["203.0.113.20"]),
            RecordSet(name: "gp.example.com", type: .a, setIdentifier: "lz",
                      routing: .geoproximity(GeoProximity(awsRegion: "us-west-2", localZoneGroup: "us-west-2-lax-1",
                                                          bias: 99)),
                      ttl: 60, values: ["203.0.113.30"]),
            RecordSet(name: "fo.example.com", type: .a, setIdentifier: "primary", routing: .failover(.primary), ttl: 60,
                      values: ["203.0.113.10"], healthCheckID: check.id),
            RecordSet(name: "fo.example.com", type: .a, setIdentifier: "secondary", routing: .failover(.secondary),
                      alias: AliasTarget(hostedZoneID: "Z1LMS91P8CMLE5",
                                         dnsName: "dualstack.k3s-sg-123.ap-southeast-1.elb.amazonaws.com",
                                         evaluateTargetHealth: true)),
            RecordSet(name: "geo.example.com", type: .a, setIdentifier: "asia",
                      routing: .geolocation(GeoLocation(continentCode: "AS")), ttl: 60, values: ["203.0.113.10"]),
            RecordSet(name: "geo.example.com", type: .a, setIdentifier: "us-ca",
                      routing: .geolocation(GeoLocation(countryCode: "US", subdivisionCode: "CA")), ttl: 60,
                      values: ["203.0.113.20"]),
            RecordSet(name: "geo.example.com", type: .a, setIdentifier: "default",
                      routing: .geolocation(GeoLocation(countryCode: "*")), ttl: 60, values: ["203.0.113.20"]),
            RecordSet(name: "mv.example.com", type: .aaaa, setIdentifier: "hk", routing: .multiValue, ttl: 60,
                      values: ["2001:db8::10"], healthCheckID: check.id),
            RecordSet(name: "lat.example.com", type: .a, setIdentifier: "hk", routing: .latency(region: "ap-east-1"),
                      alias: AliasTarget(hostedZoneID: "Z12345678ABCDE", dnsName: "lb.ap-east-1.elb.amazonaws.com",
                                         evaluateTargetHealth: false)),
            RecordSet(name: "www.example.com", type: .cname, setIdentifier: "blue", routing: .weighted(weight: 80), ttl: 60,
                      values: ["blue.example.net"]),
            RecordSet(name: "www.example.com", type: .cname, setIdentifier: "green", routing: .weighted(weight: 20), ttl: 60,
                      values: ["green.example.net"]),
        ]
        _ = try client.apply(sets.map { Change(.create, $0) }, in: zone, comment: nil)
        let listed = owned(try client.listRecordSets(in: zone, subtree: nil), in: zone)
        #expect(listed.count == sets.count)
        #expect(Set(listed) == Set(sets))
        // moto lists aliases with <TTL>0</TTL>: read as no TTL, so the sets compare equal above.
        #expect(listed.filter { $0.alias != nil }.allSatisfy { $0.ttl == nil })

        // A changed geoproximity bias and a deleted member come back as written.
        var moved = sets[1]
        moved.routing = .geoproximity(GeoProximity(awsRegion: "ap-southeast-1", bias: 50))
        _ = try client.apply([Change(.upsert, moved), Change(.delete, sets[2])], in: zone, comment: nil)
        let after = Set(owned(try client.listRecordSets(in: zone, subtree: nil), in: zone))
        #expect(after == Set(sets).subtracting([sets[1], sets[2]]).union([moved]))
    }
}
