import DNSReconcileCore
import DNSReconcileHTTP
import DNSReconcileRoute53
import DNSReconcileTestSupport
import Testing

/// Route53Client over libcurl, through `FaultProxy` (which keeps client connections alive and
/// counts them) to moto: a pass's requests, batches included, share one connection, and a batch
/// is never applied twice when that connection dies under it.
@Suite("Route53Client: one kept-alive connection, batches included", .serialized)
final class Route53ConnectionReuseTests {
    nonisolated(unsafe) private static let server = Result { () throws(DNSReconcileError) -> MotoServer in try MotoServer() }

    let moto: MotoServer
    let proxy: FaultProxy
    let transport: CurlTransport
    let observer = RecordingObserver()
    let client: Route53Client
    let zone: HostedZone

    init() throws {
        moto = try Self.server.get()
        try moto.reset()
        proxy = try FaultProxy(upstream: moto.endpoint)
        transport = try CurlTransport()
        let time = SystemTimeSource()
        client = Route53Client(
            endpoint: proxy.endpoint, transport: transport,
            signer: SigV4Signer(credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            limiter: TokenBucket(ratePerSecond: 10_000, burst: 10_000, time: time), time: time, maxRetries: 2,
            observer: observer, jitter: { 0 })
        zone = HostedZone(id: try moto.createZone(name: "reuse.example."), name: "reuse.example")
    }

    deinit { proxy.stop() }

    static let record = RecordSet(name: "app.reuse.example", type: .a, ttl: 60, values: ["192.0.2.1"])
    static let companion = RecordSet(name: "a-app.reuse.example", type: .txt, ttl: 300,
                                     values: ["\"heritage=external-dns,external-dns/owner=me\""])

    /// The zone's record sets without moto's apex NS and SOA, as `name type` → values.
    func listed() throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for set in try moto.listRecordSetsDirectly(zone) where !(set.name == zone.name && (set.type == .ns || set.type == .soa)) {
            #expect(result["\(set.name.value) \(set.type)"] == nil, "\(set.key) listed twice")
            result["\(set.name.value) \(set.type)"] = set.values
        }
        return result
    }

    @Test func aPassOfSeveralBatchesUsesOneConnection() throws {
        _ = try client.listZones()
        _ = try client.listRecordSets(in: zone, subtree: nil)
        _ = try client.apply([Change(.create, Self.record), Change(.create, Self.companion)], in: zone, comment: nil)
        var updated = Self.record
        updated.values = ["192.0.2.2"]
        _ = try client.apply([Change(.upsert, updated)], in: zone, comment: nil)
        let other = RecordSet(name: "b.reuse.example", type: .a, ttl: 60, values: ["192.0.2.3"])
        _ = try client.apply([Change(.create, other)], in: zone, comment: nil)
        _ = try client.apply([Change(.delete, other)], in: zone, comment: nil)
        _ = try client.listRecordSets(in: zone, subtree: nil)

        #expect(try proxy.calls() == ["list-zones", "list-records", "change", "change", "change", "change", "list-records"])
        #expect(try proxy.connections() == 1)
        #expect(transport.connectionsOpened == 1)
        #expect(!observer.requests.contains { $0.hasSuffix(" transport") }, "\(observer.requests)")
        #expect(try listed() == ["app.reuse.example A": ["192.0.2.2"],
                                 "a-app.reuse.example TXT": ["\"heritage=external-dns,external-dns/owner=me\""]])
    }

    /// The server closed the kept-alive connection after the listing (an idle timeout): the batch
    /// goes out once, on a new connection.
    @Test func aBatchAfterTheConnectionWasClosedIsSentOnce() throws {
        try proxy.set([FaultProxy.Rule(phase: "list-records", fault: "close-after-answer")])
        _ = try client.listRecordSets(in: zone, subtree: nil)
        _ = try client.apply([Change(.create, Self.record), Change(.create, Self.companion)], in: zone, comment: nil)

        #expect(try proxy.injected() == ["list-records close-after-answer"])
        #expect(try proxy.calls() == ["list-records", "change"])
        #expect(try proxy.connections() == 2)
        #expect(observer.notices.isEmpty)
        #expect(try listed().count == 2)
    }

    /// Route53 applied the batch and the connection died before the answer; libcurl sent the
    /// batch again on a new connection, and Route53 refused the duplicate CREATEs. The client reads
    /// the names, finds the batch applied, and reports success: applied once, not twice, not
    /// failed. (moto accepts a duplicate DELETE where Route53 refuses it "not found"; that refusal
    /// is covered with recorded answers in Route53ClientLostAnswerTests.)
    @Test func aDuplicateOfAnAppliedBatchIsVerifiedNotAppliedTwice() throws {
        _ = try client.listZones()
        try proxy.set([FaultProxy.Rule(phase: "change", fault: "drop-after-forward")])

        _ = try client.apply([Change(.create, Self.record), Change(.create, Self.companion)], in: zone, comment: nil)

        #expect(try proxy.injected() == ["change drop-after-forward"])
        // Both copies reached Route53; then one listing per name of the batch checked it.
        #expect(try proxy.calls() == ["change", "change", "list-records", "list-records"])
        #expect(try proxy.connections() == 2)
        #expect(observer.notices.count == 1)
        #expect(observer.notices.first?.contains("shows the batch applied, so it is not resent") == true, "\(observer.notices)")
        #expect(observer.requests.suffix(4) == ["ChangeResourceRecordSets transport", "ChangeResourceRecordSets InvalidChangeBatch",
                                                "ListResourceRecordSets 200", "ListResourceRecordSets 200"])
        #expect(try listed() == ["app.reuse.example A": ["192.0.2.1"],
                                 "a-app.reuse.example TXT": ["\"heritage=external-dns,external-dns/owner=me\""]])
    }

    /// The connection died before Route53 read the batch: libcurl's second copy is the only one
    /// applied, and its answer is taken as it is.
    @Test func aCopyThatNeverArrivedIsSentAgainAndAnswered() throws {
        _ = try client.listZones()
        try proxy.set([FaultProxy.Rule(phase: "change", fault: "drop")])

        let info = try client.apply([Change(.create, Self.record), Change(.create, Self.companion)], in: zone, comment: nil)

        #expect(!info.id.isEmpty)
        #expect(try proxy.calls() == ["change", "change"])
        #expect(observer.notices.isEmpty)
        #expect(observer.requests.suffix(2) == ["ChangeResourceRecordSets transport", "ChangeResourceRecordSets 200"])
        #expect(try listed().count == 2)
    }
}

extension MotoServer {
    /// Every record set of `zone`, read from moto without the proxy or the client under test.
    func listRecordSetsDirectly(_ zone: HostedZone) throws(DNSReconcileError) -> [RecordSet] {
        let time = SystemTimeSource()
        let direct = Route53Client(
            endpoint: endpoint, transport: try CurlTransport(),
            signer: SigV4Signer(credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            limiter: TokenBucket(ratePerSecond: 10_000, burst: 10_000, time: time), time: time, maxRetries: 0)
        return try direct.listRecordSets(in: zone, subtree: nil)
    }
}
