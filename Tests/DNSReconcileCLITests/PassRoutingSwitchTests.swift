import DNSReconcileCore
import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCLI

/// Clusters of one pass that move a shared name to another routing policy together: Route53
/// holds one policy per name and type, so the pass orders it (the first deletes, the last
/// switches, the first creates); clusters that disagree stay conflicts and nothing is deleted.
@Suite struct PassRoutingSwitchTests {
    static let zone = HostedZone(id: "ZEXAMPLE", name: "example.com")

    static func endpoint(_ set: String, _ ip: String, _ routing: RoutingPolicy) -> Endpoint {
        Endpoint(name: "app.example.com", type: .a, targets: [ip], ttl: 60, setIdentifier: set, routing: routing,
                 healthCheckID: set == "hk" ? "hc-hk" : nil)
    }

    static func cluster(_ name: String, _ provider: InMemoryProvider, _ endpoints: [Endpoint]) -> ClusterSetup {
        ClusterSetup(name: name, ownerID: name, sources: [FixedSource(endpoints)],
                     planner: Planner(policy: .sync, registry: TXTRegistry(ownerID: name, managedTypes: [.a, .aaaa, .cname])),
                     zoneFilter: ZoneFilter(), safety: SafetyLimits(minExistingRecords: 100), batcher: Batcher(),
                     provider: provider, account: "acct")
    }

    static func pass(_ mode: Pass.Mode = .apply, log: LogCapture = LogCapture()) -> Pass {
        let time = ManualTimeSource()
        return Pass(mode: mode, force: false, deadline: time.now() + 300, time: time, logger: log.logger())
    }

    /// The routing of each `app` set in the provider, as `set:kind`.
    static func routing(_ provider: InMemoryProvider) -> [String] {
        (provider.records[zone.id] ?? []).filter { $0.name == DNSName("app.example.com") && $0.type == .a }
            .map { "\($0.setIdentifier ?? "-"):\($0.routing.kind)" }.sorted()
    }

    static func latencyProvider() -> InMemoryProvider {
        let provider = InMemoryProvider(zones: [zone])
        _ = pass().run([cluster("k3s-sg", provider, [endpoint("sg", "198.51.100.20", .latency(region: "ap-southeast-1"))]),
                        cluster("rke2-hk", provider, [endpoint("hk", "203.0.113.10", .latency(region: "ap-east-1"))])])
        return provider
    }

    @Test func bothClustersSwitchInOnePassWithoutAMixedBatch() {
        let provider = Self.latencyProvider()
        #expect(Self.routing(provider) == ["hk:latency", "sg:latency"])
        let before = provider.applied.count
        let log = LogCapture()
        let reports = Self.pass(log: log).run([
            Self.cluster("k3s-sg", provider, [Self.endpoint("sg", "198.51.100.20", .failover(.secondary))]),
            Self.cluster("rke2-hk", provider, [Self.endpoint("hk", "203.0.113.10", .failover(.primary))]),
        ])
        #expect(Self.routing(provider) == ["hk:failover", "sg:failover"])
        #expect(reports.map(\.status) == [.ok, .ok])
        #expect(reports.map(\.conflicts) == [0, 0])
        #expect(reports[0].applied[.delete] == 1 && reports[0].applied[.create] == 1)
        #expect(reports[1].applied[.update] == 1)
        // Three batches, and none of them leaves two policies at the name.
        let batches = provider.applied[before...].map { $0.changes.map { "\($0.action.rawValue) \($0.recordSet.type) \($0.recordSet.setIdentifier ?? "-")" } }
        #expect(batches == [["DELETE A sg", "DELETE TXT sg"],
                            ["DELETE A hk", "DELETE TXT hk", "CREATE A hk", "CREATE TXT hk"],
                            ["CREATE A sg", "CREATE TXT sg"]])
        #expect(log.lines.contains { $0.contains("switch to failover routing together") })
        // Settled: the next pass changes nothing.
        let count = provider.applied.count
        let again = Self.pass().run([
            Self.cluster("k3s-sg", provider, [Self.endpoint("sg", "198.51.100.20", .failover(.secondary))]),
            Self.cluster("rke2-hk", provider, [Self.endpoint("hk", "203.0.113.10", .failover(.primary))]),
        ])
        #expect(provider.applied.count == count)
        #expect(again.map(\.conflicts) == [0, 0])
    }

    @Test func clustersWantingDifferentPoliciesStayConflictsAndKeepTheirSets() {
        let provider = Self.latencyProvider()
        let before = provider.applied.count
        for _ in 0..<2 {
            let reports = Self.pass().run([
                Self.cluster("k3s-sg", provider, [Self.endpoint("sg", "198.51.100.20", .weighted(weight: 20))]),
                Self.cluster("rke2-hk", provider, [Self.endpoint("hk", "203.0.113.10", .failover(.primary))]),
            ])
            #expect(reports.map(\.conflicts) == [1, 1])
        }
        #expect(provider.applied.count == before)
        #expect(Self.routing(provider) == ["hk:latency", "sg:latency"])
    }

    @Test func aLoneSwitchWaitsForTheOtherOwner() {
        // Only rke2 is in this pass: k3s's latency set stays, and so does rke2's.
        let provider = Self.latencyProvider()
        let before = provider.applied.count
        let reports = Self.pass().run([
            Self.cluster("rke2-hk", provider, [Self.endpoint("hk", "203.0.113.10", .failover(.primary))]),
        ])
        #expect(reports[0].conflicts == 1)
        #expect(provider.applied.count == before)
        #expect(Self.routing(provider) == ["hk:latency", "sg:latency"])
    }

    @Test func aSwitchCutShortIsFinishedByTheNextPass() {
        // An earlier pass stopped after k3s-sg had deleted its latency set: rke2-hk switches
        // first in this pass, and k3s-sg, which planned before it, plans once more and creates.
        let provider = Self.latencyProvider()
        provider.records[Self.zone.id]?.removeAll { $0.setIdentifier == "sg" }
        let reports = Self.pass().run([
            Self.cluster("k3s-sg", provider, [Self.endpoint("sg", "198.51.100.20", .failover(.secondary))]),
            Self.cluster("rke2-hk", provider, [Self.endpoint("hk", "203.0.113.10", .failover(.primary))]),
        ])
        #expect(Self.routing(provider) == ["hk:failover", "sg:failover"])
        #expect(reports.map(\.conflicts) == [0, 0])
        #expect(reports[0].applied[.create] == 1)
    }

    @Test func planModeChangesNothing() {
        let provider = Self.latencyProvider()
        let before = provider.applied.count
        _ = Self.pass(.plan).run([
            Self.cluster("k3s-sg", provider, [Self.endpoint("sg", "198.51.100.20", .failover(.secondary))]),
            Self.cluster("rke2-hk", provider, [Self.endpoint("hk", "203.0.113.10", .failover(.primary))]),
        ])
        #expect(provider.applied.count == before)
    }
}
