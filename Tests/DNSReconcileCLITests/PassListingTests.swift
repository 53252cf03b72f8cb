import DNSReconcileCore
import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCLI

/// What a pass reads of a zone: only the subtrees the clusters' domain filters cover, the
/// ownership records of each subtree's own name (which sit beside it), one reading per zone for
/// every cluster that uses it, and no change batch when nothing changed.
@Suite struct PassListingTests {
    static let zone = HostedZone(id: "ZEXAMPLE", name: "example.com")

    static func cluster(_ name: String, provider: InMemoryProvider, endpoints: [Endpoint], filter: [String],
                        account: String = "acct") -> ClusterSetup {
        let registry = TXTRegistry(ownerID: name, managedTypes: [.a, .aaaa, .cname])
        return ClusterSetup(name: name, ownerID: name, sources: [FixedSource(endpoints)],
                            planner: Planner(policy: .sync, registry: registry, domainFilter: DomainFilter(filter)),
                            zoneFilter: ZoneFilter(domainFilter: filter), safety: SafetyLimits(minExistingRecords: 1000),
                            batcher: Batcher(), provider: provider, account: account)
    }

    static func endpoint(_ name: String, _ target: String = "203.0.113.10") -> Endpoint {
        Endpoint(name: DNSName(name), type: .a, targets: [target], ttl: 60)
    }

    static func pass() -> Pass {
        let time = ManualTimeSource()
        return Pass(mode: .apply, force: false, deadline: time.now() + 300, time: time, logger: LogCapture().logger())
    }

    /// Record sets outside the subtree, and a sibling that sorts inside the subtree's run.
    static let foreign: [RecordSet] = [
        RecordSet(name: "example.com", type: .a, ttl: 60, values: ["192.0.2.1"]),
        RecordSet(name: "other.example.com", type: .a, ttl: 60, values: ["192.0.2.2"]),
        RecordSet(name: "app-x.example.com", type: .a, ttl: 60, values: ["192.0.2.3"]),
    ]

    @Test func aSubtreeFilterReadsTheSubtreeAndTheCompanionsOfItsOwnName() throws {
        let provider = InMemoryProvider(zones: [Self.zone], records: [Self.zone.id: Self.foreign])
        let desired = [Self.endpoint("app.example.com"), Self.endpoint("x.app.example.com")]
        let first = Self.pass().run([Self.cluster("edge", provider: provider, endpoints: desired, filter: ["app.example.com"])])
        #expect(first[0].status == .ok)
        #expect(first[0].applied[.create] == 2)
        // The subtree, then the two names where an A record's companion can live beside it
        // (typed and legacy `cname-`); the untyped legacy name is the root itself, inside.
        #expect(provider.listedSubtrees == ["app.example.com", "a-app.example.com", "cname-app.example.com"])
        let names = Set(provider.records[Self.zone.id, default: []].map(\.name))
        #expect(names.isSuperset(of: ["app.example.com", "a-app.example.com", "x.app.example.com", "a-x.app.example.com"]))

        // Nothing changed: the companion beside the subtree was found, so no create, no update.
        let again = Self.pass().run([Self.cluster("edge", provider: provider, endpoints: desired, filter: ["app.example.com"])])
        #expect(again[0].status == .ok)
        #expect(again[0].zones.allSatisfy { $0.plan.changes.isEmpty })
        #expect(provider.changeCalls == 1)
        #expect(again[0].registryRecords["self"] == 2)
        // Records outside the filter were never part of the cluster's view.
        #expect(again[0].registryRecords["none"] == nil)

        // The root's record goes away with its companion, which lies outside the subtree.
        let shrunk = Self.pass().run([Self.cluster("edge", provider: provider, endpoints: [desired[1]], filter: ["app.example.com"])])
        #expect(shrunk[0].applied[.delete] == 1)
        let left = Set(provider.records[Self.zone.id, default: []].map(\.name))
        #expect(!left.contains("app.example.com"))
        #expect(!left.contains("a-app.example.com"))
        #expect(left.isSuperset(of: Set(Self.foreign.map(\.name))))
    }

    @Test func clustersUsingOneZoneShareOneReading() {
        let provider = InMemoryProvider(zones: [Self.zone], records: [Self.zone.id: Self.foreign])
        let web = Self.cluster("web", provider: provider, endpoints: [Self.endpoint("a.web.example.com")], filter: ["web.example.com"])
        let api = Self.cluster("api", provider: provider, endpoints: [Self.endpoint("a.api.example.com")], filter: ["api.example.com"])
        let reports = Self.pass().run([web, api])
        #expect(reports.map(\.status) == [.ok, .ok])
        // The first cluster reads both subtrees; neither root has records, so no companion names.
        #expect(provider.listedSubtrees == ["api.example.com", "web.example.com"])
        #expect(provider.listZonesCalls == 1)
        #expect(reports.map { $0.applied[.create] } == [1, 1])
    }

    @Test func oneClusterNeedingTheWholeZoneMakesItOneWholeReading() {
        let provider = InMemoryProvider(zones: [Self.zone], records: [Self.zone.id: Self.foreign])
        let web = Self.cluster("web", provider: provider, endpoints: [Self.endpoint("web.example.com")], filter: ["web.example.com"])
        let all = Self.cluster("all", provider: provider, endpoints: [Self.endpoint("b.example.com")], filter: [])
        let reports = Self.pass().run([web, all])
        #expect(reports.map(\.status) == [.ok, .ok])
        #expect(provider.listedSubtrees == [nil])
        // Each cluster still sees only its own scope: `web` none of the foreign sets.
        #expect(reports[0].registryRecords["none"] == nil)
        #expect(reports[1].registryRecords["none"] == Self.foreign.count)
    }

    @Test func aLaterClusterNeedingMoreReadsOnlyWhatIsMissing() {
        // Not run together (no shared first reading): the second pass object reads on top.
        let provider = InMemoryProvider(zones: [Self.zone], records: [Self.zone.id: Self.foreign])
        let pass = Self.pass()
        _ = pass.run(Self.cluster("web", provider: provider, endpoints: [], filter: ["web.example.com"]))
        _ = pass.run(Self.cluster("app", provider: provider, endpoints: [Self.endpoint("app.example.com")],
                                  filter: ["app.example.com"]))
        _ = pass.run(Self.cluster("web2", provider: provider, endpoints: [], filter: ["web.example.com"]))
        #expect(provider.listedSubtrees == ["web.example.com", "app.example.com", "a-app.example.com", "cname-app.example.com"])
    }

    @Test func aNoOpPassListsOnceAndSendsNoBatch() {
        let provider = InMemoryProvider(zones: [Self.zone, HostedZone(id: "ZOTHER", name: "example.org")],
                                        records: [Self.zone.id: Self.foreign])
        let desired = (0..<50).map { Self.endpoint("h\($0).example.com", "198.51.100.\($0)") }
        _ = Self.pass().run([Self.cluster("c", provider: provider, endpoints: desired, filter: ["example.com"])])
        let batches = provider.changeCalls
        let listings = provider.listRecordSetsCalls.count
        let report = Self.pass().run([Self.cluster("c", provider: provider, endpoints: desired, filter: ["example.com"])])
        #expect(report[0].status == .ok)
        #expect(provider.changeCalls == batches)
        #expect(provider.listRecordSetsCalls.count == listings + 1)
        #expect(provider.listZonesCalls == 2)
        #expect(provider.zoneTagCalls == 0)
    }
}
