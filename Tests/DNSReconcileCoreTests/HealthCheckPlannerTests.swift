import DNSReconcileCore
import Testing

private let zone = HostedZone(id: "Z0EXAMPLE", name: "example.com")
private let owner = "rke2-hk"
private let now = 1_767_225_600.0
private let http = HealthCheckSpec(kind: .http, path: "/healthz")

private func endpoint(_ name: String = "app.example.com", _ type: RecordType = .a, targets: [String] = ["203.0.113.10"],
                      set: String? = "hk", spec: HealthCheckSpec? = http, healthCheckID: String? = nil,
                      alias: AliasOptions? = nil) -> Endpoint {
    Endpoint(name: DNSName(name), type: type, targets: targets, ttl: 60, setIdentifier: set,
             routing: set == nil ? .simple : .latency(region: "ap-east-1"), healthCheckID: healthCheckID, alias: alias,
             healthCheck: spec)
}

private let appKey = RecordKey(name: "app.example.com", type: .a, setIdentifier: "hk")

/// The settings the planner wants for `spec` on one address (the record name as Host).
private func config(_ address: String = "203.0.113.10", spec: HealthCheckSpec = http) -> HealthCheckConfig {
    guard case .single(let config)? = DesiredHealthCheck.make(for: endpoint(targets: [address], spec: spec), spec: spec) else {
        return HealthCheckConfig(kind: .other)
    }
    return config
}

/// A check of `checkOwner` for `key` in `zoneID` (ours by default).
private func check(_ id: String, _ config: HealthCheckConfig, key: RecordKey = appKey, checkOwner: String = owner,
                   zoneID: String = zone.id, version: Int = 1) -> HealthCheck {
    let reference = HealthCheckReference(ownerID: checkOwner, zoneID: zoneID, recordKey: key,
                                         canonicalConfig: config.canonical, createdAt: now - 86_400)
    return HealthCheck(id: id, callerReference: reference.text, version: version, config: config)
}

private func parent(_ id: String, children: [String]) -> HealthCheck {
    check(id, DesiredHealthCheck.parent(children: children))
}

/// The record set of ours at `key` referencing `id`.
private func owned(_ id: String?, key: RecordKey = appKey) -> RecordSet {
    RecordSet(name: key.name, type: key.type, setIdentifier: key.setIdentifier, routing: .latency(region: "ap-east-1"),
              ttl: 60, values: ["203.0.113.10"], healthCheckID: id)
}

/// One line per step: `<key> <action> <id or new> <summary> (<reason>)`.
private func render(_ plan: HealthCheckPlan) -> [String] {
    plan.work.flatMap { work in
        work.steps.map { step in
            var line = "\(work.key) \(step.action.rawValue) \(step.knownID ?? "new") \(step.config.summary)"
            if let reason = step.reason { line += " (\(reason))" }
            return line
        }
    } + plan.refused.map { "refused \($0.notice.key): \($0.notice.message)" }
}

struct HealthCheckPlanCase: CustomTestStringConvertible, Sendable {
    var id: String
    var desired: [Endpoint]
    var owned: [RecordSet] = []
    /// Ids any record set of the zone references (default: those of `owned`).
    var referenced: Set<String>? = nil
    var observed: [HealthCheck] = []
    var expected: [String]
    var testDescription: String { id }
}

private let single = "HTTP 203.0.113.10:80 /healthz Host app.example.com"
private let foreignCheck = HealthCheck(id: "hand", callerReference: "console-2024-01-01", config: config())

@Suite struct HealthCheckPlannerTests {
    static let cases: [HealthCheckPlanCase] = [
        HealthCheckPlanCase(id: "create", desired: [endpoint()],
                            expected: ["app.example.com. A [hk] create new \(single)"]),
        HealthCheckPlanCase(id: "use what the record references", desired: [endpoint()], owned: [owned("c1")],
                            observed: [check("c1", config())],
                            expected: ["app.example.com. A [hk] use c1 \(single)"]),
        HealthCheckPlanCase(id: "adopt an unreferenced check of ours for the key", desired: [endpoint()],
                            observed: [check("c2", config())],
                            expected: ["app.example.com. A [hk] use c2 \(single)"]),
        HealthCheckPlanCase(id: "no adoption of a check another record set references", desired: [endpoint()],
                            referenced: ["c2"], observed: [check("c2", config())],
                            expected: ["app.example.com. A [hk] create new \(single)"]),
        HealthCheckPlanCase(id: "no adoption of different settings", desired: [endpoint()],
                            observed: [check("c2", config(spec: HealthCheckSpec(kind: .http, path: "/other")))],
                            expected: ["app.example.com. A [hk] create new \(single)"]),
        HealthCheckPlanCase(id: "no adoption across keys", desired: [endpoint()],
                            observed: [check("c2", config(), key: RecordKey(name: "app.example.com", type: .a, setIdentifier: "sg"))],
                            expected: ["app.example.com. A [hk] create new \(single)"]),
        HealthCheckPlanCase(id: "update in place: port and path", desired: [endpoint(spec: HealthCheckSpec(kind: .http, port: 8080, path: "/ready"))],
                            owned: [owned("c1")], observed: [check("c1", config(), version: 4)],
                            expected: ["app.example.com. A [hk] update c1 HTTP 203.0.113.10:8080 /ready Host app.example.com "
                                       + "(port 80 → 8080, path /healthz → /ready)"]),
        HealthCheckPlanCase(id: "target IP change is an update", desired: [endpoint(targets: ["203.0.113.99"])],
                            owned: [owned("c1")], observed: [check("c1", config())],
                            expected: ["app.example.com. A [hk] update c1 HTTP 203.0.113.99:80 /healthz Host app.example.com "
                                       + "(address 203.0.113.10 → 203.0.113.99)"]),
        HealthCheckPlanCase(id: "type change replaces", desired: [endpoint(spec: HealthCheckSpec(kind: .https, path: "/healthz"))],
                            owned: [owned("c1")], observed: [check("c1", config())],
                            expected: ["app.example.com. A [hk] create new HTTPS 203.0.113.10:443 /healthz Host app.example.com "
                                       + "(replaces c1: its type changes from HTTP to HTTPS)"]),
        HealthCheckPlanCase(id: "a search string changes the type", desired: [endpoint(spec: HealthCheckSpec(kind: .http, path: "/healthz", searchString: "ok"))],
                            owned: [owned("c1")], observed: [check("c1", config())],
                            expected: ["app.example.com. A [hk] create new HTTP_STR_MATCH 203.0.113.10:80 /healthz Host app.example.com "
                                       + "search \"ok\" (replaces c1: its type changes from HTTP to HTTP_STR_MATCH)"]),
        HealthCheckPlanCase(id: "interval change replaces", desired: [endpoint(spec: HealthCheckSpec(kind: .http, path: "/healthz", interval: 10))],
                            owned: [owned("c1")], observed: [check("c1", config())],
                            expected: ["app.example.com. A [hk] create new HTTP 203.0.113.10:80 /healthz Host app.example.com "
                                       + "every 10 s, 3 failures (replaces c1: its interval changes from 30 s to 10 s)"]),
        HealthCheckPlanCase(id: "several targets: children and a CALCULATED parent",
                            desired: [endpoint(targets: ["203.0.113.11", "203.0.113.10"])],
                            expected: ["app.example.com. A [hk] create new \(single)",
                                       "app.example.com. A [hk] create new HTTP 203.0.113.11:80 /healthz Host app.example.com",
                                       "app.example.com. A [hk] create new CALCULATED of its children, healthy while 1 is"]),
        HealthCheckPlanCase(id: "several targets, one address changes: that child is updated, the parent kept",
                            desired: [endpoint(targets: ["203.0.113.10", "203.0.113.12"])], owned: [owned("p")],
                            observed: [parent("p", children: ["k1", "k2"]), check("k1", config()), check("k2", config("203.0.113.11"))],
                            expected: ["app.example.com. A [hk] use k1 \(single)",
                                       "app.example.com. A [hk] update k2 HTTP 203.0.113.12:80 /healthz Host app.example.com "
                                       + "(address 203.0.113.11 → 203.0.113.12)",
                                       "app.example.com. A [hk] use p CALCULATED of 2 children, healthy while 1 is"]),
        HealthCheckPlanCase(id: "a third target: a new child and the parent updated",
                            desired: [endpoint(targets: ["203.0.113.10", "203.0.113.11", "203.0.113.12"])], owned: [owned("p")],
                            observed: [parent("p", children: ["k1", "k2"]), check("k1", config()), check("k2", config("203.0.113.11"))],
                            expected: ["app.example.com. A [hk] use k1 \(single)",
                                       "app.example.com. A [hk] use k2 HTTP 203.0.113.11:80 /healthz Host app.example.com",
                                       "app.example.com. A [hk] create new HTTP 203.0.113.12:80 /healthz Host app.example.com",
                                       "app.example.com. A [hk] update p CALCULATED of 2 children, healthy while 1 is (children)"]),
        HealthCheckPlanCase(id: "one target to two replaces the single check",
                            desired: [endpoint(targets: ["203.0.113.10", "203.0.113.11"])], owned: [owned("c1")],
                            observed: [check("c1", config())],
                            expected: ["app.example.com. A [hk] create new \(single)",
                                       "app.example.com. A [hk] create new HTTP 203.0.113.11:80 /healthz Host app.example.com",
                                       "app.example.com. A [hk] create new CALCULATED of its children, healthy while 1 is "
                                       + "(replaces c1: its type changes from HTTP to CALCULATED)"]),
        HealthCheckPlanCase(id: "a CNAME is probed by its target name",
                            desired: [endpoint("www.example.com", .cname, targets: ["lb.example.net"], set: nil)],
                            expected: ["www.example.com. CNAME create new HTTP lb.example.net:80 /healthz"]),
        HealthCheckPlanCase(id: "another owner's check the record references is not used",
                            desired: [endpoint()], owned: [owned("theirs")],
                            observed: [check("theirs", config(), checkOwner: "k3s-sg")],
                            expected: ["app.example.com. A [hk] create new \(single)"]),
        HealthCheckPlanCase(id: "a check with an unparseable reference is not used or adopted",
                            desired: [endpoint()], owned: [owned("hand")], observed: [foreignCheck],
                            expected: ["app.example.com. A [hk] create new \(single)"]),
        HealthCheckPlanCase(id: "a check of ours for another zone is not adopted",
                            desired: [endpoint()], observed: [check("c9", config(), zoneID: "ZOTHER")],
                            expected: ["app.example.com. A [hk] create new \(single)"]),
        HealthCheckPlanCase(id: "private IP refused", desired: [endpoint(targets: ["10.0.0.5"])],
                            expected: ["refused app.example.com. A [hk]: app.example.com. A [hk] cannot have its health check: "
                                       + "10.0.0.5 is a private address (RFC 1918, 10.0.0.0/8): Route53's health checkers probe "
                                       + "from the internet and cannot reach it; publish the public address (for example with "
                                       + "default-targets) or remove health-check"]),
        HealthCheckPlanCase(id: "host with a CNAME refused",
                            desired: [endpoint("www.example.com", .cname, targets: ["lb.example.net"], set: nil,
                                               spec: HealthCheckSpec(kind: .http, host: "app.example.com"))],
                            expected: ["refused www.example.com. CNAME: www.example.com. CNAME cannot have its health check: "
                                       + "health-check-host applies to A and AAAA records only: a CNAME or alias is probed by "
                                       + "its target name, which is also the Host header; remove health-check-host"]),
        HealthCheckPlanCase(id: "a managed check and aws-health-check-id refused", desired: [endpoint(healthCheckID: "x")],
                            expected: ["refused app.example.com. A [hk]: app.example.com. A [hk] cannot have its health check: "
                                       + "it has both a managed health-check and aws-health-check-id; pick one"]),
        HealthCheckPlanCase(id: "endpoints without a spec are ignored", desired: [endpoint(spec: nil)], owned: [owned("c1")],
                            observed: [check("c1", config())], expected: []),
    ]

    @Test(arguments: cases)
    func plan(_ row: HealthCheckPlanCase) {
        let planner = HealthCheckPlanner(ownerID: owner, zone: zone, now: now)
        let plan = planner.plan(desired: row.desired, owned: row.owned,
                                referenced: row.referenced ?? Set(row.owned.compactMap(\.healthCheckID)), observed: row.observed)
        #expect(render(plan) == row.expected)
    }

    @Test func createsCarryAReferenceOfThisOwnerZoneAndKey() throws {
        let plan = HealthCheckPlanner(ownerID: owner, zone: zone, now: now).plan(desired: [endpoint()], owned: [],
                                                                                 referenced: [], observed: [])
        let text = try #require(plan.work.first?.root.callerReference)
        let reference = try #require(HealthCheckReference(parsing: text))
        // SHA-256 prefixes computed independently (hashlib).
        #expect(reference.owner == "2a87ff6a")
        #expect(reference.zone == "8a3c4b")
        #expect(reference.key == "054fcbe7cd")
        #expect(reference.created == "t85s00")
        #expect(text.utf8.count <= 64)
        #expect(text.hasPrefix("dnsr1-2a87ff6a-8a3c4b-054fcbe7cd-"))
    }

    @Test func childrenAndParentHaveDistinctReferences() {
        let plan = HealthCheckPlanner(ownerID: owner, zone: zone, now: now)
            .plan(desired: [endpoint(targets: ["203.0.113.10", "203.0.113.11"])], owned: [], referenced: [], observed: [])
        let references = plan.work.flatMap(\.steps).compactMap(\.callerReference)
        #expect(references.count == 3)
        #expect(Set(references).count == 3)
    }

    @Test func theEndpointThatMatchesKeepsItsCheckWhenTwoWantOneKey() {
        let other = endpoint(spec: HealthCheckSpec(kind: .http, path: "/other"))
        let plan = HealthCheckPlanner(ownerID: owner, zone: zone, now: now)
            .plan(desired: [other, endpoint()], owned: [owned("c1")], referenced: ["c1"], observed: [check("c1", config())])
        // The one whose settings are c1's uses it; the other gets its own, c1 is never updated.
        #expect(plan.work.map(\.root.action) == [.create, .use] || plan.work.map(\.root.action) == [.use, .create])
        #expect(plan.work.first { $0.root.action == .use }?.index == 1)
        #expect(!plan.work.flatMap(\.steps).contains { $0.action == .update })
    }

    // MARK: Deletions

    struct DeletionCase: CustomTestStringConvertible, Sendable {
        var id: String
        var observed: [HealthCheck]
        var referenced: Set<String> = []
        var resolved: Set<String> = []
        var takenOff: Set<String>? = nil
        var expected: [String]
        var testDescription: String { id }
    }

    static let deletionCases: [DeletionCase] = [
        DeletionCase(id: "cleanup after the record goes", observed: [check("c1", config())], expected: ["c1"]),
        DeletionCase(id: "no cleanup of a referenced check", observed: [check("c1", config())], referenced: ["c1"],
                     expected: []),
        DeletionCase(id: "no cleanup of what this pass resolved", observed: [check("c1", config())], resolved: ["c1"],
                     expected: []),
        DeletionCase(id: "children of a referenced parent stay",
                     observed: [parent("p", children: ["k1", "k2"]), check("k1", config()), check("k2", config("203.0.113.11"))],
                     referenced: ["p"], expected: []),
        DeletionCase(id: "parents before children",
                     observed: [check("a1", config()), check("k2", config("203.0.113.11")), parent("z", children: ["a1", "k2"])],
                     expected: ["z", "a1", "k2"]),
        DeletionCase(id: "a child dropped from a referenced parent goes",
                     observed: [parent("p", children: ["k1"]), check("k1", config()), check("k2", config("203.0.113.11"))],
                     referenced: ["p"], expected: ["k2"]),
        DeletionCase(id: "other owner's checks never touched",
                     observed: [check("theirs", config(), checkOwner: "k3s-sg"), check("c1", config())], expected: ["c1"]),
        DeletionCase(id: "unparseable references never touched", observed: [foreignCheck], expected: []),
        DeletionCase(id: "checks of ours for another zone never touched",
                     observed: [check("c9", config(), zoneID: "ZOTHER")], expected: []),
        DeletionCase(id: "subtree: only what a change took off",
                     observed: [check("c1", config()), check("c2", config("203.0.113.11"))], takenOff: ["c2"],
                     expected: ["c2"]),
        DeletionCase(id: "subtree: a parent taken off takes its children",
                     observed: [parent("p", children: ["k1"]), check("k1", config()), check("c2", config("203.0.113.11"))],
                     takenOff: ["p"], expected: ["p", "k1"]),
        DeletionCase(id: "subtree: taken off but referenced again stays", observed: [check("c1", config())],
                     referenced: ["c1"], takenOff: ["c1"], expected: []),
    ]

    @Test(arguments: deletionCases)
    func deletions(_ row: DeletionCase) {
        let planner = HealthCheckPlanner(ownerID: owner, zone: zone, now: now)
        let gone = planner.deletions(observed: row.observed, referenced: row.referenced, resolved: row.resolved,
                                     takenOff: row.takenOff)
        #expect(gone.map(\.id) == row.expected)
    }
}
