import DNSReconcileCore
import Testing

/// A small pass with every row and notice kind the plan output shows.
enum PlanRenderSample {
    static let zone = HostedZone(id: "Z0EXAMPLE", name: "example.com")

    static func companion(_ name: String, owner: String = "rke2-hk") -> RecordSet {
        RecordSet(name: DNSName(name), type: .txt, ttl: 300,
                  values: ["\"heritage=external-dns,external-dns/owner=\(owner)\""])
    }

    static let appHK = RecordSet(name: "app.example.com", type: .a, setIdentifier: "hk",
                                 routing: .latency(region: "ap-east-1"), ttl: 60,
                                 values: ["203.0.113.10", "203.0.113.11"])
    static let wwwOld = RecordSet(name: "www.example.com", type: .a, ttl: 300, values: ["203.0.113.19"])
    static let wwwNew = RecordSet(name: "www.example.com", type: .a, ttl: 60, values: ["203.0.113.20"])
    static let old = RecordSet(name: "old.example.com", type: .a, ttl: 300, values: ["203.0.113.30"])
    static let alias = RecordSet(name: "lb.example.com", type: .a, routing: .weighted(weight: 10),
                                 alias: AliasTarget(hostedZoneID: "Z35SXDOTRQ7X7K", dnsName: "my-elb.us-east-1.elb.amazonaws.com",
                                                    evaluateTargetHealth: true))

    static var plan: ZonePlan {
        ZonePlan(zone: zone, changes: [
            PlannedChange(action: .delete, key: old.key, old: old, new: nil,
                          changes: [Change(.delete, old), Change(.delete, companion("a-old.example.com"))]),
            PlannedChange(action: .create, key: appHK.key, old: nil, new: appHK,
                          changes: [Change(.create, appHK), Change(.create, companion("a-app.example.com"))]),
            PlannedChange(action: .update, key: wwwNew.key, old: wwwOld, new: wwwNew,
                          changes: [Change(.upsert, wwwNew)]),
            PlannedChange(action: .create, key: RecordKey(name: "lb.example.com", type: .a, setIdentifier: "blue"),
                          old: nil, new: { var set = alias; set.setIdentifier = "blue"; return set }(),
                          changes: [], reason: "alias target"),
        ], notices: [
            PlanNotice(kind: .conflict, key: RecordKey(name: "api.example.com", type: .a),
                       message: "owned by another owner (k3s-sg)", location: SourceLocation(file: "conf.d/rke2-hk.ini", line: 12)),
            PlanNotice(kind: .held, key: RecordKey(name: "bad.example.com", type: .a),
                       message: "kept as it is: its endpoint has an invalid value"),
        ])
    }

    static var report: PassReport {
        let hk = ClusterReport(
            name: "rke2-hk", sourceEndpoints: 4,
            invalidEndpoints: [InvalidEndpoint(names: ["bad.example.com"], message: "ttl \"abc\" is not a number",
                                               location: SourceLocation(file: "conf.d/rke2-hk.ini", line: 20))],
            zones: [ZoneReport(plan: plan, ownedRecords: 3)],
            unassigned: [Endpoint(name: "app.example.org", type: .a, targets: ["203.0.113.1"],
                                  origin: SourceLocation(file: "conf.d/rke2-hk.ini", line: 30))])
        let sg = ClusterReport(name: "k3s-sg", sourceEndpoints: 1, zones: [
            ZoneReport(plan: ZonePlan(zone: zone), ownedRecords: 1),
            ZoneReport(plan: ZonePlan(zone: HostedZone(id: "Z0BIG", name: "big.example", isPrivate: true), changes: [
                PlannedChange(action: .delete, key: old.key, old: old, new: nil, changes: [Change(.delete, old)]),
            ]), ownedRecords: 12, refusal: "would delete 5 of 12 records owned by k3s-sg in big.example (41.7% > 30%)"),
        ])
        return PassReport(version: "0.1.0", startedAt: 1_700_000_000, dryRun: true, clusters: [hk, sg])
    }
}

@Suite struct PlanRenderTests {
    @Test func textSnapshot() {
        let expected = """
            rke2-hk:
              invalid endpoint: conf.d/rke2-hk.ini:20: ttl "abc" is not a number (held: bad.example.com)
              no zone: app.example.org A is in none of the cluster's hosted zones (conf.d/rke2-hk.ini:30)
            rke2-hk: example.com
                 TYPE  NAME             SET-ID  ROUTING            TTL  TARGETS
              +  A     app.example.com  hk      latency ap-east-1  60   203.0.113.10, 203.0.113.11
              +  A     lb.example.com   blue    weighted 10        -    alias my-elb.us-east-1.elb.amazonaws.com (Z35SXDOTRQ7X7K, evaluate-target-health)
                       (alias target)
              -  A     old.example.com  -       simple             300  203.0.113.30
              ~  A     www.example.com  -       simple             60   203.0.113.20
                 was                                               300  203.0.113.19
              ! conflict  api.example.com A: owned by another owner (k3s-sg) (conf.d/rke2-hk.ini:12)
              ! held  bad.example.com A: kept as it is: its endpoint has an invalid value
            Plan for rke2-hk in example.com: 2 to create, 1 to update, 1 to delete
            Plan for k3s-sg in example.com: 0 to create, 0 to update, 0 to delete
            k3s-sg: big.example
                 TYPE  NAME             SET-ID  ROUTING  TTL  TARGETS
              -  A     old.example.com  -       simple   300  203.0.113.30
              refused: would delete 5 of 12 records owned by k3s-sg in big.example (41.7% > 30%); not applied (use --force to apply)
            Plan for k3s-sg in big.example: 0 to create, 0 to update, 1 to delete

            """
        let actual = PlanRenderer().text(PlanRenderSample.report)
        #expect(actual == expected, "\n--- actual ---\n\(actual)")
    }

    @Test func rowsAreSortedInRoute53NameOrder() {
        let text = PlanRenderer().text(PlanRenderSample.report)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("  + ") || $0.hasPrefix("  - ") || $0.hasPrefix("  ~ ") }
        let names = rows.prefix(4).map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] }
        #expect(names == ["app.example.com", "lb.example.com", "old.example.com", "www.example.com"])
    }

    @Test func summaryLineForAnEmptyCluster() {
        let report = PassReport(version: "0.1.0", startedAt: 0, clusters: [ClusterReport(name: "empty")])
        #expect(PlanRenderer().text(report) == "Plan for empty: no hosted zone matches\n")
    }

    @Test func jsonSnapshot() {
        let sg = PassReport(version: "0.1.0", startedAt: 0, dryRun: true, clusters: [
            ClusterReport(name: "k3s-sg", sourceEndpoints: 1, zones: [
                ZoneReport(plan: ZonePlan(zone: PlanRenderSample.zone, changes: [
                    PlannedChange(action: .create, key: PlanRenderSample.appHK.key, old: nil, new: PlanRenderSample.appHK,
                                  changes: [Change(.create, PlanRenderSample.appHK)]),
                ], notices: [
                    PlanNotice(kind: .noCompanion, key: RecordKey(name: "x.example.com", type: .cname), message: "label too long"),
                ]), ownedRecords: 2),
            ], errors: [DNSReconcileError(.source, "boom", location: SourceLocation(file: "a.ini", line: 3))]),
        ])
        let expected = """
            {
              "clusters": [
                {
                  "errors": [
                    {
                      "code": "source",
                      "location": "a.ini:3",
                      "message": "a.ini:3: boom"
                    }
                  ],
                  "invalid_endpoints": [],
                  "name": "k3s-sg",
                  "source_endpoints": 1,
                  "status": "failed",
                  "unassigned": [],
                  "zones": [
                    {
                      "changes": [
                        {
                          "action": "create",
                          "name": "app.example.com",
                          "new": {
                            "alias": null,
                            "health_check_id": null,
                            "name": "app.example.com",
                            "routing": {
                              "policy": "latency",
                              "region": "ap-east-1"
                            },
                            "set_identifier": "hk",
                            "ttl": 60,
                            "type": "A",
                            "values": [
                              "203.0.113.10",
                              "203.0.113.11"
                            ]
                          },
                          "old": null,
                          "reason": null,
                          "route53": [
                            {
                              "action": "CREATE",
                              "record_set": {
                                "alias": null,
                                "health_check_id": null,
                                "name": "app.example.com",
                                "routing": {
                                  "policy": "latency",
                                  "region": "ap-east-1"
                                },
                                "set_identifier": "hk",
                                "ttl": 60,
                                "type": "A",
                                "values": [
                                  "203.0.113.10",
                                  "203.0.113.11"
                                ]
                              }
                            }
                          ],
                          "set_identifier": "hk",
                          "type": "A"
                        }
                      ],
                      "forced": null,
                      "notices": [
                        {
                          "kind": "no-companion",
                          "location": null,
                          "message": "label too long",
                          "name": "x.example.com",
                          "set_identifier": null,
                          "type": "CNAME"
                        }
                      ],
                      "owned_records": 2,
                      "private": false,
                      "refused": null,
                      "summary": {
                        "create": 1,
                        "delete": 0,
                        "update": 0
                      },
                      "zone": "example.com",
                      "zone_id": "Z0EXAMPLE"
                    }
                  ]
                }
              ],
              "dry_run": true,
              "format": 1
            }

            """
        let actual = PlanRenderer().json(sg)
        #expect(actual == expected, "\n--- actual ---\n\(actual)")
    }

    @Test func jsonKeepsPlanOrderAndIsStable() {
        let first = PlanRenderer().json(PlanRenderSample.report)
        let second = PlanRenderer().json(PlanRenderSample.report)
        #expect(first == second)
        // Changes stay in the planner's order (delete first here), unlike the sorted text table.
        let deleteAt = first.range(of: "\"action\": \"delete\"")?.lowerBound
        let createAt = first.range(of: "\"action\": \"create\"")?.lowerBound
        #expect(deleteAt != nil && createAt != nil && deleteAt! < createAt!)
    }

    @Test(arguments: [
        ("quote", "say \"hi\"", "\"say \\\"hi\\\"\""),
        ("backslash", "a\\b", "\"a\\\\b\""),
        ("newline", "a\nb", "\"a\\nb\""),
        ("control", "a\u{01}b", "\"a\\u0001b\""),
        ("unicode", "café", "\"café\""),
    ])
    func jsonStringEscaping(id: String, input: String, expected: String) {
        #expect(JSONValue.string(input).rendered() == expected, "case \(id)")
    }

    @Test(arguments: [
        (RoutingPolicy.simple, "simple"),
        (.weighted(weight: 0), "weighted 0"),
        (.failover(.secondary), "failover SECONDARY"),
        (.geolocation(GeoLocation(countryCode: "US", subdivisionCode: "CA")), "geolocation country=US subdivision=CA"),
        (.geoproximity(GeoProximity(latitude: "1.5", longitude: "-2", bias: 5)), "geoproximity coordinates=1.5,-2 bias=5"),
        (.multiValue, "multivalue"),
    ])
    func routingText(policy: RoutingPolicy, expected: String) {
        #expect(policy.displayText == expected)
    }
}
