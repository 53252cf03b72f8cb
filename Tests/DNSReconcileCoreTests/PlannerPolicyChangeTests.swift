import Testing
import DNSReconcileCore

/// Switching the routing policy of a name: Route53 holds one policy per name and type and will
/// not change it in place, so every set of ours there is deleted and the new ones created, their
/// companions with them, in one atomic batch.
struct PolicyChangeCase: Sendable, CustomTestStringConvertible {
    var id: String
    var before: [Endpoint]
    var after: [Endpoint]
    /// The Route53 changes of the switch, in the order sent.
    var changes: [String]
    /// `TYPE [set] routing` at app.example.com afterwards.
    var result: [String]
    /// Fragments of the upsert-only notices.
    var upsertOnly: [String]
    var testDescription: String { id }
}

private typealias F = RoutingFixture
private let app = "app.example.com"
private let hc = "0b4c7e1d-1234-4f6e-9a0b-5d5c3e2f1a00"

private let policyChanges: [PolicyChangeCase] = [
    .init(id: "simple-to-latency",
          before: [F.endpoint(app, .a, ["203.0.113.10"])],
          after: [F.endpoint(app, .a, ["203.0.113.10"], set: "hk", routing: .latency(region: "ap-east-1")),
                  F.endpoint(app, .a, ["203.0.113.20"], set: "sg", routing: .latency(region: "ap-southeast-1"))],
          changes: ["DELETE app.example.com A", "DELETE a-app.example.com TXT",
                    "CREATE app.example.com A [hk]", "CREATE a-app.example.com TXT [hk]",
                    "CREATE app.example.com A [sg]", "CREATE a-app.example.com TXT [sg]"],
          result: ["A [hk] latency", "A [sg] latency"],
          upsertOnly: ["not deleted: policy upsert-only never deletes",
                       "needs app.example.com. A deleted first because the routing policy changes from simple to latency"]),
    .init(id: "latency-to-failover-same-identifiers",
          before: [F.endpoint(app, .a, ["203.0.113.10"], set: "hk", routing: .latency(region: "ap-east-1")),
                   F.endpoint(app, .a, ["203.0.113.20"], set: "sg", routing: .latency(region: "ap-southeast-1"))],
          after: [F.endpoint(app, .a, ["203.0.113.10"], set: "hk", routing: .failover(.primary), healthCheckID: hc),
                  F.endpoint(app, .a, ["203.0.113.20"], set: "sg", routing: .failover(.secondary))],
          changes: ["DELETE app.example.com A [hk]", "DELETE a-app.example.com TXT [hk]",
                    "DELETE app.example.com A [sg]", "DELETE a-app.example.com TXT [sg]",
                    "CREATE app.example.com A [hk]", "CREATE a-app.example.com TXT [hk]",
                    "CREATE app.example.com A [sg]", "CREATE a-app.example.com TXT [sg]"],
          result: ["A [hk] failover", "A [sg] failover"],
          upsertOnly: ["not replaced: the change needs a delete (routing policy changes from latency to failover"]),
    .init(id: "latency-to-failover-new-identifiers",
          before: [F.endpoint(app, .a, ["203.0.113.10"], set: "hk", routing: .latency(region: "ap-east-1")),
                   F.endpoint(app, .a, ["203.0.113.20"], set: "sg", routing: .latency(region: "ap-southeast-1"))],
          after: [F.endpoint(app, .a, ["203.0.113.10"], set: "primary", routing: .failover(.primary), healthCheckID: hc),
                  F.endpoint(app, .a, ["203.0.113.20"], set: "secondary", routing: .failover(.secondary))],
          changes: ["DELETE app.example.com A [hk]", "DELETE a-app.example.com TXT [hk]",
                    "DELETE app.example.com A [sg]", "DELETE a-app.example.com TXT [sg]",
                    "CREATE app.example.com A [primary]", "CREATE a-app.example.com TXT [primary]",
                    "CREATE app.example.com A [secondary]", "CREATE a-app.example.com TXT [secondary]"],
          result: ["A [primary] failover", "A [secondary] failover"],
          upsertOnly: ["needs app.example.com. A [hk] deleted first because the routing policy changes from latency to failover"]),
    .init(id: "weighted-to-geolocation",
          before: [F.endpoint(app, .a, ["203.0.113.10"], set: "blue", routing: .weighted(weight: 80)),
                   F.endpoint(app, .a, ["203.0.113.20"], set: "green", routing: .weighted(weight: 20))],
          after: [F.endpoint(app, .a, ["203.0.113.10"], set: "de", routing: .geolocation(GeoLocation(countryCode: "DE"))),
                  F.endpoint(app, .a, ["203.0.113.20"], set: "rest", routing: .geolocation(GeoLocation(countryCode: "*")))],
          changes: ["DELETE app.example.com A [blue]", "DELETE a-app.example.com TXT [blue]",
                    "DELETE app.example.com A [green]", "DELETE a-app.example.com TXT [green]",
                    "CREATE app.example.com A [de]", "CREATE a-app.example.com TXT [de]",
                    "CREATE app.example.com A [rest]", "CREATE a-app.example.com TXT [rest]"],
          result: ["A [de] geolocation", "A [rest] geolocation"],
          upsertOnly: ["the routing policy changes from weighted to geolocation"]),
    .init(id: "geolocation-to-geoproximity",
          before: [F.endpoint(app, .a, ["203.0.113.10"], set: "eu", routing: .geolocation(GeoLocation(continentCode: "EU")))],
          after: [F.endpoint(app, .a, ["203.0.113.10"], set: "eu",
                             routing: .geoproximity(GeoProximity(latitude: "50.11", longitude: "8.68", bias: 10)))],
          changes: ["DELETE app.example.com A [eu]", "DELETE a-app.example.com TXT [eu]",
                    "CREATE app.example.com A [eu]", "CREATE a-app.example.com TXT [eu]"],
          result: ["A [eu] geoproximity"],
          upsertOnly: ["routing policy changes from geolocation to geoproximity"]),
    .init(id: "simple-to-multivalue",
          before: [F.endpoint(app, .a, ["203.0.113.10", "203.0.113.20"])],
          after: [F.endpoint(app, .a, ["203.0.113.10"], set: "one", routing: .multiValue),
                  F.endpoint(app, .a, ["203.0.113.20"], set: "two", routing: .multiValue)],
          changes: ["DELETE app.example.com A", "DELETE a-app.example.com TXT",
                    "CREATE app.example.com A [one]", "CREATE a-app.example.com TXT [one]",
                    "CREATE app.example.com A [two]", "CREATE a-app.example.com TXT [two]"],
          result: ["A [one] multivalue", "A [two] multivalue"],
          upsertOnly: ["the routing policy changes from simple to multivalue"]),
    .init(id: "failover-back-to-simple",
          before: [F.endpoint(app, .a, ["203.0.113.10"], set: "primary", routing: .failover(.primary), healthCheckID: hc),
                   F.endpoint(app, .a, ["203.0.113.20"], set: "secondary", routing: .failover(.secondary))],
          after: [F.endpoint(app, .a, ["203.0.113.10"])],
          changes: ["DELETE app.example.com A [primary]", "DELETE a-app.example.com TXT [primary]",
                    "DELETE app.example.com A [secondary]", "DELETE a-app.example.com TXT [secondary]",
                    "CREATE app.example.com A", "CREATE a-app.example.com TXT"],
          result: ["A [-] simple"],
          upsertOnly: ["the routing policy changes from failover to simple"]),
    .init(id: "plain-to-alias",
          before: [F.endpoint(app, .a, ["203.0.113.10"])],
          after: [F.endpoint(app, .a, ["my-lb-1.us-east-1.elb.amazonaws.com"], alias: AliasOptions())],
          changes: ["DELETE app.example.com A", "DELETE a-app.example.com TXT",
                    "CREATE app.example.com A", "CREATE a-app.example.com TXT"],
          result: ["A [-] simple"],
          upsertOnly: ["not replaced: the change needs a delete (changes from a plain record to an alias"]),
]

@Suite struct PlannerPolicyChangeTests {
    /// Another name with changes in the same plan, so batching has groups to choose from.
    static let bystander = F.endpoint("other.example.com", .a, ["198.51.100.1"])

    @Test(arguments: policyChanges)
    func switchIsDeleteAndCreateInOneBatch(_ row: PolicyChangeCase) throws {
        var zone = RoutingFixture()
        zone.pass("rke2", row.before)
        #expect(zone.plan("rke2", row.before).changes.isEmpty)

        let plan = zone.plan("rke2", row.after + [Self.bystander])
        #expect(plan.notices.isEmpty, "\(plan.notices.map(\.message))")
        let atApp = plan.changes.filter { $0.key.name == DNSName(app) }

        // One batch for the name even when the limits force a batch per group.
        let groupSize = atApp.reduce(0) { $0 + $1.changes.count }
        let batches = try Batcher(maxChanges: groupSize).batches(for: plan)
        let holding = batches.filter { batch in batch.contains { $0.key.name == DNSName(app) } }
        #expect(holding.count == 1)
        let sent = Batcher.changes(in: try #require(holding.first)).filter { $0.recordSet.name.value.hasSuffix(app) }
        #expect(sent.map(RoutingFixture.render) == row.changes)
        #expect(Set(sent.map { $0.recordSet.name }) == [DNSName(app), DNSName("a-" + app)], "companions travel along")

        let applied = zone.apply(plan, batcher: Batcher(maxChanges: groupSize))
        #expect(applied)
        #expect(zone.records(at: DNSName(app)) == row.result)
        let again = zone.plan("rke2", row.after + [Self.bystander])
        #expect(again.changes.isEmpty && again.notices.isEmpty, "\(RoutingFixture.render(again))")
    }

    @Test(arguments: policyChanges)
    func upsertOnlySaysADeleteIsNeededAndWhy(_ row: PolicyChangeCase) {
        var zone = RoutingFixture()
        zone.pass("rke2", row.before)
        let plan = zone.plan("rke2", row.after, policy: .upsertOnly)
        #expect(plan.changes.isEmpty, "\(RoutingFixture.render(plan))")
        #expect(!plan.notices.isEmpty && plan.notices.allSatisfy { $0.kind == .policy })
        for fragment in row.upsertOnly {
            #expect(plan.notices.contains { $0.message.contains(fragment) }, "\(fragment) in \(plan.notices.map(\.message))")
        }
    }

    @Test func createThatReplacesSaysWhy() {
        var zone = RoutingFixture()
        zone.pass("rke2", [F.endpoint(app, .a, ["203.0.113.10"])])
        let plan = zone.plan("rke2", [F.endpoint(app, .a, ["203.0.113.10"], set: "hk", routing: .latency(region: "ap-east-1"))])
        #expect(plan.changes.map(\.reason) == [
            nil,
            "replaces app.example.com. A (the routing policy changes from simple to latency, and Route53 holds one routing "
                + "policy per name and type): delete and create in one batch",
        ])
    }

    @Test func switchingOneOfTwoTypesLeavesTheOtherAlone() {
        var zone = RoutingFixture()
        zone.pass("rke2", [F.endpoint(app, .a, ["203.0.113.10"]), F.endpoint(app, .aaaa, ["2001:db8::10"])])
        let plan = zone.pass("rke2", [F.endpoint(app, .a, ["203.0.113.10"], set: "hk", routing: .latency(region: "ap-east-1")),
                                      F.endpoint(app, .aaaa, ["2001:db8::10"])])
        #expect(RoutingFixture.render(plan) == ["DELETE app.example.com A", "DELETE a-app.example.com TXT",
                                                "CREATE app.example.com A [hk]", "CREATE a-app.example.com TXT [hk]"])
        #expect(zone.records(at: DNSName(app)) == ["A [hk] latency", "AAAA [-] simple"])
    }
}
