import Testing
import DNSReconcileCore

/// Several clusters (owner ids) writing one name: each changes only its own set identifiers; a
/// claim on another owner's record set, or a routing policy that clashes with another owner's,
/// is a conflict notice naming both owners, never a write, and stays so pass after pass.
@Suite struct PlannerCrossClusterTests {
    private typealias F = RoutingFixture
    static let app = "app.example.com"

    static func hk(_ routing: RoutingPolicy = .latency(region: "ap-east-1"), set: String = "hk") -> Endpoint {
        F.endpoint(app, .a, ["203.0.113.10"], set: set, routing: routing, resource: "service/web/app")
    }

    static func sg(_ routing: RoutingPolicy = .latency(region: "ap-southeast-1"), set: String = "sg") -> Endpoint {
        F.endpoint(app, .a, ["203.0.113.20"], set: set, routing: routing, resource: "service/web/app")
    }

    @Test func twoOwnersShareANameByTheirOwnSetIdentifiers() {
        var zone = RoutingFixture()
        #expect(zone.pass("rke2", [Self.hk()]).changes.count == 1)
        #expect(zone.pass("k3s", [Self.sg()]).changes.count == 1)
        #expect(zone.records(at: DNSName(Self.app)) == ["A [hk] latency", "A [sg] latency"])
        for _ in 0..<3 {
            #expect(zone.pass("rke2", [Self.hk()]).changes.isEmpty)
            #expect(zone.pass("k3s", [Self.sg()]).changes.isEmpty)
        }
        // Each changes only its own: k3s moves its region, then drops its set; rke2's stays.
        let move = zone.pass("k3s", [Self.sg(.latency(region: "ap-southeast-2"))])
        #expect(RoutingFixture.render(move) == ["UPSERT app.example.com A [sg]", "UPSERT a-app.example.com TXT [sg]"])
        let drop = zone.pass("k3s", [])
        #expect(RoutingFixture.render(drop) == ["DELETE app.example.com A [sg]", "DELETE a-app.example.com TXT [sg]"])
        #expect(zone.records(at: DNSName(Self.app)) == ["A [hk] latency"])
        // rke2 never deletes what k3s owns, even with nothing desired.
        zone.pass("k3s", [Self.sg()])
        let empty = zone.plan("rke2", [])
        #expect(RoutingFixture.render(empty) == ["DELETE app.example.com A [hk]", "DELETE a-app.example.com TXT [hk]"])
    }

    struct Claim: Sendable, CustomTestStringConvertible {
        var id: String
        var first: [Endpoint]
        var second: [Endpoint]
        /// Fragments of the one conflict notice the second owner gets.
        var message: [String]
        var testDescription: String { id }
    }

    static let claims: [Claim] = [
        Claim(id: "same-simple-record", first: [F.endpoint(app, .a, ["203.0.113.10"])],
              second: [F.endpoint(app, .a, ["203.0.113.20"])],
              message: ["app.example.com. A is owned by rke2", "k3s also wants this name and leaves it alone"]),
        Claim(id: "same-set-identifier", first: [hk()], second: [hk()],
              message: ["app.example.com. A [hk] is owned by rke2", "k3s also wants this name"]),
        Claim(id: "same-set-identifier-other-targets", first: [hk(.weighted(weight: 80))],
              second: [F.endpoint(app, .a, ["198.51.100.7"], set: "hk", routing: .weighted(weight: 20))],
              message: ["app.example.com. A [hk] is owned by rke2"]),
        Claim(id: "routing-type-mismatch", first: [hk()], second: [sg(.weighted(weight: 20), set: "blue")],
              message: ["app.example.com. A [blue] cannot be created", "app.example.com. A [hk] is owned by rke2 with latency routing",
                        "k3s wants weighted routing", "Route53 holds one routing policy per name and type"]),
        Claim(id: "simple-beside-routed", first: [hk()], second: [F.endpoint(app, .a, ["203.0.113.20"])],
              message: ["app.example.com. A cannot be created", "is owned by rke2 with latency routing", "k3s wants simple routing"]),
        Claim(id: "cname-beside-a", first: [hk()], second: [F.endpoint(app, .cname, ["lb.example.net"])],
              message: ["app.example.com. CNAME cannot be created", "app.example.com. A [hk] is owned by rke2"]),
    ]

    @Test(arguments: claims)
    func secondClaimIsOneConflictPerPassAndNeverAWrite(_ claim: Claim) {
        var zone = RoutingFixture()
        #expect(!zone.pass("rke2", claim.first).changes.isEmpty)
        let settled = zone.sets
        for _ in 0..<3 {
            let second = zone.pass("k3s", claim.second)
            #expect(second.changes.isEmpty, "\(RoutingFixture.render(second))")
            let conflicts = second.notices.filter { $0.kind == .conflict }
            #expect(conflicts.count == claim.second.count, "\(second.notices.map(\.message))")
            for fragment in claim.message {
                #expect(conflicts.contains { $0.message.contains(fragment) }, "\(fragment) in \(conflicts.map(\.message))")
            }
            let first = zone.pass("rke2", claim.first)
            #expect(first.changes.isEmpty && first.notices.isEmpty, "\(RoutingFixture.render(first))")
            #expect(zone.sets == settled, "no delete/create loop")
        }
    }

    @Test func thirdClusterClaimingTheNameIsReportedAndNothingIsWritten() {
        var zone = RoutingFixture()
        zone.pass("rke2", [Self.hk()])
        zone.pass("k3s", [Self.sg()])
        let settled = zone.sets
        for _ in 0..<2 {
            let third = zone.pass("eks", [F.endpoint(Self.app, .a, ["192.0.2.99"], set: "us", routing: .weighted(weight: 1))])
            #expect(third.changes.isEmpty)
            #expect(third.notices.map(\.kind) == [.conflict])
            // It names an owner of the name and itself.
            #expect(third.notices[0].message.contains("is owned by rke2 with latency routing, and eks wants weighted routing"))
            #expect(zone.pass("rke2", [Self.hk()]).changes.isEmpty)
            #expect(zone.pass("k3s", [Self.sg()]).changes.isEmpty)
            #expect(zone.sets == settled)
        }
    }

    @Test func ownSwitchBlockedByAnotherOwnersPolicyKeepsEverything() {
        // rke2 wants failover while k3s keeps latency: rke2's latency set stays, reported once.
        var zone = RoutingFixture()
        zone.pass("rke2", [Self.hk()])
        zone.pass("k3s", [Self.sg()])
        let settled = zone.sets
        for _ in 0..<2 {
            let blocked = zone.pass("rke2", [Self.hk(.failover(.secondary))])
            #expect(blocked.changes.isEmpty)
            #expect(blocked.notices.map(\.kind) == [.conflict])
            #expect(blocked.notices[0].message.contains("is owned by k3s with latency routing, and rke2 wants failover routing"))
            #expect(zone.sets == settled)
        }
    }
}
