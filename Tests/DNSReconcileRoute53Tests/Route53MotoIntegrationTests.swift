import DNSReconcileCore
import DNSReconcileHTTP
import DNSReconcileRoute53
import DNSReconcileTestSupport
import Testing

/// Route53Client over libcurl against a real (patched) moto_server on loopback.
///
/// One server for the suite (starting moto takes seconds); the suite is serialised and every
/// test starts from `reset()`. Zone apex NS/SOA sets are moto's own and are filtered out where
/// the test compares what it wrote.
@Suite("Route53Client against moto", .serialized)
final class Route53MotoIntegrationTests {
    nonisolated(unsafe) private static let server = Result { () throws(DNSReconcileError) -> MotoServer in try MotoServer() }

    let moto: MotoServer
    let transport: CountingTransport
    let client: Route53Client

    init() throws {
        moto = try Self.server.get()
        try moto.reset()
        transport = CountingTransport(try CurlTransport())
        let time = SystemTimeSource()
        client = Route53Client(
            endpoint: moto.endpoint, transport: transport,
            signer: SigV4Signer(credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            limiter: TokenBucket(ratePerSecond: 10_000, burst: 10_000, time: time), time: time, maxRetries: 2)
    }

    private func zone(_ name: DNSName) throws -> HostedZone {
        HostedZone(id: try moto.createZone(name: name.fqdn), name: name)
    }

    private func owned(_ sets: [RecordSet], in zone: HostedZone) -> [RecordSet] {
        sets.filter { !($0.name == zone.name && ($0.type == .ns || $0.type == .soa)) }
    }

    static let created: [RecordSet] = [
        RecordSet(name: "example.com", type: .a, ttl: 300, values: ["192.0.2.1", "192.0.2.2"]),
        RecordSet(name: "txt.example.com", type: .txt, ttl: 60,
                  values: ["\"hello \\\"world\\\" & <friends>\"", "\"part1\" \"part2\""]),
        RecordSet(name: "w.example.com", type: .a, setIdentifier: "blue", routing: .weighted(weight: 10), ttl: 60,
                  values: ["192.0.2.10"]),
        RecordSet(name: "w.example.com", type: .a, setIdentifier: "green", routing: .weighted(weight: 20), ttl: 60,
                  values: ["192.0.2.20"]),
        RecordSet(name: "w.example.com", type: .a, setIdentifier: "red", routing: .weighted(weight: 0), ttl: 60,
                  values: ["192.0.2.30"]),
        RecordSet(name: "*.example.com", type: .cname, ttl: 120, values: ["example.com"]),
        RecordSet(name: "lat.example.com", type: .a, setIdentifier: "use1", routing: .latency(region: "us-east-1"),
                  ttl: 60, values: ["192.0.2.40"]),
        RecordSet(name: "fo.example.com", type: .a, setIdentifier: "primary", routing: .failover(.primary), ttl: 60,
                  values: ["192.0.2.50"]),
        RecordSet(name: "geo.example.com", type: .a, setIdentifier: "default",
                  routing: .geolocation(GeoLocation(countryCode: "*")), ttl: 60, values: ["192.0.2.60"]),
        RecordSet(name: "mv.example.com", type: .a, setIdentifier: "mv1", routing: .multiValue, ttl: 60,
                  values: ["192.0.2.70"]),
        RecordSet(name: "alias.example.com", type: .a,
                  alias: AliasTarget(hostedZoneID: "Z35SXDOTRQ7X7K", dnsName: "example.com", evaluateTargetHealth: false)),
    ]

    @Test func listZonesAndTags() throws {
        let public1 = try zone("example.com")
        let private1 = HostedZone(id: try moto.createZone(name: "internal.example.org.", privateZone: true),
                                  name: "internal.example.org", isPrivate: true)
        try moto.tagZone(public1.id, tags: ["team": "dns", "env": "prod"])
        let zones = try client.listZones()
        #expect(Set(zones) == [public1, private1])
        let tags = try client.zoneTags([public1.id, private1.id])
        #expect(tags == [public1.id: ["team": "dns", "env": "prod"], private1.id: [:]])
        #expect(transport.operations == ["GET", "POST"])
    }

    @Test func createListUpsertDelete() throws {
        let zone = try zone("example.com")
        let info = try client.apply(Self.created.map { Change(.create, $0) }, in: zone, comment: "create & check")
        #expect(info.status == "INSYNC" || info.status == "PENDING")
        #expect(try client.getChange(id: info.id).status == "INSYNC")

        var listed = owned(try client.listRecordSets(in: zone, subtree: nil), in: zone)
        #expect(Set(listed) == Set(Self.created))
        #expect(listed.count == Self.created.count)

        var updated = Self.created[0]
        updated.values = ["198.51.100.7"]
        updated.ttl = 30
        var green = Self.created[3]
        green.routing = .weighted(weight: 99)
        _ = try client.apply([Change(.upsert, updated), Change(.upsert, green)], in: zone, comment: nil)
        listed = owned(try client.listRecordSets(in: zone, subtree: nil), in: zone)
        #expect(listed.contains(updated) && listed.contains(green))
        #expect(!listed.contains(Self.created[0]) && !listed.contains(Self.created[3]))

        // Deleting one weighted member leaves its siblings (moto without the fix removes every
        // set named "blue" in the zone, and a DELETE without identifier every weighted member).
        _ = try client.apply([Change(.delete, Self.created[2]), Change(.delete, Self.created[1])], in: zone, comment: nil)
        listed = owned(try client.listRecordSets(in: zone, subtree: nil), in: zone)
        #expect(!listed.contains(Self.created[2]) && !listed.contains(Self.created[1]))
        #expect(listed.contains(green) && listed.contains(Self.created[4]))
        #expect(listed.count == Self.created.count - 2)
    }

    @Test func deleteWithSetIdentifierRemovesOnlyThatSet() throws {
        let zone = try zone("example.com")
        let a = RecordSet(name: "a.example.com", type: .a, setIdentifier: "c1", routing: .weighted(weight: 1), ttl: 60,
                          values: ["192.0.2.1"])
        let b = RecordSet(name: "b.example.com", type: .a, setIdentifier: "c1", routing: .weighted(weight: 1), ttl: 60,
                          values: ["192.0.2.2"])
        let plain = RecordSet(name: "a.example.com", type: .txt, ttl: 60, values: ["\"x\""])
        _ = try client.apply([Change(.create, a), Change(.create, b), Change(.create, plain)], in: zone, comment: nil)
        _ = try client.apply([Change(.delete, a)], in: zone, comment: nil)
        #expect(Set(owned(try client.listRecordSets(in: zone, subtree: nil), in: zone)) == [b, plain])
    }

    @Test func pagingThroughThreePagesWithAGroupOnTheBoundary() throws {
        let zone = try zone("example.com")
        // Apex NS+SOA, then r000…r296 (297), then 5 weighted r297 sets, then r298…r645: 652 sets,
        // so the first page ends inside the weighted group and needs NextRecordIdentifier.
        var sets: [RecordSet] = []
        func name(_ index: Int) -> DNSName {
            DNSName("r" + String(repeating: "0", count: 3 - String(index).count) + String(index) + ".example.com")
        }
        for index in 0..<297 { sets.append(RecordSet(name: name(index), type: .a, ttl: 60, values: ["192.0.2.1"])) }
        for member in 0..<5 {
            sets.append(RecordSet(name: name(297), type: .a, setIdentifier: "m\(member)", routing: .weighted(weight: member),
                                  ttl: 60, values: ["192.0.2.\(member + 2)"]))
        }
        for index in 298...645 { sets.append(RecordSet(name: name(index), type: .a, ttl: 60, values: ["192.0.2.1"])) }
        #expect(sets.count == 650)
        var start = 0
        while start < sets.count {
            let chunk = sets[start..<min(start + 500, sets.count)]
            _ = try client.apply(chunk.map { Change(.upsert, $0) }, in: zone, comment: nil)
            start += 500
        }
        transport.reset()
        let listed = try client.listRecordSets(in: zone, subtree: nil)
        #expect(transport.operations == ["GET", "GET", "GET"])
        #expect(listed.count == 652)
        let matches = owned(listed, in: zone) == sets  // one line of output on failure, not 650 records
        #expect(matches)
    }

    @Test func subtreeListing() throws {
        let zone = try zone("example.com")
        let names: [DNSName] = ["a.example.com", "sub.example.com", "sub-x.example.com", "*.sub.example.com",
                                "a.sub.example.com", "a-b.sub.example.com", "b.sub.example.com", "deep.b.sub.example.com",
                                "sub0.example.com", "zzz.example.com"]
        let sets = names.map { RecordSet(name: $0, type: .a, ttl: 60, values: ["192.0.2.1"]) }
        _ = try client.apply(sets.map { Change(.create, $0) }, in: zone, comment: nil)
        transport.reset()
        let subtree = try client.listRecordSets(in: zone, subtree: "sub.example.com")
        #expect(Set(subtree.map(\.name)) == ["sub.example.com", "*.sub.example.com", "a.sub.example.com",
                                              "a-b.sub.example.com", "b.sub.example.com", "deep.b.sub.example.com"])
        #expect(subtree.count == 6)
        #expect(transport.operations == ["GET"])
    }

    @Test func rejectedBatchesAndUnknownZones() throws {
        let zone = try zone("example.com")
        let set = RecordSet(name: "dup.example.com", type: .a, ttl: 60, values: ["192.0.2.1"])
        _ = try client.apply([Change(.create, set)], in: zone, comment: nil)
        #expect(throws: DNSReconcileError(.invalidChangeBatch, "")) {
            try client.apply([Change(.create, set)], in: zone, comment: nil)
        }
        #expect(throws: DNSReconcileError(.invalidChangeBatch, "")) {
            try client.apply([Change(.create, RecordSet(name: "x.example.org", type: .a, ttl: 60, values: ["192.0.2.1"]))],
                             in: zone, comment: nil)
        }
        #expect {
            try client.listRecordSets(in: HostedZone(id: "ZNOTEXIST", name: "nope.example"), subtree: nil)
        } throws: { error in
            let error = error as? DNSReconcileError
            return error?.code == .route53 && error?.cause == "NoSuchHostedZone"
        }
    }
}

/// Passes requests through and remembers their methods, to count pages.
final class CountingTransport: HTTPTransport {
    private let inner: HTTPTransport
    private(set) var operations: [String] = []

    init(_ inner: HTTPTransport) { self.inner = inner }

    func send(_ request: HTTPRequest) throws(DNSReconcileError) -> HTTPResponse {
        operations.append(request.method)
        return try inner.send(request)
    }

    func reset() { operations = [] }
}
