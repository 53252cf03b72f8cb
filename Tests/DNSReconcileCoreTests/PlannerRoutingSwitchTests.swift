import Testing
import DNSReconcileCore

/// Two owners moving a shared name to another routing policy: each one's switch is blocked by
/// the other's old sets, so the planner marks the conflict as a routing switch, and with
/// `Planner.yielding` deletes the old sets first and leaves the name to the other owner.
@Suite struct PlannerRoutingSwitchTests {
    private typealias F = RoutingFixture
    static let app = "app.example.com"
    static let key = RecordKey(name: DNSName(app), type: .a, setIdentifier: nil)

    static func hk(_ routing: RoutingPolicy) -> Endpoint {
        F.endpoint(app, .a, ["203.0.113.10"], set: "hk", routing: routing, healthCheckID: "hc-hk", resource: "service/web/app")
    }

    static func sg(_ routing: RoutingPolicy) -> Endpoint {
        F.endpoint(app, .a, ["198.51.100.20"], set: "sg", routing: routing, resource: "service/web/app")
    }

    static func latencyZone() -> RoutingFixture {
        var zone = RoutingFixture()
        zone.pass("rke2", [hk(.latency(region: "ap-east-1"))])
        zone.pass("k3s", [sg(.latency(region: "ap-southeast-1"))])
        return zone
    }

    func plan(_ zone: RoutingFixture, _ owner: String, _ desired: [Endpoint], yielding: Set<RecordKey>) -> ZonePlan {
        var planner = F.planner(owner)
        planner.yielding = yielding
        return planner.plan(desired: desired, held: [], inventory: F.registry(owner).inventory(of: zone.sets, in: zone.zone))
    }

    @Test func blockedSwitchNamesTheWantedPolicyAndTheBlockingOwner() {
        let zone = Self.latencyZone()
        let blocked = plan(zone, "rke2", [Self.hk(.failover(.primary))], yielding: [])
        #expect(blocked.changes.isEmpty)
        #expect(blocked.notices.map(\.kind) == [.conflict])
        #expect(blocked.notices.first?.routingSwitch == PlanNotice.RoutingSwitch(wanted: "failover", blockedBy: ["k3s"]))
    }

    @Test func yieldingDeletesFirstThenTheOtherSwitchesThenTheFirstCreates() {
        var zone = Self.latencyZone()
        let first = plan(zone, "rke2", [Self.hk(.failover(.primary))], yielding: [Self.key])
        #expect(F.render(first) == ["DELETE app.example.com A [hk]", "DELETE a-app.example.com TXT [hk]"])
        #expect(first.changes.first?.reason?.contains("k3s still has latency sets here: deleted first") == true)
        let appliedFirst = zone.apply(first)
        #expect(appliedFirst)
        #expect(zone.records(at: DNSName(Self.app)) == ["A [sg] latency"])

        let second = plan(zone, "k3s", [Self.sg(.failover(.secondary))], yielding: [])
        #expect(second.notices.isEmpty)
        #expect(F.render(second) == ["DELETE app.example.com A [sg]", "DELETE a-app.example.com TXT [sg]",
                                     "CREATE app.example.com A [sg]", "CREATE a-app.example.com TXT [sg]"])
        let appliedSecond = zone.apply(second)
        #expect(appliedSecond)

        let third = plan(zone, "rke2", [Self.hk(.failover(.primary))], yielding: [])
        #expect(F.render(third) == ["CREATE app.example.com A [hk]", "CREATE a-app.example.com TXT [hk]"])
        let appliedThird = zone.apply(third)
        #expect(appliedThird)
        #expect(zone.records(at: DNSName(Self.app)) == ["A [hk] failover", "A [sg] failover"])
        #expect(plan(zone, "rke2", [Self.hk(.failover(.primary))], yielding: []).changes.isEmpty)
        #expect(plan(zone, "k3s", [Self.sg(.failover(.secondary))], yielding: []).changes.isEmpty)
    }

    @Test func yieldingNeverDeletesWhenSomethingElseBlocks() {
        // k3s holds the same set identifier: that is a claim, not a policy switch.
        var zone = RoutingFixture()
        zone.pass("rke2", [Self.hk(.latency(region: "ap-east-1"))])
        zone.pass("k3s", [F.endpoint(Self.app, .a, ["198.51.100.20"], set: "sg", routing: .latency(region: "ap-southeast-1")),
                          F.endpoint("other.example.com", .a, ["198.51.100.21"])])
        let unmanaged = RecordSet(name: DNSName(Self.app), type: .a, setIdentifier: "manual",
                                  routing: .latency(region: "us-east-1"), ttl: 60, values: ["192.0.2.9"])
        zone.sets.append(unmanaged)
        let blocked = plan(zone, "rke2", [Self.hk(.failover(.primary))], yielding: [Self.key])
        #expect(blocked.changes.isEmpty, "\(F.render(blocked))")
        #expect(blocked.notices.map(\.kind) == [.conflict])
        #expect(blocked.notices.first?.routingSwitch == nil)
    }

    @Test func yieldingAppliesOnlyToTheNamesGiven() {
        let zone = Self.latencyZone()
        let elsewhere = RecordKey(name: DNSName("www.example.com"), type: .a, setIdentifier: nil)
        let other = plan(zone, "rke2", [Self.hk(.failover(.primary))], yielding: [elsewhere])
        #expect(other.changes.isEmpty)
        let aaaa = RecordKey(name: DNSName(Self.app), type: .aaaa, setIdentifier: nil)
        #expect(plan(zone, "rke2", [Self.hk(.failover(.primary))], yielding: [aaaa]).changes.isEmpty)
    }
}
