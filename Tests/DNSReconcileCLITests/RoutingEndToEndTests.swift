import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing

/// Every Route53 routing policy through the built binary against the emulator: what the seed's
/// RKE2 (Hong Kong) and K3s (Singapore) clusters do when they share one name.
///
/// Each scenario round-trips where it can (create → a second pass that sends nothing → change →
/// delete) and asserts the zone as the emulator lists it, not as our client reads it. Every test
/// works in a zone of its own on the shared emulator (`BinaryHarness`), so they run in parallel
/// without resetting each other; health checks are account-wide, so tests only look at the
/// checks whose name is inside their own zone.
@Suite("routing end to end: the binary against moto")
struct RoutingEndToEndTests {
    static let hkIP = "203.0.113.10"
    static let sgIP = "198.51.100.20"
    /// ExternalDNS's canonical hosted zone of Classic/Application load balancers in ap-east-1
    /// (`provider/aws/aws.go`, `ap-east-1.elb.amazonaws.com`).
    static let elbZoneAPEast1 = "Z3DQVH9N71FHZ0"
    /// The same for Network load balancers (`elb.ap-east-1.amazonaws.com`).
    static let nlbZoneAPEast1 = "Z12Y7K3UBGUAD1"

    // MARK: 1. latency

    @Test func latencyTwoClustersRoundTrip() throws {
        let workspace = try Workspace("latency")
        let zone = workspace.zoneName
        try workspace.writeCluster("rke2-hk", endpoints: [("app-hk", "app", Self.latency("hk", Self.hkIP, "ap-east-1"))])
        try workspace.writeCluster("k3s-sg", endpoints: [("app-sg", "app", Self.latency("sg", Self.sgIP, "ap-southeast-1"))])

        let first = try workspace.routingPass()
        #expect(first.status == 0, "\(first)")
        var zoneState = try workspace.listedRecordSets()
        #expect(Set(zoneState.keys) == ["app.\(zone). A [hk]", "app.\(zone). A [sg]",
                                        "a-app.\(zone). TXT [hk]", "a-app.\(zone). TXT [sg]"], "\(zoneState.keys.sorted())")
        let hk = try #require(zoneState["app.\(zone). A [hk]"])
        #expect(hk.region == "ap-east-1" && hk.values == [Self.hkIP] && hk.ttl == 60, "\(hk)")
        let sg = try #require(zoneState["app.\(zone). A [sg]"])
        #expect(sg.region == "ap-southeast-1" && sg.values == [Self.sgIP], "\(sg)")
        try Self.expectCompanion(of: "app.\(zone). A [hk]", owner: "rke2-hk", in: zoneState)
        try Self.expectCompanion(of: "app.\(zone). A [sg]", owner: "k3s-sg", in: zoneState)

        try Self.expectNoOpPass(workspace, after: zoneState)

        // Change: Hong Kong moves to another address; Singapore is not touched.
        try workspace.writeCluster("rke2-hk", endpoints: [("app-hk", "app", Self.latency("hk", "203.0.113.11", "ap-east-1"))])
        let change = try workspace.routingPass()
        #expect(change.status == 0, "\(change)")
        let changed = try workspace.listedRecordSets()
        #expect(changed["app.\(zone). A [hk]"]?.values == ["203.0.113.11"])
        #expect(changed["app.\(zone). A [sg]"] == zoneState["app.\(zone). A [sg]"])
        #expect(changed["a-app.\(zone). TXT [sg]"] == zoneState["a-app.\(zone). TXT [sg]"])
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"update\"}") == 1)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"k3s-sg\",action=\"update\"}") == 0)
        zoneState = changed

        // Delete: Hong Kong leaves the name; its set and companion go, Singapore's stay.
        try workspace.writeCluster("rke2-hk", endpoints: [])
        let delete = try workspace.routingPass()
        #expect(delete.status == 0, "\(delete)")
        let after = try workspace.listedRecordSets()
        #expect(Set(after.keys) == ["app.\(zone). A [sg]", "a-app.\(zone). TXT [sg]"], "\(after.keys.sorted())")
        #expect(after["app.\(zone). A [sg]"] == zoneState["app.\(zone). A [sg]"])
    }

    // MARK: 2. latency → failover in one pass

    /// The two clusters each switch their own set from latency to failover in one pass, the
    /// PRIMARY with a check created beforehand (`aws-health-check-id`).
    @Test func latencyToFailoverInOnePassWithExistingHealthCheck() throws {
        let workspace = try Workspace("failover")
        let checkID = try workspace.createManualHealthCheck(ip: Self.hkIP, host: "app.\(workspace.zoneName)")
        try Self.switchToFailover(workspace, primaryOptions: "aws-health-check-id = \(checkID)", expectedCheck: { _ in checkID })
    }

    /// The same switch with a managed check on the PRIMARY (`health-check = http`).
    @Test func latencyToFailoverInOnePassWithManagedHealthCheck() throws {
        let workspace = try Workspace("failovermanaged")
        let zone = workspace.zoneName
        try Self.switchToFailover(workspace, primaryOptions: "health-check = http", expectedCheck: { workspace in
            let checks = try workspace.zoneHealthChecks()
            #expect(checks.count == 1, "one check, for the PRIMARY: \(checks)")
            let check = try #require(checks.first)
            #expect(check.ipAddress == Self.hkIP && check.fullyQualifiedDomainName.map(Self.bare) == "app.\(zone)", "\(check)")
            return check.id
        })
    }

    /// One owner holding both sets of the name switches them in one batch (the mechanics of the
    /// switch without the cross-owner question).
    @Test func latencyToFailoverOfOneOwnerIsOneBatch() throws {
        let workspace = try Workspace("failoverone")
        let zone = workspace.zoneName
        let checkID = try workspace.createManualHealthCheck(ip: Self.hkIP, host: "app.\(zone)")
        try workspace.writeCluster("rke2-hk", endpoints: [
            ("app-hk", "app", Self.latency("hk", Self.hkIP, "ap-east-1")),
            ("app-sg", "app", Self.latency("sg", Self.sgIP, "ap-southeast-1")),
        ])
        #expect(try workspace.routingPass().status == 0)
        try workspace.writeCluster("rke2-hk", endpoints: [
            ("app-hk", "app", Self.failover("hk", Self.hkIP, "PRIMARY") + "\naws-health-check-id = \(checkID)"),
            ("app-sg", "app", Self.failover("sg", Self.sgIP, "SECONDARY")),
        ])
        let plan = try workspace.routingPlanDocument()
        let changes = Self.planChanges(plan, cluster: "rke2-hk")
        #expect(changes.count == 2, "\(changes)")
        for change in changes {
            #expect(Self.route53Actions(change) == ["DELETE A latency", "DELETE TXT latency", "CREATE A failover", "CREATE TXT failover"],
                    "\(change)")
        }
        let run = try workspace.routingPass()
        #expect(run.status == 0, "\(run)")
        #expect(run.batchLines(cluster: "rke2-hk").count == 1 && run.batchLines(cluster: "rke2-hk")[0].contains(": 1 batch "),
                "\(run)")
        #expect(workspace.metric("dnsreconcile_api_requests{operation=\"ChangeResourceRecordSets\",code=\"200\"}") == 1)
        let zoneState = try workspace.listedRecordSets()
        #expect(zoneState["app.\(zone). A [hk]"]?.failover == "PRIMARY" && zoneState["app.\(zone). A [hk]"]?.healthCheckID == checkID)
        #expect(zoneState["app.\(zone). A [sg]"]?.failover == "SECONDARY")
        #expect(zoneState["a-app.\(zone). TXT [hk]"]?.healthCheckID == checkID)
        #expect(zoneState.values.allSatisfy { $0.region == nil }, "\(zoneState)")
        try Self.expectNoOpPass(workspace, after: zoneState)
    }

    /// Route53 refuses a non-alias PRIMARY without a health check, and the companion TXT is
    /// never an alias: refused before sending, with a message that says what to add.
    @Test func failoverPrimaryWithoutHealthCheckIsRefusedBeforeSending() throws {
        let workspace = try Workspace("primarynocheck")
        let zone = workspace.zoneName
        try workspace.writeCluster("rke2-hk", endpoints: [("app-hk", "app", Self.failover("hk", Self.hkIP, "PRIMARY"))])
        let run = try workspace.routingPass()
        #expect(try workspace.listedRecordSets().isEmpty)
        #expect(!workspace.metrics().contains("operation=\"ChangeResourceRecordSets\""), "\(workspace.metrics())")
        let warnings = run.lines(cluster: "rke2-hk").filter { ($0["level"] ?? "") != "info" }
        #expect(warnings.contains { ($0["message"] ?? "").contains("health check") && ($0["message"] ?? "").contains("app.\(zone)") },
                "\(run)")
    }

    // MARK: 3. weighted

    @Test func weightedBlueGreenRoundTrip() throws {
        let workspace = try Workspace("weighted")
        let zone = workspace.zoneName
        func write(blue: Int, green: Int?) throws {
            var endpoints = [("blue", "app", "targets = \(Self.hkIP)\nttl = 60\nset-identifier = blue\naws-weight = \(blue)")]
            if let green {
                endpoints.append(("green", "app", "targets = 203.0.113.20\nttl = 60\nset-identifier = green\naws-weight = \(green)"))
            }
            try workspace.writeCluster("rke2-hk", endpoints: endpoints)
        }
        try write(blue: 80, green: 20)
        #expect(try workspace.routingPass().status == 0)
        let created = try workspace.listedRecordSets()
        #expect(created["app.\(zone). A [blue]"]?.weight == 80 && created["app.\(zone). A [green]"]?.weight == 20, "\(created)")
        try Self.expectCompanion(of: "app.\(zone). A [blue]", owner: "rke2-hk", in: created)
        try Self.expectCompanion(of: "app.\(zone). A [green]", owner: "rke2-hk", in: created)
        try Self.expectNoOpPass(workspace, after: created)

        try write(blue: 50, green: 50)
        let plan = try workspace.routingPlanDocument()
        let actions = Self.planChanges(plan, cluster: "rke2-hk").flatMap(Self.route53Actions)
        #expect(!actions.isEmpty && actions.allSatisfy { $0.hasPrefix("UPSERT ") }, "only UPSERTs: \(actions)")
        let change = try workspace.routingPass()
        #expect(change.status == 0, "\(change)")
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"update\"}") == 2)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"create\"}") == 0)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"delete\"}") == 0)
        let changed = try workspace.listedRecordSets()
        #expect(changed.count == 4)
        #expect(changed["app.\(zone). A [blue]"]?.weight == 50 && changed["app.\(zone). A [green]"]?.weight == 50)
        try Self.expectCompanion(of: "app.\(zone). A [green]", owner: "rke2-hk", in: changed)

        try write(blue: 50, green: nil)
        #expect(try workspace.routingPass().status == 0)
        let after = try workspace.listedRecordSets()
        #expect(Set(after.keys) == ["app.\(zone). A [blue]", "a-app.\(zone). TXT [blue]"], "\(after.keys.sorted())")
        #expect(after["app.\(zone). A [blue]"] == changed["app.\(zone). A [blue]"])
    }

    // MARK: 4. geolocation

    @Test func geolocationCountriesWithDefaultAndContinentsRoundTrip() throws {
        let workspace = try Workspace("geo")
        let zone = workspace.zoneName
        func geo(_ id: String, _ target: String, _ key: String, _ code: String) -> String {
            "targets = \(target)\nttl = 60\nset-identifier = \(id)\n\(key) = \(code)"
        }
        let country = "aws-geolocation-country-code", continent = "aws-geolocation-continent-code"
        var endpoints = [
            ("hk", "app", geo("hk", Self.hkIP, country, "HK")),
            ("sg", "app", geo("sg", Self.sgIP, country, "SG")),
            ("default", "app", geo("default", "203.0.113.30", country, "*")),
            ("as", "cont", geo("asia", Self.hkIP, continent, "AS")),
            ("eu", "cont", geo("europe", "203.0.113.40", continent, "EU")),
            ("rest", "cont", geo("rest", "203.0.113.30", country, "*")),
        ]
        try workspace.writeCluster("rke2-hk", endpoints: endpoints)
        let first = try workspace.routingPass()
        #expect(first.status == 0, "\(first)")
        let created = try workspace.listedRecordSets()
        #expect(created.count == 12, "\(created.keys.sorted())")
        #expect(created["app.\(zone). A [hk]"]?.countryCode == "HK")
        #expect(created["app.\(zone). A [sg]"]?.countryCode == "SG")
        #expect(created["app.\(zone). A [default]"]?.countryCode == "*", "the default location")
        #expect(created["cont.\(zone). A [asia]"]?.continentCode == "AS" && created["cont.\(zone). A [asia]"]?.countryCode == nil)
        #expect(created["cont.\(zone). A [europe]"]?.continentCode == "EU")
        #expect(created["cont.\(zone). A [rest]"]?.countryCode == "*")
        for key in created.keys where !key.contains(" TXT ") {
            try Self.expectCompanion(of: key, owner: "rke2-hk", in: created)
        }
        try Self.expectNoOpPass(workspace, after: created)

        // Change: Singapore's set moves to Malaysia (an UPSERT of the same set), Europe goes.
        endpoints[1] = ("sg", "app", geo("sg", Self.sgIP, country, "MY"))
        endpoints.remove(at: 4)
        try workspace.writeCluster("rke2-hk", endpoints: endpoints)
        let change = try workspace.routingPass()
        #expect(change.status == 0, "\(change)")
        let changed = try workspace.listedRecordSets()
        #expect(changed["app.\(zone). A [sg]"]?.countryCode == "MY")
        try Self.expectCompanion(of: "app.\(zone). A [sg]", owner: "rke2-hk", in: changed)
        #expect(changed["cont.\(zone). A [europe]"] == nil && changed["a-cont.\(zone). TXT [europe]"] == nil)
        #expect(changed["app.\(zone). A [default]"] == created["app.\(zone). A [default]"])
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"update\"}") == 1)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"delete\"}") == 1)
        try Self.expectNoOpPass(workspace, after: changed)
    }

    // MARK: 5. geoproximity

    @Test func geoproximityCoordinatesAndBiasRoundTrip() throws {
        let workspace = try Workspace("geoprox")
        let zone = workspace.zoneName
        func write(hkBias: Int) throws {
            try workspace.writeCluster("rke2-hk", endpoints: [
                ("hk", "app", "targets = \(Self.hkIP)\nttl = 60\nset-identifier = hk\naws-geoproximity-coordinates = 22.28,114.16\naws-geoproximity-bias = \(hkBias)"),
                ("sg", "app", "targets = \(Self.sgIP)\nttl = 60\nset-identifier = sg\naws-geoproximity-coordinates = 1.29,103.85"),
                ("region", "reg", "targets = \(Self.hkIP)\nttl = 60\nset-identifier = hk\naws-geoproximity-region = ap-east-1\naws-geoproximity-bias = -20"),
            ])
        }
        try write(hkBias: 10)
        let first = try workspace.routingPass()
        #expect(first.status == 0, "\(first)")
        let created = try workspace.listedRecordSets()
        #expect(created.count == 6, "\(created.keys.sorted())")
        let hk = try #require(created["app.\(zone). A [hk]"])
        #expect(hk.hasGeoProximity, "the emulator must keep GeoProximityLocation: \(hk)")
        #expect(hk.latitude.flatMap(Double.init) == 22.28 && hk.longitude.flatMap(Double.init) == 114.16 && hk.bias == 10, "\(hk)")
        let sg = try #require(created["app.\(zone). A [sg]"])
        #expect(sg.latitude.flatMap(Double.init) == 1.29 && sg.longitude.flatMap(Double.init) == 103.85, "\(sg)")
        #expect(sg.bias == nil || sg.bias == 0, "no bias given: \(sg)")
        let region = try #require(created["reg.\(zone). A [hk]"])
        #expect(region.proximityRegion == "ap-east-1" && region.bias == -20, "\(region)")
        for key in created.keys where !key.contains(" TXT ") {
            try Self.expectCompanion(of: key, owner: "rke2-hk", in: created)
        }
        try Self.expectNoOpPass(workspace, after: created)

        try write(hkBias: 25)
        #expect(try workspace.routingPass().status == 0)
        let changed = try workspace.listedRecordSets()
        #expect(changed["app.\(zone). A [hk]"]?.bias == 25)
        try Self.expectCompanion(of: "app.\(zone). A [hk]", owner: "rke2-hk", in: changed)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"update\"}") == 1)
        try Self.expectNoOpPass(workspace, after: changed)

        try workspace.writeCluster("rke2-hk", endpoints: [])
        #expect(try workspace.routingPass().status == 0)
        #expect(try workspace.listedRecordSets().isEmpty)
    }

    // MARK: 6. alias

    @Test func aliasToAnELBUsesItsCanonicalZoneAndDoesNotChurn() throws {
        let workspace = try Workspace("alias")
        let zone = workspace.zoneName
        let lb = "my-lb-1234567890.ap-east-1.elb.amazonaws.com"
        let nlb = "my-nlb-0123456789abcdef.elb.ap-east-1.amazonaws.com"
        func write(evaluate: Bool) throws {
            try workspace.writeCluster("rke2-hk", endpoints: [
                ("www", "www", "type = A\nalias = true\ntargets = \(lb)\naws-evaluate-target-health = \(evaluate)"),
                // No aws-evaluate-target-health: the provider default (true).
                ("api", "api", "type = A\nalias = true\ntargets = \(lb)"),
                ("nlb", "nlb", "type = A\nalias = true\ntargets = \(nlb)\naws-evaluate-target-health = false"),
            ])
        }
        try write(evaluate: false)
        let first = try workspace.routingPass()
        #expect(first.status == 0, "\(first)")
        let created = try workspace.listedRecordSets()
        #expect(Set(created.keys) == ["www.\(zone). A", "a-www.\(zone). TXT", "api.\(zone). A", "a-api.\(zone). TXT",
                                      "nlb.\(zone). A", "a-nlb.\(zone). TXT"], "\(created.keys.sorted())")
        let www = try #require(created["www.\(zone). A"])
        #expect(www.aliasHostedZoneID == Self.elbZoneAPEast1, "ELB in ap-east-1: \(www)")
        #expect(www.aliasDNSName.map(Self.bare)?.lowercased() == lb, "\(www)")
        #expect(www.evaluateTargetHealth == false && www.values.isEmpty, "\(www)")
        let api = try #require(created["api.\(zone). A"])
        #expect(api.aliasHostedZoneID == Self.elbZoneAPEast1 && api.evaluateTargetHealth == true, "\(api)")
        let network = try #require(created["nlb.\(zone). A"])
        #expect(network.aliasHostedZoneID == Self.nlbZoneAPEast1 && network.aliasDNSName.map(Self.bare)?.lowercased() == nlb,
                "NLB in ap-east-1: \(network)")
        try Self.expectCompanion(of: "www.\(zone). A", owner: "rke2-hk", in: created)
        // The emulator reports TTL 0 on aliases; that must not look like a change.
        try Self.expectNoOpPass(workspace, after: created)

        try write(evaluate: true)
        #expect(try workspace.routingPass().status == 0)
        let changed = try workspace.listedRecordSets()
        #expect(changed["www.\(zone). A"]?.evaluateTargetHealth == true && changed["www.\(zone). A"]?.aliasHostedZoneID == Self.elbZoneAPEast1)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"update\"}") == 1)
        try Self.expectNoOpPass(workspace, after: changed)

        try workspace.writeCluster("rke2-hk", endpoints: [])
        #expect(try workspace.routingPass().status == 0)
        #expect(try workspace.listedRecordSets().isEmpty)
    }

    // MARK: 7. multivalue answer

    @Test func multivalueAnswerRoundTrip() throws {
        let workspace = try Workspace("multivalue")
        let zone = workspace.zoneName
        func set(_ id: String, _ target: String) -> (String, String, String) {
            (id, "app", "targets = \(target)\nttl = 60\nset-identifier = \(id)\naws-multi-value-answer = true")
        }
        try workspace.writeCluster("rke2-hk", endpoints: [set("one", Self.hkIP), set("two", Self.sgIP)])
        #expect(try workspace.routingPass().status == 0)
        let created = try workspace.listedRecordSets()
        #expect(created.count == 4, "\(created.keys.sorted())")
        #expect(created["app.\(zone). A [one]"]?.multiValueAnswer == true && created["app.\(zone). A [two]"]?.multiValueAnswer == true)
        try Self.expectCompanion(of: "app.\(zone). A [one]", owner: "rke2-hk", in: created)
        try Self.expectCompanion(of: "app.\(zone). A [two]", owner: "rke2-hk", in: created)
        try Self.expectNoOpPass(workspace, after: created)

        try workspace.writeCluster("rke2-hk", endpoints: [set("one", Self.hkIP), set("two", "198.51.100.21")])
        #expect(try workspace.routingPass().status == 0)
        let changed = try workspace.listedRecordSets()
        #expect(changed["app.\(zone). A [two]"]?.values == ["198.51.100.21"] && changed["app.\(zone). A [two]"]?.multiValueAnswer == true)
        #expect(changed["app.\(zone). A [one]"] == created["app.\(zone). A [one]"])

        try workspace.writeCluster("rke2-hk", endpoints: [set("one", Self.hkIP)])
        #expect(try workspace.routingPass().status == 0)
        #expect(Set(try workspace.listedRecordSets().keys) == ["app.\(zone). A [one]", "a-app.\(zone). TXT [one]"])
    }

    // MARK: 8. a third cluster claims the name

    /// What the third cluster claims: rke2-hk's simple record `web`, or rke2-hk's set
    /// identifier `hk` at the latency name `app`.
    enum Claim: String, CaseIterable, CustomTestStringConvertible {
        case simpleRecord = "simple record"
        case setIdentifier = "set identifier"

        var testDescription: String { rawValue }
    }

    /// A third cluster (owner id `third-owner`) claims what rke2-hk owns: a conflict each pass,
    /// one warning naming both owners, counted in dnsreconcile_conflicts, and never a write, so
    /// the zone stays byte-identical and nothing flaps over three passes.
    @Test(arguments: Claim.allCases)
    func thirdClusterClaimingAnOwnedNameIsAConflictThatNeverFlaps(_ claim: Claim) throws {
        let workspace = try Workspace("conflict")
        let zone = workspace.zoneName
        try workspace.writeCluster("rke2-hk", endpoints: [
            ("web", "web", "targets = \(Self.hkIP)\nttl = 60"),
            ("app-hk", "app", Self.latency("hk", Self.hkIP, "ap-east-1")),
        ])
        try workspace.writeCluster("k3s-sg", endpoints: [("app-sg", "app", Self.latency("sg", Self.sgIP, "ap-southeast-1"))])
        #expect(try workspace.routingPass().status == 0)
        let before = try workspace.listedRecordSets()
        #expect(before.count == 6, "\(before.keys.sorted())")

        let (endpoint, claimed) = switch claim {
        case .simpleRecord: ("name = web.\(zone)\ntargets = 198.51.100.99\nttl = 60", "A web.\(zone)")
        case .setIdentifier: ("name = app.\(zone)\n" + Self.latency("hk", "198.51.100.99", "ap-east-1"), "A app.\(zone) [hk]")
        }
        // Owner id and cluster name differ, so the warning can be seen to name the owners.
        try workspace.write("conf.d/third.ini", """
            [cluster]
            name = third
            owner-id = third-owner

            [provider "route53"]
            domain-filter = \(zone)

            [endpoint "claim"]
            \(endpoint)
            """)
        var conflictCounts: [Double] = []
        for round in 1...3 {
            let run = try workspace.routingPass()
            #expect(run.status == 0, "pass \(round): \(run)")
            #expect(try workspace.listedRecordSets() == before, "pass \(round) changed the zone")
            #expect(!workspace.metrics().contains("operation=\"ChangeResourceRecordSets\""), "pass \(round): \(workspace.metrics())")
            #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"third\",action=\"create\"}") == 0)
            let conflicts = workspace.metric("dnsreconcile_conflicts{cluster=\"third\"}") ?? 0
            #expect(conflicts >= 1, "pass \(round): \(workspace.metrics())")
            #expect(workspace.metric("dnsreconcile_conflicts{cluster=\"rke2-hk\"}") == 0)
            conflictCounts.append(conflicts)
            let warnings = run.lines(cluster: "third").filter { $0["level"] == "warning" }
            #expect(warnings.count == 1 && (warnings.first?["message"] ?? "").contains(claimed),
                    "one warning per pass, about \(claimed): \(run)")
            #expect(warnings.allSatisfy { ($0["message"] ?? "").contains("rke2-hk") && ($0["message"] ?? "").contains("third-owner") },
                    "names both owners: \(run)")
        }
        #expect(Set(conflictCounts).count == 1, "the conflict count is stable: \(conflictCounts)")
    }

    // MARK: 9. routing type mismatch between clusters

    @Test func routingTypeMismatchBetweenClustersIsReportedBeforeSending() throws {
        let workspace = try Workspace("mismatch")
        let zone = workspace.zoneName
        try workspace.writeCluster("rke2-hk", endpoints: [("app-hk", "app", Self.latency("hk", Self.hkIP, "ap-east-1"))])
        #expect(try workspace.routingPass().status == 0)
        let before = try workspace.listedRecordSets()

        try workspace.writeCluster("weighted-new", endpoints: [
            ("app", "app", "targets = \(Self.sgIP)\nttl = 60\nset-identifier = blue\naws-weight = 10"),
        ])
        let plan = try workspace.routingPlanDocument()
        #expect(Self.planChanges(plan, cluster: "weighted-new").isEmpty, "nothing planned for it")
        let run = try workspace.routingPass()
        #expect(try workspace.listedRecordSets() == before)
        #expect(!workspace.metrics().contains("operation=\"ChangeResourceRecordSets\""), "nothing sent: \(workspace.metrics())")
        #expect(workspace.metric("dnsreconcile_failed_changes{cluster=\"weighted-new\"}") == 0, "not sent and refused: never sent")
        let warnings = run.lines(cluster: "weighted-new").filter {
            $0["level"] == "warning" && ($0["message"] ?? "").contains("app.\(zone) [blue]")
        }
        #expect(warnings.count == 1, "\(run)")
        #expect(warnings.allSatisfy { ($0["message"] ?? "").contains("latency") && ($0["message"] ?? "").contains("weighted") },
                "says which routing policies clash: \(run)")
    }

    // MARK: - Helpers

    static func latency(_ id: String, _ target: String, _ region: String) -> String {
        "targets = \(target)\nttl = 60\nset-identifier = \(id)\naws-region = \(region)"
    }

    static func failover(_ id: String, _ target: String, _ role: String) -> String {
        "targets = \(target)\nttl = 60\nset-identifier = \(id)\naws-failover = \(role)"
    }

    static func bare(_ name: String) -> String { name.hasSuffix(".") ? String(name.dropLast()) : name }

    /// Scenario 2 for both clusters: latency, then failover PRIMARY (hk, with `primaryOptions`)
    /// and SECONDARY (sg) in one pass; then a no-op pass, then the SECONDARY goes.
    /// `expectedCheck` returns the id the PRIMARY must carry.
    ///
    /// Route53 holds one routing policy per name and type, so two owners cannot each replace
    /// their own set in a batch of their own: the clusters take turns within the pass, and the
    /// name keeps an answer throughout (the one switching cluster replaces its set atomically).
    static func switchToFailover(_ workspace: Workspace, primaryOptions: String,
                                 expectedCheck: (Workspace) throws -> String) throws {
        let zone = workspace.zoneName
        try workspace.writeCluster("rke2-hk", endpoints: [("app-hk", "app", latency("hk", hkIP, "ap-east-1"))])
        try workspace.writeCluster("k3s-sg", endpoints: [("app-sg", "app", latency("sg", sgIP, "ap-southeast-1"))])
        #expect(try workspace.routingPass().status == 0)
        #expect(try workspace.listedRecordSets()["app.\(zone). A [hk]"]?.region == "ap-east-1")

        try workspace.writeCluster("rke2-hk", endpoints: [("app-hk", "app", failover("hk", hkIP, "PRIMARY") + "\n" + primaryOptions)])
        try workspace.writeCluster("k3s-sg", endpoints: [("app-sg", "app", failover("sg", sgIP, "SECONDARY"))])
        let run = try workspace.routingPass()
        #expect(run.status == 0, "\(run)")
        // k3s-sg (first in conf.d) deletes its latency set and companion, rke2-hk replaces its
        // set in one batch (DELETE latency + CREATE failover, companions included), then k3s-sg
        // creates its failover set.
        let hkBatches = run.batchLines(cluster: "rke2-hk")
        #expect(hkBatches.count == 1 && hkBatches[0].contains(": 1 batch "), "rke2-hk: one batch: \(run)")
        let sgBatches = run.batchLines(cluster: "k3s-sg")
        #expect(sgBatches.count == 2 && sgBatches.allSatisfy { $0.contains(": 1 batch ") }, "k3s-sg: two steps: \(run)")
        #expect(workspace.metric("dnsreconcile_api_requests{operation=\"ChangeResourceRecordSets\",code=\"200\"}") == 3,
                "\(workspace.metrics())")
        func position(_ cluster: String, _ prefix: String) -> Int? {
            run.lines.firstIndex {
                $0["cluster"] == cluster && $0["level"] == "info" && ($0["message"] ?? "").hasPrefix(prefix)
            }
        }
        let sgDelete = position("k3s-sg", "delete A app.\(zone) [sg]")
        let hkSwitch = position("rke2-hk", "update A app.\(zone) [hk] (routing policy changes from latency to failover")
        let sgCreate = position("k3s-sg", "create A app.\(zone) [sg]")
        #expect(sgDelete != nil && hkSwitch != nil && sgCreate != nil, "\(run)")
        if let sgDelete, let hkSwitch, let sgCreate {
            #expect(sgDelete < hkSwitch && hkSwitch < sgCreate, "delete, switch, create: \(run)")
        }
        #expect(run.lines.contains { ($0["message"] ?? "").contains("switch to failover routing together") }, "\(run)")
        // Both clusters asked for the same policy: nothing to warn about, nothing to count, and
        // one summary per cluster.
        #expect(!run.lines.contains { $0["level"] == "warning" }, "\(run)")
        for cluster in ["rke2-hk", "k3s-sg"] {
            let summaries = run.lines(cluster: cluster).filter { ($0["message"] ?? "").hasPrefix("\(cluster): ") }
            #expect(summaries.count == 1, "\(cluster): \(summaries)")
        }
        #expect(workspace.metric("dnsreconcile_conflicts{cluster=\"rke2-hk\"}") == 0)
        #expect(workspace.metric("dnsreconcile_conflicts{cluster=\"k3s-sg\"}") == 0)
        // The metrics count every step of the pass.
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"update\"}") == 1)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"k3s-sg\",action=\"delete\"}") == 1)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"k3s-sg\",action=\"create\"}") == 1)
        #expect(workspace.metric("dnsreconcile_run_success{cluster=\"k3s-sg\"}") == 1)
        let zoneState = try workspace.listedRecordSets()
        #expect(Set(zoneState.keys) == ["app.\(zone). A [hk]", "app.\(zone). A [sg]",
                                        "a-app.\(zone). TXT [hk]", "a-app.\(zone). TXT [sg]"], "\(zoneState.keys.sorted())")
        #expect(zoneState.values.allSatisfy { $0.region == nil }, "no latency set is left: \(zoneState)")
        let checkID = try expectedCheck(workspace)
        let primary = try #require(zoneState["app.\(zone). A [hk]"])
        #expect(primary.failover == "PRIMARY" && primary.healthCheckID == checkID && primary.values == [hkIP], "\(primary)")
        let secondary = try #require(zoneState["app.\(zone). A [sg]"])
        #expect(secondary.failover == "SECONDARY" && secondary.values == [sgIP], "\(secondary)")
        // The PRIMARY's companion carries the same check (Route53 refuses a non-alias PRIMARY without one).
        #expect(zoneState["a-app.\(zone). TXT [hk]"]?.healthCheckID == checkID)
        try expectCompanion(of: "app.\(zone). A [hk]", owner: "rke2-hk", in: zoneState)
        try expectCompanion(of: "app.\(zone). A [sg]", owner: "k3s-sg", in: zoneState)

        try expectNoOpPass(workspace, after: zoneState)

        try workspace.writeCluster("k3s-sg", endpoints: [])
        #expect(try workspace.routingPass().status == 0)
        let after = try workspace.listedRecordSets()
        #expect(Set(after.keys) == ["app.\(zone). A [hk]", "a-app.\(zone). TXT [hk]"], "\(after.keys.sorted())")
        #expect(after["app.\(zone). A [hk]"] == primary)
    }

    /// The companion of `key` exists, names `owner`, and copies the record's routing and check.
    static func expectCompanion(of key: String, owner: String, in zoneState: [String: ListedRecordSet],
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let record = try #require(zoneState[key], "no \(key) in \(zoneState.keys.sorted())", sourceLocation: sourceLocation)
        let companionKey = "a-\(record.name) TXT" + (record.setIdentifier.map { " [\($0)]" } ?? "")
        let companion = try #require(zoneState[companionKey], "no companion \(companionKey) in \(zoneState.keys.sorted())",
                                     sourceLocation: sourceLocation)
        #expect(companion.values.count == 1 && companion.values[0].contains("external-dns/owner=\(owner)"),
                "\(companion)", sourceLocation: sourceLocation)
        #expect(companion.routingFields == record.routingFields,
                "the companion copies the routing: \(companion) vs \(record)", sourceLocation: sourceLocation)
    }

    /// One more pass sends no ChangeResourceRecordSets and leaves the zone byte-identical.
    static func expectNoOpPass(_ workspace: Workspace, after zoneState: [String: ListedRecordSet],
                               sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let run = try workspace.routingPass()
        #expect(run.status == 0, "\(run)", sourceLocation: sourceLocation)
        let metrics = workspace.metrics()
        #expect(!metrics.isEmpty && !metrics.contains("operation=\"ChangeResourceRecordSets\""),
                "the second pass sends nothing: \(metrics)\n\(run)", sourceLocation: sourceLocation)
        for operation in ["CreateHealthCheck", "UpdateHealthCheck", "DeleteHealthCheck"] {
            #expect(!metrics.contains("operation=\"\(operation)\""), "\(operation) on a no-op pass", sourceLocation: sourceLocation)
        }
        #expect(try workspace.listedRecordSets() == zoneState, "the zone is unchanged", sourceLocation: sourceLocation)
    }

    /// The changes of `cluster` in a `plan --output json` document.
    static func planChanges(_ plan: [String: Any], cluster: String) -> [[String: Any]] {
        let clusters = plan["clusters"] as? [[String: Any]] ?? []
        let zones = clusters.first { $0["name"] as? String == cluster }?["zones"] as? [[String: Any]] ?? []
        return zones.flatMap { $0["changes"] as? [[String: Any]] ?? [] }
    }

    /// `"DELETE A latency"` for each Route53 element of a planned change, in order.
    static func route53Actions(_ change: [String: Any]) -> [String] {
        (change["route53"] as? [[String: Any]] ?? []).map { element in
            let set = element["record_set"] as? [String: Any] ?? [:]
            let kind = (set["routing"] as? [String: Any])?["policy"] as? String ?? "?"
            return "\(element["action"] as? String ?? "?") \(set["type"] as? String ?? "?") \(kind)"
        }
    }
}

/// One run of the binary with its JSON log lines.
private struct LoggedRun: CustomStringConvertible {
    var result: RunResult
    var status: Int32 { result.status }
    /// Every stderr line that parsed as a JSON object, values as strings.
    var lines: [[String: String]]

    init(_ result: RunResult) {
        self.result = result
        lines = result.stderr.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object.mapValues { "\($0)" }
        }
    }

    func lines(cluster: String) -> [[String: String]] { lines.filter { $0["cluster"] == cluster } }

    /// The "N changes in <zone>: K batch(es) for …" lines of one cluster.
    func batchLines(cluster: String) -> [String] {
        lines(cluster: cluster).compactMap { $0["message"] }.filter { $0.contains(" changes in ") && $0.contains(" batch") }
    }

    var description: String { result.description }
}

fileprivate extension Workspace {
    /// `dnsreconcile run` with JSON logs.
    func routingPass() throws -> LoggedRun {
        LoggedRun(try run(["run", "--log-format", "json"]))
    }

    /// `dnsreconcile plan --output json`, parsed.
    func routingPlanDocument(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let result = try run(["plan", "--output", "json"])
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// The zone's record sets as the emulator lists them (apex NS and SOA left out).
    func listedRecordSets() throws -> [String: ListedRecordSet] {
        try recordSets().mapValues(ListedRecordSet.init(xml:))
    }

    /// The account's health checks whose name is inside this workspace's zone: the emulator is
    /// shared, and every check a test makes names a host of its own zone.
    func zoneHealthChecks() throws -> [ListedHealthCheck] {
        var checks: [ListedHealthCheck] = []
        var marker: String?
        repeat {
            let query = "maxitems=1000" + (marker.map { "&marker=\($0)" } ?? "")
            let response = try moto.send(HTTPRequest(method: "GET", url: moto.endpoint + "/2013-04-01/healthcheck?" + query))
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(response.status == 200, "ListHealthChecks: \(body.prefix(300))")
            checks += ListedHealthCheck.all(in: body)
            marker = Workspace.element("IsTruncated", in: body) == "true" ? Workspace.element("NextMarker", in: body) : nil
        } while marker != nil
        let byID = Dictionary(checks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func inZone(_ check: ListedHealthCheck) -> Bool {
            if let name = check.fullyQualifiedDomainName, RoutingEndToEndTests.bare(name).hasSuffix("." + zoneName) { return true }
            // A CALCULATED parent has no name; it belongs where its children do.
            return !check.childHealthChecks.isEmpty && check.childHealthChecks.allSatisfy { byID[$0].map(inZone) ?? false }
        }
        return checks.filter(inZone).sorted { $0.id < $1.id }
    }

    /// Creates an HTTP health check directly in the emulator (as an operator would in the
    /// console) and returns its id.
    func createManualHealthCheck(ip: String, host: String) throws -> String {
        let body = "<CreateHealthCheckRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
            + "<CallerReference>manual-\(UUID().uuidString)</CallerReference><HealthCheckConfig>"
            + "<IPAddress>\(ip)</IPAddress><Port>80</Port><Type>HTTP</Type><ResourcePath>/</ResourcePath>"
            + "<FullyQualifiedDomainName>\(host)</FullyQualifiedDomainName><RequestInterval>30</RequestInterval>"
            + "<FailureThreshold>3</FailureThreshold></HealthCheckConfig></CreateHealthCheckRequest>"
        let response = try moto.send(HTTPRequest(method: "POST", url: moto.endpoint + "/2013-04-01/healthcheck",
                                                 headers: [HTTPHeader("Content-Type", "application/xml")],
                                                 body: Array(body.utf8)))
        let text = String(decoding: response.body, as: UTF8.self)
        guard response.status == 201 || response.status == 200, let id = Workspace.element("Id", in: text) else {
            throw DNSReconcileError(.http, "CreateHealthCheck answered HTTP \(response.status)", cause: String(text.prefix(300)))
        }
        return id
    }
}
