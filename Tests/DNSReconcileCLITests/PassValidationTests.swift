import DNSReconcileCore
import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCLI

/// A registry that keeps some names from the planner, as a planner rule that is missing would:
/// then only the check of each batch before it is sent stands between the plan and Route53.
private struct BlindRegistry: Registry {
    var base: TXTRegistry
    var hidden: Set<DNSName>

    func inventory(of recordSets: [RecordSet], in zone: HostedZone) -> ZoneInventory {
        base.inventory(of: recordSets.filter { !hidden.contains($0.name) }, in: zone)
    }

    func companion(for record: RecordSet, resource: String?, existing: OwnedRecordSet?,
                   inventory: ZoneInventory) throws(DNSReconcileError) -> RecordSet? {
        try base.companion(for: record, resource: resource, existing: existing, inventory: inventory)
    }

    func companionNames(for name: DNSName, type: RecordType) -> [DNSName] { base.companionNames(for: name, type: type) }
    var ownerName: String? { base.ownerName }
}

/// Batches are checked against Route53's rules before they are sent (the emulator, and the
/// in-memory provider here, would take them): a group Route53 would refuse is not sent and
/// counts as failed with the reason; the rest of the batch goes.
@Suite struct PassValidationTests {
    static let zone = HostedZone(id: "ZEXAMPLE", name: "example.com")

    static func cluster(_ name: String, provider: InMemoryProvider, endpoints: [Endpoint], hidden: Set<DNSName> = [],
                        batcher: Batcher = Batcher()) -> ClusterSetup {
        let registry = BlindRegistry(base: TXTRegistry(ownerID: name, managedTypes: [.a, .aaaa, .cname]), hidden: hidden)
        return ClusterSetup(name: name, ownerID: name, sources: [FixedSource(endpoints)],
                            planner: Planner(policy: .sync, registry: registry), zoneFilter: ZoneFilter(),
                            safety: SafetyLimits(), batcher: batcher, provider: provider, account: "acct")
    }

    static func a(_ name: String, _ ip: String = "203.0.113.10") -> Endpoint {
        Endpoint(name: DNSName(name), type: .a, targets: [ip], ttl: 60)
    }

    static func pass(log: LogCapture = LogCapture()) -> Pass {
        let time = ManualTimeSource()
        return Pass(mode: .apply, force: false, deadline: time.now() + 300, time: time, logger: log.logger())
    }

    /// Every name the provider was asked to change, rejected requests included.
    static func sentNames(_ provider: InMemoryProvider) -> Set<DNSName> {
        Set(provider.attempts.flatMap { $0.map(\.recordSet.name) })
    }

    @Test func oneBadGroupIsNotSentAndTheOthersAre() {
        // A CNAME written by hand at bad.example.com; the planner is not shown it.
        let handWritten = RecordSet(name: "bad.example.com", type: .cname, ttl: 300, values: ["elsewhere.example.net"])
        let provider = InMemoryProvider(zones: [Self.zone], records: [Self.zone.id: [handWritten]])
        let log = LogCapture()
        let report = Self.pass(log: log).run([Self.cluster(
            "rke2", provider: provider,
            endpoints: [Self.a("one.example.com"), Self.a("bad.example.com"), Self.a("two.example.com")],
            hidden: ["bad.example.com"])])[0]

        #expect(report.applied[.create] == 2)
        #expect(report.failedChanges == 1)
        #expect(report.status == .failed)
        #expect(report.errors.map(\.code) == [.invalidChangeBatch])
        #expect(report.errors.first?.message.contains("RRSet of type CNAME with DNS name bad.example.com. is not permitted") == true)
        // Nothing of the bad group reached the provider, the good ones did, in one request.
        #expect(!Self.sentNames(provider).contains("bad.example.com"))
        #expect(!Self.sentNames(provider).contains("a-bad.example.com"))
        #expect(provider.attempts.count == 1)
        let names = Set(provider.records[Self.zone.id, default: []].map { "\($0.type) \($0.name)" })
        #expect(names == ["CNAME bad.example.com", "A one.example.com", "TXT a-one.example.com",
                          "A two.example.com", "TXT a-two.example.com"])
        #expect(log.lines.contains { $0.contains("not sent, Route53 would reject it: create A bad.example.com")
                                     && $0.contains("conflicting RRSet of type A") })
    }

    @Test func theCheckFollowsEveryBatchAppliedBefore() {
        // Batches of 4 changes (two names each): later batches are judged against the zone moved
        // on by the earlier ones, without refusing anything that is fine.
        let provider = InMemoryProvider(zones: [Self.zone])
        let names = (1...9).map { "h\($0).example.com" }
        let create = Self.pass().run([Self.cluster("rke2", provider: provider, endpoints: names.map { Self.a($0) },
                                                   batcher: Batcher(maxChanges: 4))])[0]
        #expect(create.status == .ok)
        #expect(create.applied[.create] == 9)
        #expect(provider.changeCalls == 5)

        let replace = Self.pass().run([Self.cluster(
            "rke2", provider: provider,
            endpoints: names.map { Endpoint(name: DNSName($0), type: .cname, targets: ["lb.example.net"], ttl: 60) },
            batcher: Batcher(maxChanges: 4))])[0]
        #expect(replace.status == .ok, "\(replace.errors)")
        #expect(replace.failedChanges == 0)
        #expect(provider.records[Self.zone.id, default: []].filter { $0.type == .cname }.count == 9)
        #expect(provider.records[Self.zone.id, default: []].filter { $0.type == .a }.isEmpty)
    }

    @Test func anEarlierClusterOfThePassIsSeen() {
        // k3s writes a CNAME; rke2, planning after it in the same pass and blind to that name,
        // would put an A beside it: the check, on the listing k3s's batch moved on, refuses it.
        let provider = InMemoryProvider(zones: [Self.zone])
        let k3s = Self.cluster("k3s", provider: provider,
                               endpoints: [Endpoint(name: "shared.example.com", type: .cname, targets: ["lb.example.net"], ttl: 60)])
        let rke2 = Self.cluster("rke2", provider: provider,
                                endpoints: [Self.a("shared.example.com"), Self.a("own.example.com")],
                                hidden: ["shared.example.com"])
        let reports = Self.pass().run([k3s, rke2])
        #expect(reports[0].status == .ok)
        #expect(reports[1].failedChanges == 1)
        #expect(reports[1].applied[.create] == 1)
        let shared = provider.records[Self.zone.id, default: []].filter { $0.name == "shared.example.com" }
        #expect(shared.map(\.type) == [.cname])
        #expect(provider.listRecordSetsCalls.count == 1)
    }
}
