import Testing
import DNSReconcileCore

/// Alias endpoints in the planner: which zone the alias names, the evaluate-target-health
/// default, A and AAAA for an alias host name, and targets no zone would take.
struct AliasCase: Sendable, CustomTestStringConvertible {
    var id: String
    var endpoint: Endpoint
    var zone: HostedZone = RoutingFixture.zone
    var evaluateTargetHealthDefault = true
    /// `TYPE target zone-id evaluate` per created alias; empty when refused.
    var created: [String]
    /// A fragment of the `.invalid` notice when refused.
    var refusal: String? = nil
    var testDescription: String { id }
}

private typealias F = RoutingFixture
private let aliasCases: [AliasCase] = [
    .init(id: "alb-canonical-zone", endpoint: F.endpoint("www.example.com", .a, ["my-lb-1.us-east-1.elb.amazonaws.com"],
                                                         alias: AliasOptions()),
          created: ["A my-lb-1.us-east-1.elb.amazonaws.com Z35SXDOTRQ7X7K true"]),
    .init(id: "nlb-canonical-zone", endpoint: F.endpoint("www.example.com", .aaaa, ["dualstack.n-1.elb.ap-east-1.amazonaws.com"],
                                                         alias: AliasOptions(evaluateTargetHealth: false)),
          created: ["AAAA dualstack.n-1.elb.ap-east-1.amazonaws.com Z12Y7K3UBGUAD1 false"]),
    .init(id: "cloudfront", endpoint: F.endpoint("www.example.com", .a, ["d111111abcdef8.cloudfront.net"], alias: AliasOptions()),
          created: ["A d111111abcdef8.cloudfront.net Z2FDTNDATAQYW2 true"]),
    .init(id: "s3-website", endpoint: F.endpoint("www.example.com", .a, ["www.example.com.s3-website-eu-west-1.amazonaws.com"],
                                                 alias: AliasOptions()),
          created: ["A www.example.com.s3-website-eu-west-1.amazonaws.com Z1BKCTXD74EZPE true"]),
    .init(id: "target-zone-overrides", endpoint: F.endpoint("www.example.com", .a, ["my-lb-1.us-east-1.elb.amazonaws.com"],
                                                            alias: AliasOptions(targetHostedZoneID: "ZOVERRIDE1")),
          created: ["A my-lb-1.us-east-1.elb.amazonaws.com ZOVERRIDE1 true"]),
    .init(id: "unknown-aws-with-target-zone", endpoint: F.endpoint("www.example.com", .a, ["env.eu-west-1.elasticbeanstalk.com"],
                                                                   alias: AliasOptions(targetHostedZoneID: "Z2NYPWQ7DFZAZH")),
          created: ["A env.eu-west-1.elasticbeanstalk.com Z2NYPWQ7DFZAZH true"]),
    .init(id: "in-zone", endpoint: F.endpoint("www.example.com", .a, ["app.example.com"], alias: AliasOptions()),
          created: ["A app.example.com Z1EXAMPLE true"]),
    .init(id: "provider-default-evaluate", endpoint: F.endpoint("www.example.com", .a, ["app.example.com"], alias: AliasOptions()),
          evaluateTargetHealthDefault: false, created: ["A app.example.com Z1EXAMPLE false"]),
    .init(id: "endpoint-evaluate-wins", endpoint: F.endpoint("www.example.com", .a, ["app.example.com"],
                                                             alias: AliasOptions(evaluateTargetHealth: true)),
          evaluateTargetHealthDefault: false, created: ["A app.example.com Z1EXAMPLE true"]),
    .init(id: "alias-cname-is-a-and-aaaa", endpoint: F.endpoint("www.example.com", .cname, ["my-lb-1.eu-west-1.elb.amazonaws.com"],
                                                                alias: AliasOptions()),
          created: ["A my-lb-1.eu-west-1.elb.amazonaws.com Z32O12XQLNTSW2 true",
                    "AAAA my-lb-1.eu-west-1.elb.amazonaws.com Z32O12XQLNTSW2 true"]),
    .init(id: "unknown-aws-name", endpoint: F.endpoint("www.example.com", .a, ["my-lb-1.xx-moon-1.elb.amazonaws.com"],
                                                       alias: AliasOptions()),
          created: [], refusal: "is an AWS name whose canonical hosted zone is not known"),
    .init(id: "outside-name", endpoint: F.endpoint("www.example.com", .a, ["lb.example.net"], alias: AliasOptions()),
          created: [], refusal: "set aws-target-hosted-zone, or use a CNAME"),
    .init(id: "cloudfront-in-private-zone", endpoint: F.endpoint("www.example.com", .a, ["d111111abcdef8.cloudfront.net"],
                                                                 alias: AliasOptions()),
          zone: HostedZone(id: "ZPRIVATE", name: "example.com", isPrivate: true), created: [],
          refusal: "does not take an alias to CloudFront"),
    .init(id: "alias-txt", endpoint: F.endpoint("www.example.com", .txt, ["app.example.com"], alias: AliasOptions()),
          created: [], refusal: "is an A or AAAA record, not TXT"),
]

@Suite struct PlannerAliasTests {
    @Test(arguments: aliasCases)
    func aliasTarget(_ row: AliasCase) {
        let planner = Planner(policy: .sync, managedTypes: [.a, .aaaa, .cname, .txt], registry: F.registry("rke2"),
                              evaluateTargetHealthDefault: row.evaluateTargetHealthDefault)
        let plan = planner.plan(desired: [row.endpoint], held: [],
                                inventory: ZoneInventory(zone: row.zone, records: [], registryTXTs: []))
        let created = plan.changes.compactMap(\.new).compactMap { set in
            set.alias.map { "\(set.type) \($0.dnsName) \($0.hostedZoneID) \($0.evaluateTargetHealth)" }
        }
        #expect(created == row.created)
        #expect(plan.changes.compactMap(\.new).allSatisfy { $0.ttl == nil && $0.values.isEmpty })
        if let refusal = row.refusal {
            #expect(plan.notices.map(\.kind) == [.invalid])
            #expect(plan.notices.first?.message.contains(refusal) == true, "\(plan.notices.map(\.message))")
        } else {
            #expect(plan.notices.isEmpty, "\(plan.notices.map(\.message))")
            // Each alias travels with its companion.
            #expect(plan.changes.allSatisfy { $0.changes.count == 2 })
        }
    }

    @Test func refusedAliasHoldsWhatTheNameHas() {
        var zone = RoutingFixture()
        zone.pass("rke2", [F.endpoint("www.example.com", .a, ["203.0.113.10"])])
        let plan = zone.plan("rke2", [F.endpoint("www.example.com", .a, ["lb-1.xx-moon-1.elb.amazonaws.com"], alias: AliasOptions())])
        #expect(plan.changes.isEmpty)
        #expect(plan.notices.map(\.kind) == [.invalid, .held])
    }

    /// What Route53 lists for an alias it holds: upper-case target, trailing dot, no TTL (or
    /// moto's TTL 0, dropped by the parser), the zone id in any case. No change.
    @Test func listedAliasIsANoOp() {
        var zone = RoutingFixture()
        let desired = [F.endpoint("www.example.com", .cname, ["My-LB-1.us-east-1.elb.amazonaws.com."], alias: AliasOptions())]
        zone.pass("rke2", desired)
        zone.sets = zone.sets.map { set in
            guard var alias = set.alias else { return set }
            alias.dnsName = DNSName("MY-LB-1.US-EAST-1.ELB.AMAZONAWS.COM.")
            alias.hostedZoneID = alias.hostedZoneID.lowercased()
            var listed = set
            listed.alias = alias
            return listed
        }
        #expect(zone.records(at: "www.example.com") == ["A [-] simple", "AAAA [-] simple"])
        let again = zone.plan("rke2", desired)
        #expect(again.changes.isEmpty && again.notices.isEmpty, "\(RoutingFixture.render(again))")
    }

    @Test func evaluateTargetHealthChangeIsAnUpdate() {
        var zone = RoutingFixture()
        let target = "my-lb-1.us-east-1.elb.amazonaws.com"
        zone.pass("rke2", [F.endpoint("www.example.com", .a, [target], alias: AliasOptions())])
        let plan = zone.plan("rke2", [F.endpoint("www.example.com", .a, [target], alias: AliasOptions(evaluateTargetHealth: false))])
        #expect(RoutingFixture.render(plan) == ["UPSERT www.example.com A"])
        #expect(plan.changes.first?.reason == "evaluate-target-health true → false")
    }
}
