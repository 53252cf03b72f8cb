import DNSReconcileCore
import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCLI

@Suite struct PassTests {
    static let zone = HostedZone(id: "ZEXAMPLE", name: "example.com")
    static let otherZone = HostedZone(id: "ZOTHER", name: "example.org")

    static func endpoint(_ name: String, _ targets: [String], setIdentifier: String? = nil,
                         routing: RoutingPolicy = .simple) -> Endpoint {
        Endpoint(name: DNSName(name), type: .a, targets: targets, ttl: 60, setIdentifier: setIdentifier, routing: routing)
    }

    static func cluster(_ name: String, owner: String? = nil, provider: InMemoryProvider, sources: [EndpointSource],
                        policy: Policy = .sync, safety: SafetyLimits = SafetyLimits(),
                        filter: ZoneFilter = ZoneFilter(), account: String = "acct") -> ClusterSetup {
        let registry = TXTRegistry(ownerID: owner ?? name, managedTypes: [.a, .aaaa, .cname])
        return ClusterSetup(name: name, ownerID: owner ?? name, sources: sources,
                            planner: Planner(policy: policy, registry: registry), zoneFilter: filter,
                            safety: safety, batcher: Batcher(), provider: provider, account: account)
    }

    static func pass(_ mode: Pass.Mode = .apply, force: Bool = false, time: ManualTimeSource = ManualTimeSource(),
                     deadline: Double = 300, log: LogCapture = LogCapture()) -> Pass {
        Pass(mode: mode, force: force, deadline: time.now() + deadline, time: time, logger: log.logger())
    }

    @Test func firstPassCreatesRecordsWithCompanionsAndSecondPassChangesNothing() {
        let provider = InMemoryProvider(zones: [Self.zone])
        let source = FixedSource([Self.endpoint("app.example.com", ["203.0.113.10"], setIdentifier: "hk",
                                                routing: .latency(region: "ap-east-1")),
                                  Self.endpoint("hk.example.com", ["203.0.113.11"])])
        let log = LogCapture()
        let first = Self.pass(log: log).run([Self.cluster("rke2-hk", provider: provider, sources: [source])])
        #expect(first[0].status == .ok)
        #expect(first[0].applied[.create] == 2)
        #expect(first[0].sourceEndpoints == 2)
        let names = Set(provider.records[Self.zone.id, default: []].map { "\($0.type) \($0.name)" })
        #expect(names.contains("A app.example.com"))
        #expect(names.contains("TXT a-app.example.com"))
        #expect(names.contains("TXT a-hk.example.com"))
        #expect(log.lines.contains { $0.contains("create A app.example.com [hk]") && $0.contains("cluster=rke2-hk") })

        let callsBefore = provider.changeCalls
        let second = Self.pass().run([Self.cluster("rke2-hk", provider: provider, sources: [source])])
        #expect(second[0].status == .ok)
        #expect(second[0].planned(.create) + second[0].planned(.update) + second[0].planned(.delete) == 0)
        #expect(provider.changeCalls == callsBefore)
        #expect(second[0].registryRecords["self"] == 2)
    }

    @Test func zonesAndRecordSetsAreListedOncePerPassAcrossClusters() {
        let provider = InMemoryProvider(zones: [Self.zone, Self.otherZone])
        let hk = Self.cluster("rke2-hk", provider: provider, sources: [FixedSource([Self.endpoint("hk.example.com", ["203.0.113.1"])])])
        let sg = Self.cluster("k3s-sg", provider: provider, sources: [FixedSource([Self.endpoint("sg.example.com", ["203.0.113.2"])])])
        let reports = Self.pass().run([hk, sg])
        #expect(reports.map(\.status) == [.ok, .ok])
        #expect(provider.listZonesCalls == 1)
        #expect(provider.listRecordSetsCalls.sorted() == [Self.zone.id, Self.otherZone.id].sorted())
        // The second cluster planned against the listing updated with the first one's creates:
        // it sees hk's record as another owner's, not as missing.
        #expect(reports[1].registryRecords["other"] == 1)
    }

    @Test func separateAccountsListSeparately() {
        let a = InMemoryProvider(zones: [Self.zone])
        let b = InMemoryProvider(zones: [Self.zone])
        _ = Self.pass().run([
            Self.cluster("one", provider: a, sources: [FixedSource([])], account: "a"),
            Self.cluster("two", provider: b, sources: [FixedSource([])], account: "b"),
        ])
        #expect(a.listZonesCalls == 1 && b.listZonesCalls == 1)
    }

    @Test func sameKeyWantedByTwoClustersIsAConflictForTheSecond() {
        let provider = InMemoryProvider(zones: [Self.zone])
        let endpoint = Self.endpoint("app.example.com", ["203.0.113.1"])
        let reports = Self.pass().run([
            Self.cluster("rke2-hk", provider: provider, sources: [FixedSource([endpoint])]),
            Self.cluster("k3s-sg", provider: provider, sources: [FixedSource([endpoint])]),
        ])
        #expect(reports[0].applied[.create] == 1)
        #expect(reports[1].conflicts == 1)
        #expect(reports[1].applied[.create] == nil)
    }

    @Test func failingSourceStopsOnlyItsClusterAndDeletesNothing() {
        let provider = InMemoryProvider(zones: [Self.zone])
        _ = Self.pass().run([Self.cluster("rke2-hk", provider: provider, sources: [FixedSource([Self.endpoint("a.example.com", ["192.0.2.1"])])])])
        let before = provider.records[Self.zone.id]
        let broken = FixedSource([], error: DNSReconcileError(.source, "API server unreachable"))
        let reports = Self.pass().run([
            Self.cluster("rke2-hk", provider: provider, sources: [broken]),
            Self.cluster("k3s-sg", provider: provider, sources: [FixedSource([Self.endpoint("b.example.com", ["192.0.2.2"])])]),
        ])
        #expect(reports[0].status == .failed)
        #expect(reports[0].zones.isEmpty)
        #expect(reports[1].status == .ok)
        #expect(reports[1].applied[.create] == 1)
        let kept: Set<DNSName> = ["a.example.com", "a-a.example.com"]
        #expect(provider.records[Self.zone.id]!.filter { kept.contains($0.name) } == before!.filter { kept.contains($0.name) })
        #expect(before!.filter { kept.contains($0.name) }.count == 2)
    }

    @Test func listingFailureFailsTheCluster() {
        let provider = InMemoryProvider(zones: [Self.zone])
        provider.failListZones = DNSReconcileError(.credentials, "no credentials")
        let report = Self.pass().run([Self.cluster("x", provider: provider, sources: [FixedSource([])])])[0]
        #expect(report.status == .failed)
        #expect(report.errors.first?.code == .credentials)
    }

    /// Twelve owned records, then a source that keeps only four: 8 deletes of 12 is over 30%.
    func shrunkZone() -> (InMemoryProvider, ClusterSetup) {
        let provider = InMemoryProvider(zones: [Self.zone])
        let all = (1...12).map { Self.endpoint("r\($0).example.com", ["192.0.2.\($0)"]) }
        _ = Self.pass().run([Self.cluster("rke2-hk", provider: provider, sources: [FixedSource(all)])])
        return (provider, Self.cluster("rke2-hk", provider: provider, sources: [FixedSource(Array(all.prefix(4)))]))
    }

    @Test func planOverTheSafetyLimitsIsRefused() {
        let (provider, shrunk) = shrunkZone()
        let calls = provider.changeCalls
        let report = Self.pass().run([shrunk])[0]
        #expect(report.status == .refused)
        #expect(report.zones[0].refusal?.contains("would delete 8 of 12") == true)
        #expect(provider.changeCalls == calls)
        #expect(PassReport(version: "", startedAt: 0, clusters: [report]).exitStatus == 2)
    }

    @Test func forceAppliesAPlanOverTheSafetyLimits() {
        let (provider, shrunk) = shrunkZone()
        let report = Self.pass(force: true).run([shrunk])[0]
        #expect(report.status == .ok)
        #expect(report.applied[.delete] == 8)
        #expect(report.zones[0].forcedPast != nil)
        #expect(provider.records[Self.zone.id]!.filter { $0.type == .a }.count == 4)
    }

    @Test func upsertOnlyNeverDeletes() {
        let (provider, _) = shrunkZone()
        let cluster = Self.cluster("rke2-hk", provider: provider, sources: [FixedSource([])], policy: .upsertOnly)
        let report = Self.pass(force: true).run([cluster])[0]
        #expect(report.planned(.delete) == 0)
        #expect(provider.records[Self.zone.id]!.filter { $0.type == .a }.count == 12)
    }

    @Test func dryRunAppliesNothing() {
        let provider = InMemoryProvider(zones: [Self.zone])
        let log = LogCapture()
        let report = Self.pass(.dryRun, log: log).run([Self.cluster("c", provider: provider,
                                                                     sources: [FixedSource([Self.endpoint("a.example.com", ["192.0.2.1"])])])])[0]
        #expect(report.planned(.create) == 1)
        #expect(report.applied.isEmpty)
        #expect(provider.changeCalls == 0)
        #expect(log.lines.contains { $0.contains("would create A a.example.com") })
    }

    @Test func deadlineStopsFurtherBatches() {
        let provider = InMemoryProvider(zones: [Self.zone])
        let time = ManualTimeSource()
        // The first batch uses up the 300 s budget: it goes, the second does not.
        provider.onApply = { time.advance(by: 350) }
        var cluster = Self.cluster("c", provider: provider, sources: [FixedSource([
            Self.endpoint("a.example.com", ["192.0.2.1"]), Self.endpoint("b.example.com", ["192.0.2.2"]),
        ])])
        cluster.batcher = Batcher(maxChanges: 2)
        let report = Self.pass(time: time).run([cluster])[0]
        #expect(provider.changeCalls == 1)
        #expect(report.applied[.create] == 1)
        #expect(report.failedChanges == 1)
        #expect(report.errors.map(\.code) == [.deadline])
        #expect(report.status == .failed)
    }

    @Test func clusterStartingAfterTheDeadlineIsFailedWithoutContactingRoute53() {
        let provider = InMemoryProvider(zones: [Self.zone])
        let time = ManualTimeSource()
        let pass = Self.pass(time: time, deadline: 10)
        time.advance(by: 11)
        let report = pass.run([Self.cluster("late", provider: provider, sources: [FixedSource([])])])[0]
        #expect(report.errors.map(\.code) == [.deadline])
        #expect(provider.listZonesCalls == 0)
    }

    @Test func failedBatchIsCountedAndOtherZonesContinue() {
        let provider = InMemoryProvider(zones: [Self.zone, Self.otherZone])
        provider.failApply[Self.zone.id] = DNSReconcileError(.invalidChangeBatch, "rejected")
        let report = Self.pass().run([Self.cluster("c", provider: provider, sources: [FixedSource([
            Self.endpoint("a.example.com", ["192.0.2.1"]), Self.endpoint("a.example.org", ["192.0.2.2"]),
        ])])])[0]
        #expect(report.failedChanges == 1)
        #expect(report.applied[.create] == 1)
        #expect(report.status == .failed)
    }

    @Test func invalidEndpointsAreCountedAndTheirNamesHeld() {
        let provider = InMemoryProvider(zones: [Self.zone])
        _ = Self.pass().run([Self.cluster("c", provider: provider, sources: [FixedSource([Self.endpoint("a.example.com", ["192.0.2.1"])])])])
        let invalid = InvalidEndpoint(names: ["a.example.com"], message: "ttl \"abc\" is not a duration",
                                      location: SourceLocation(file: "c.ini", line: 7))
        let report = Self.pass().run([Self.cluster("c", provider: provider, sources: [FixedSource([], invalid: [invalid])])])[0]
        #expect(report.invalidEndpoints.count == 1)
        #expect(report.planned(.delete) == 0)
        #expect(provider.records[Self.zone.id]!.contains { $0.name == "a.example.com" && $0.type == .a })
    }

    @Test func endpointsOutsideEveryZoneAreReportedUnassigned() {
        let provider = InMemoryProvider(zones: [Self.zone])
        let report = Self.pass().run([Self.cluster("c", provider: provider, sources: [FixedSource([
            Self.endpoint("a.example.net", ["192.0.2.1"]),
        ])])])[0]
        #expect(report.unassigned.map(\.name) == ["a.example.net"])
        #expect(report.status == .ok)
    }

    @Test func zoneTagsAreFetchedOnlyWhenAFilterNeedsThem() {
        let provider = InMemoryProvider(zones: [Self.zone, Self.otherZone])
        provider.tags = [Self.zone.id: ["team": "dns"]]
        _ = Self.pass().run([Self.cluster("plain", provider: provider, sources: [FixedSource([])])])
        #expect(provider.zoneTagCalls == 0)
        let report = Self.pass().run([Self.cluster("tagged", provider: provider, sources: [FixedSource([])],
                                                   filter: ZoneFilter(zoneTags: ["team=dns"]))])[0]
        #expect(provider.zoneTagCalls == 1)
        #expect(report.zones.map(\.plan.zone.id) == [Self.zone.id])
    }
}
