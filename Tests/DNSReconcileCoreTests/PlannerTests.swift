import Testing
import DNSReconcileCore

/// A registry with a predictable companion: TXT `c-<name>` (same set identifier and routing)
/// whose value names the resource; it refuses names that contain `long`, as a registry refuses
/// a companion label over 63 bytes.
private struct PlannerTestRegistry: Registry {
    func inventory(of recordSets: [RecordSet], in zone: HostedZone) -> ZoneInventory {
        ZoneInventory(zone: zone, records: recordSets.map { OwnedRecordSet(record: $0, owner: .none) }, registryTXTs: [])
    }

    func companion(for record: RecordSet, resource: String?, existing: OwnedRecordSet?,
                   inventory: ZoneInventory) throws(DNSReconcileError) -> RecordSet? {
        if record.name.value.contains("long") {
            throw DNSReconcileError(.registry, "the ownership TXT name for \(record.key) has a label over 63 bytes")
        }
        return PlannerTestRegistry.companion(of: record, resource: resource)
    }

    static func companion(of record: RecordSet, resource: String? = nil) -> RecordSet {
        RecordSet(name: DNSName("c-" + record.name.value), type: .txt, setIdentifier: record.setIdentifier,
                  routing: record.routing, ttl: 300, values: ["\"owner=me,resource=\(resource ?? "")\""],
                  healthCheckID: record.healthCheckID)
    }
}

private let zone = HostedZone(id: "Z1EXAMPLE", name: "example.com")

private func record(_ name: String, _ type: RecordType = .a, _ values: [String], ttl: Int? = 300, set: String? = nil,
                    routing: RoutingPolicy = .simple, alias: AliasTarget? = nil) -> RecordSet {
    RecordSet(name: DNSName(name), type: type, setIdentifier: set, routing: routing, ttl: alias == nil ? ttl : nil,
              values: alias == nil ? values : [], alias: alias)
}

/// A record set of ours, with the companion the test registry writes for it.
private func ours(_ set: RecordSet, resource: String? = nil, companions: [RecordSet]? = nil) -> OwnedRecordSet {
    OwnedRecordSet(record: set, owner: .this, labels: resource.map { ["owner": "me", "resource": $0] } ?? ["owner": "me"],
                   companions: companions ?? [PlannerTestRegistry.companion(of: set, resource: resource)])
}

private func endpoint(_ name: String, _ type: RecordType = .a, _ targets: [String], ttl: Int? = nil, set: String? = nil,
                      routing: RoutingPolicy = .simple, alias: AliasOptions? = nil, resource: String? = nil) -> Endpoint {
    Endpoint(name: DNSName(name), type: type, targets: targets, ttl: ttl, setIdentifier: set, routing: routing,
             alias: alias, resource: resource, origin: DNSReconcileCore.SourceLocation(file: "conf.d/test.ini", line: 1))
}

/// One line per Route53 change, then one per notice: what the decision table promises.
private func render(_ plan: ZonePlan) -> [String] {
    plan.changes.flatMap { $0.changes.map(render) } + plan.notices.map { "\($0.kind.rawValue) \($0.key)" }
}

private func render(_ change: Change) -> String {
    let set = change.recordSet
    var line = "\(change.action.rawValue) \(set.name) \(set.type)"
    if let id = set.setIdentifier { line += " [\(id)]" }
    if set.type == .txt { return line }
    if let alias = set.alias { return line + " alias \(alias.dnsName) \(alias.hostedZoneID) \(alias.evaluateTargetHealth)" }
    return line + " ttl=\(set.ttl.map(String.init) ?? "-") " + set.values.joined(separator: ",")
}

private func plan(_ desired: [Endpoint], current: [OwnedRecordSet] = [], registryTXTs: [RecordSet] = [],
                  held: Set<DNSName> = [], policy: Policy = .sync, registry: Registry = PlannerTestRegistry()) -> ZonePlan {
    Planner(policy: policy, managedTypes: [.a, .aaaa, .cname], registry: registry)
        .plan(desired: desired, held: held, inventory: ZoneInventory(zone: zone, records: current, registryTXTs: registryTXTs))
}

/// A row of the decision table in `Planner`'s doc comment.
struct PlannerCase: Sendable, CustomTestStringConvertible {
    var id: String
    var desired: [Endpoint] = []
    var current: [OwnedRecordSet] = []
    var registryTXTs: [RecordSet] = []
    var held: Set<DNSName> = []
    var policy: Policy = .sync
    var expected: [String]
    var testDescription: String { id }
}

private let www = record("www.example.com", .a, ["192.0.2.1"])
private let wwwTTL60 = record("www.example.com", .a, ["192.0.2.1"], ttl: 60)
private let elb = AliasTarget(hostedZoneID: "Z35SXDOTRQ7X7K", dnsName: "lb-1.eu-west-1.elb.amazonaws.com",
                              evaluateTargetHealth: true)
private let legacyCompanion = RecordSet(name: "www.example.com", type: .txt, ttl: 300,
                                        values: ["\"heritage=external-dns,external-dns/owner=me\""])

private let plannerDecisionTable: [PlannerCase] = [
    PlannerCase(id: "create", desired: [endpoint("www.example.com", .a, ["192.0.2.1"])],
                expected: ["CREATE www.example.com A ttl=300 192.0.2.1", "CREATE c-www.example.com TXT"]),
    PlannerCase(id: "create-companion-exists-upserts", desired: [endpoint("www.example.com", .a, ["192.0.2.1"])],
                registryTXTs: [PlannerTestRegistry.companion(of: www)],
                expected: ["UPSERT c-www.example.com TXT", "CREATE www.example.com A ttl=300 192.0.2.1"]),
    PlannerCase(id: "no-op", desired: [endpoint("www.example.com", .a, ["192.0.2.1"])], current: [ours(www)],
                expected: []),
    PlannerCase(id: "no-op-values-as-set",
                desired: [endpoint("www.example.com", .a, ["192.0.2.2", "192.0.2.1"])],
                current: [ours(record("www.example.com", .a, ["192.0.2.1", "192.0.2.2"]))], expected: []),
    PlannerCase(id: "no-op-ipv6-normalised", desired: [endpoint("www.example.com", .aaaa, ["2001:DB8::1"])],
                current: [ours(record("www.example.com", .aaaa, ["2001:db8:0:0:0:0:0:1"]))], expected: []),
    PlannerCase(id: "no-op-cname-trailing-dot-and-case", desired: [endpoint("www.example.com", .cname, ["LB.Example.NET."])],
                current: [ours(record("www.example.com", .cname, ["lb.example.net"]))], expected: []),
    PlannerCase(id: "no-op-alias", desired: [endpoint("www.example.com", .a, ["LB-1.eu-west-1.elb.amazonaws.com."],
                                                      alias: AliasOptions(targetHostedZoneID: "Z35SXDOTRQ7X7K"))],
                current: [ours(record("www.example.com", .a, [], alias: elb))], expected: []),
    PlannerCase(id: "update-values", desired: [endpoint("www.example.com", .a, ["192.0.2.2"])], current: [ours(www)],
                expected: ["UPSERT www.example.com A ttl=300 192.0.2.2"]),
    PlannerCase(id: "update-ttl", desired: [endpoint("www.example.com", .a, ["192.0.2.1"], ttl: 60)], current: [ours(www)],
                expected: ["UPSERT www.example.com A ttl=60 192.0.2.1"]),
    PlannerCase(id: "ttl-unset-keeps", desired: [endpoint("www.example.com", .a, ["192.0.2.1"])], current: [ours(wwwTTL60)],
                expected: []),
    PlannerCase(id: "ttl-unset-keeps-on-update", desired: [endpoint("www.example.com", .a, ["192.0.2.9"])],
                current: [ours(wwwTTL60)], expected: ["UPSERT www.example.com A ttl=60 192.0.2.9"]),
    PlannerCase(id: "update-rewrites-changed-companion",
                desired: [endpoint("www.example.com", .a, ["192.0.2.2"], resource: "service/web/b")],
                current: [ours(www, resource: "service/web/a")],
                expected: ["UPSERT www.example.com A ttl=300 192.0.2.2", "UPSERT c-www.example.com TXT"]),
    PlannerCase(id: "companion-rewrite-legacy-only", desired: [endpoint("www.example.com", .a, ["192.0.2.1"])],
                current: [ours(www, companions: [legacyCompanion])], expected: ["UPSERT c-www.example.com TXT"]),
    PlannerCase(id: "routing-change-delete-create",
                desired: [endpoint("www.example.com", .a, ["192.0.2.1"], set: "eu", routing: .latency(region: "eu-west-1"))],
                current: [ours(record("www.example.com", .a, ["192.0.2.1"], set: "eu", routing: .weighted(weight: 10)))],
                expected: ["DELETE www.example.com A [eu] ttl=300 192.0.2.1", "DELETE c-www.example.com TXT [eu]",
                           "CREATE www.example.com A [eu] ttl=300 192.0.2.1", "CREATE c-www.example.com TXT [eu]"]),
    PlannerCase(id: "simple-to-weighted-delete-create",
                desired: [endpoint("www.example.com", .a, ["192.0.2.1"], set: "w1", routing: .weighted(weight: 10))],
                current: [ours(www)],
                expected: ["DELETE www.example.com A ttl=300 192.0.2.1", "DELETE c-www.example.com TXT",
                           "CREATE www.example.com A [w1] ttl=300 192.0.2.1", "CREATE c-www.example.com TXT [w1]"]),
    PlannerCase(id: "alias-toggle",
                desired: [endpoint("www.example.com", .a, ["lb-1.eu-west-1.elb.amazonaws.com"],
                                   alias: AliasOptions(targetHostedZoneID: "Z35SXDOTRQ7X7K"))],
                current: [ours(www)],
                expected: ["DELETE www.example.com A ttl=300 192.0.2.1", "DELETE c-www.example.com TXT",
                           "CREATE www.example.com A alias lb-1.eu-west-1.elb.amazonaws.com Z35SXDOTRQ7X7K true",
                           "CREATE c-www.example.com TXT"]),
    PlannerCase(id: "foreign-conflict", desired: [endpoint("www.example.com", .a, ["192.0.2.2"])],
                current: [OwnedRecordSet(record: www, owner: .other("cluster-b"))],
                expected: ["conflict www.example.com. A"]),
    PlannerCase(id: "unowned-conflict", desired: [endpoint("www.example.com", .a, ["192.0.2.2"])],
                current: [OwnedRecordSet(record: www, owner: .none)], expected: ["conflict www.example.com. A"]),
    PlannerCase(id: "foreign-not-desired-untouched", current: [OwnedRecordSet(record: www, owner: .other("cluster-b")),
                                                               OwnedRecordSet(record: record("api.example.com", .a, ["192.0.2.7"]), owner: .none)],
                expected: []),
    PlannerCase(id: "delete-owned-with-every-observed-companion",
                current: [ours(www, companions: [PlannerTestRegistry.companion(of: www), legacyCompanion])],
                expected: ["DELETE www.example.com A ttl=300 192.0.2.1", "DELETE c-www.example.com TXT",
                           "DELETE www.example.com TXT"]),
    PlannerCase(id: "held", current: [ours(www)], held: ["www.example.com"], expected: ["held www.example.com. A"]),
    PlannerCase(id: "held-no-update", desired: [endpoint("www.example.com", .a, ["192.0.2.2"])], current: [ours(www)],
                held: ["www.example.com"], expected: ["held www.example.com. A"]),
    PlannerCase(id: "companion-refused", desired: [endpoint("long.example.com", .a, ["192.0.2.1"])],
                expected: ["no-companion long.example.com. A"]),
    PlannerCase(id: "cname-beside-foreign-a", desired: [endpoint("www.example.com", .cname, ["lb.example.net"])],
                current: [OwnedRecordSet(record: www, owner: .other("cluster-b"))],
                expected: ["conflict www.example.com. CNAME"]),
    PlannerCase(id: "cname-beside-unmanaged-mx", desired: [endpoint("www.example.com", .cname, ["lb.example.net"])],
                current: [OwnedRecordSet(record: record("www.example.com", .mx, ["10 mail.example.com"]), owner: .none)],
                expected: ["conflict www.example.com. CNAME"]),
    PlannerCase(id: "a-beside-unmanaged-mx", desired: [endpoint("www.example.com", .a, ["192.0.2.1"])],
                current: [OwnedRecordSet(record: record("www.example.com", .mx, ["10 mail.example.com"]), owner: .none)],
                expected: ["CREATE www.example.com A ttl=300 192.0.2.1", "CREATE c-www.example.com TXT"]),
    PlannerCase(id: "aaaa-beside-foreign-a-same-row", desired: [endpoint("www.example.com", .aaaa, ["2001:db8::1"])],
                current: [OwnedRecordSet(record: www, owner: .other("cluster-b"))],
                expected: ["conflict www.example.com. AAAA"]),
    PlannerCase(id: "weighted-beside-foreign-weighted",
                desired: [endpoint("www.example.com", .a, ["192.0.2.1"], set: "hk", routing: .weighted(weight: 1))],
                current: [OwnedRecordSet(record: record("www.example.com", .a, ["192.0.2.9"], set: "sg", routing: .weighted(weight: 1)),
                                         owner: .other("cluster-b"))],
                expected: ["CREATE www.example.com A [hk] ttl=300 192.0.2.1", "CREATE c-www.example.com TXT [hk]"]),
    PlannerCase(id: "simple-beside-foreign-weighted",
                desired: [endpoint("www.example.com", .a, ["192.0.2.1"])],
                current: [OwnedRecordSet(record: record("www.example.com", .a, ["192.0.2.9"], set: "sg", routing: .weighted(weight: 1)),
                                         owner: .other("cluster-b"))],
                expected: ["conflict www.example.com. A"]),
    PlannerCase(id: "cname-replaces-own-a", desired: [endpoint("www.example.com", .cname, ["lb.example.net"])],
                current: [ours(www)],
                expected: ["DELETE www.example.com A ttl=300 192.0.2.1", "DELETE c-www.example.com TXT",
                           "CREATE www.example.com CNAME ttl=300 lb.example.net", "CREATE c-www.example.com TXT"]),
    PlannerCase(id: "upsert-only-keeps-deletes", current: [ours(www)], policy: .upsertOnly,
                expected: ["policy www.example.com. A"]),
    PlannerCase(id: "upsert-only-refuses-replacement",
                desired: [endpoint("www.example.com", .a, ["lb-1.eu-west-1.elb.amazonaws.com"],
                                   alias: AliasOptions(targetHostedZoneID: "Z35SXDOTRQ7X7K"))],
                current: [ours(www)], policy: .upsertOnly, expected: ["policy www.example.com. A"]),
    PlannerCase(id: "upsert-only-refuses-create-that-needs-a-delete",
                desired: [endpoint("www.example.com", .cname, ["lb.example.net"])], current: [ours(www)],
                policy: .upsertOnly, expected: ["policy www.example.com. A", "policy www.example.com. CNAME"]),
    PlannerCase(id: "upsert-only-updates", desired: [endpoint("www.example.com", .a, ["192.0.2.2"])], current: [ours(www)],
                policy: .upsertOnly, expected: ["UPSERT www.example.com A ttl=300 192.0.2.2"]),
    PlannerCase(id: "create-only",
                desired: [endpoint("www.example.com", .a, ["192.0.2.2"]), endpoint("new.example.com", .a, ["192.0.2.3"])],
                current: [ours(www), ours(record("old.example.com", .a, ["192.0.2.4"]))], policy: .createOnly,
                expected: ["CREATE new.example.com A ttl=300 192.0.2.3", "CREATE c-new.example.com TXT",
                           "policy old.example.com. A", "policy www.example.com. A"]),
    PlannerCase(id: "duplicate-desired-fewest-targets",
                desired: [endpoint("www.example.com", .a, ["192.0.2.5", "192.0.2.6"], resource: "service/web/b"),
                          endpoint("www.example.com", .a, ["192.0.2.7"], resource: "service/web/a")],
                expected: ["CREATE www.example.com A ttl=300 192.0.2.7", "CREATE c-www.example.com TXT",
                           "conflict www.example.com. A"]),
    PlannerCase(id: "duplicate-desired-current-owner-keeps",
                desired: [endpoint("www.example.com", .a, ["192.0.2.7"], resource: "service/web/a"),
                          endpoint("www.example.com", .a, ["192.0.2.1", "192.0.2.2"], resource: "service/web/b")],
                current: [ours(record("www.example.com", .a, ["192.0.2.1", "192.0.2.2"]), resource: "service/web/b")],
                expected: ["conflict www.example.com. A"]),
    PlannerCase(id: "mixed-cname-and-a-drops-cname",
                desired: [endpoint("www.example.com", .cname, ["lb.example.net"]), endpoint("www.example.com", .a, ["192.0.2.1"])],
                expected: ["CREATE www.example.com A ttl=300 192.0.2.1", "CREATE c-www.example.com TXT",
                           "conflict www.example.com. CNAME"]),
    PlannerCase(id: "invalid-desired-holds-the-name", desired: [endpoint("www.example.com", .a, ["300.1.2.3"])],
                current: [ours(www)], expected: ["invalid www.example.com. A", "held www.example.com. A"]),
    PlannerCase(id: "unmanaged-type-invisible", desired: [endpoint("www.example.com", .mx, ["10 mail.example.com"])],
                current: [ours(record("mail.example.com", .mx, ["10 mx.example.net"]))], expected: []),
]

@Suite struct PlannerTests {
    @Test(arguments: plannerDecisionTable)
    func decisionTable(_ row: PlannerCase) {
        let result = plan(row.desired, current: row.current, registryTXTs: row.registryTXTs, held: row.held, policy: row.policy)
        #expect(render(result) == row.expected)
    }

    @Test func conflictMessagesNameTheOwner() {
        let foreign = plan([endpoint("www.example.com", .cname, ["lb.example.net"])],
                           current: [OwnedRecordSet(record: www, owner: .other("cluster-b"))])
        #expect(foreign.notices.map(\.message) == ["www.example.com. CNAME cannot be created: www.example.com. A is owned by cluster-b"])
        #expect(foreign.notices.first?.location == DNSReconcileCore.SourceLocation(file: "conf.d/test.ini", line: 1))
        let unowned = plan([endpoint("www.example.com", .a, ["192.0.2.2"])], current: [OwnedRecordSet(record: www, owner: .none)])
        #expect(unowned.notices.first?.message.contains("not managed by any owner: add a companion or remove it by hand") == true)
    }

    @Test func deleteEchoesObservedSetsByteForByte() {
        let observed = RecordSet(name: "www.example.com", type: .a, ttl: 42, values: ["192.0.2.1", "192.0.2.2"],
                                 healthCheckID: "hc-1")
        let oddCompanion = RecordSet(name: "c-www.example.com", type: .txt, ttl: 77, values: ["\"something old\""])
        let result = plan([], current: [ours(observed, companions: [oddCompanion])])
        #expect(result.changes.count == 1)
        #expect(result.changes[0].action == .delete)
        #expect(result.changes[0].changes == [Change(.delete, observed), Change(.delete, oddCompanion)])
        #expect(result.changes[0].old == observed)
    }

    @Test func replacementIsOneChangeOrderedDeleteFirstWithReason() {
        let current = record("www.example.com", .a, ["192.0.2.1"], set: "eu", routing: .weighted(weight: 10))
        let result = plan([endpoint("www.example.com", .a, ["192.0.2.1"], set: "eu", routing: .latency(region: "eu-west-1"))],
                          current: [ours(current)])
        #expect(result.changes.count == 1)
        let change = result.changes[0]
        #expect(change.action == .update)
        #expect(change.reason == "routing policy changes from weighted to latency: delete and create in one batch")
        #expect(change.changes.map(\.action) == [.delete, .delete, .create, .create])
    }

    @Test func createThatNeedsADeleteSaysWhatItReplaces() {
        let result = plan([endpoint("www.example.com", .cname, ["lb.example.net"])], current: [ours(www)])
        #expect(result.changes.map(\.action) == [.delete, .create])
        #expect(result.changes[1].reason == "replaces www.example.com. A (a CNAME shares its name with no other record set): "
                    + "delete and create in one batch")
    }

    @Test func companionRewriteIsAnUpdateWithItsReason() {
        let result = plan([endpoint("www.example.com", .a, ["192.0.2.1"])], current: [ours(www, companions: [legacyCompanion])])
        #expect(result.changes.map(\.action) == [.update])
        #expect(result.changes[0].reason == "ownership record rewritten in the current format")
        #expect(result.changes[0].old == result.changes[0].new)
    }

    @Test func aliasDefaultsToTheZoneAndTheConfiguredHealthDefault() {
        let planner = Planner(policy: .sync, managedTypes: [.a], registry: PlannerTestRegistry(),
                              evaluateTargetHealthDefault: false)
        let result = planner.plan(desired: [endpoint("www.example.com", .a, ["app.example.com"], ttl: 60, alias: AliasOptions())],
                                  held: [], inventory: ZoneInventory(zone: zone, records: [], registryTXTs: []))
        let created = result.changes.first?.new
        #expect(created?.alias == AliasTarget(hostedZoneID: "Z1EXAMPLE", dnsName: "app.example.com", evaluateTargetHealth: false))
        #expect(created?.ttl == nil)
        #expect(created?.values == [])
    }

    @Test func invalidDesiredIsReportedWithRoute53WordingAndLocation() {
        let result = plan([endpoint("www.example.com", .a, ["300.1.2.3"])])
        #expect(result.changes.isEmpty)
        #expect(result.notices.count == 1)
        #expect(result.notices[0].kind == .invalid)
        #expect(result.notices[0].message.contains("ARRDATAIllegalIPv4Address"))
        #expect(result.notices[0].location == DNSReconcileCore.SourceLocation(file: "conf.d/test.ini", line: 1))
    }

    @Test func cnameAtApexIsInvalid() {
        let result = plan([endpoint("example.com", .cname, ["lb.example.net"])])
        #expect(result.changes.isEmpty)
        #expect(result.notices.map(\.kind) == [.invalid])
        #expect(result.notices.first?.message.contains("is not permitted at apex") == true)
    }

    @Test func domainFilterHidesNamesOnBothSides() {
        let planner = Planner(policy: .sync, registry: PlannerTestRegistry(),
                              domainFilter: DomainFilter(["example.com"], exclude: ["internal.example.com"]))
        let result = planner.plan(
            desired: [endpoint("db.internal.example.com", .a, ["192.0.2.1"]), endpoint("web.example.com", .a, ["192.0.2.2"])],
            held: [],
            inventory: ZoneInventory(zone: zone, records: [ours(record("old.internal.example.com", .a, ["192.0.2.3"]))],
                                     registryTXTs: []))
        #expect(render(result) == ["CREATE web.example.com A ttl=300 192.0.2.2", "CREATE c-web.example.com TXT"])
    }

    @Test func duplicateDesiredChoiceIgnoresSourceOrder() {
        let first = endpoint("www.example.com", .a, ["192.0.2.9"], resource: "service/web/a")
        let second = endpoint("www.example.com", .a, ["192.0.2.1"], resource: "service/web/b")
        let forward = plan([first, second]), backward = plan([second, first])
        #expect(forward == backward)
        #expect(forward.changes.first?.new?.values == ["192.0.2.1"])
    }

    @Test func sharedCompanionIsDeletedOnceAndOnlyWhenNothingElseNeedsIt() {
        let a = record("www.example.com", .a, ["192.0.2.1"], set: "one", routing: .weighted(weight: 1))
        let b = record("www.example.com", .a, ["192.0.2.2"], set: "two", routing: .weighted(weight: 1))
        let shared = RecordSet(name: "www.example.com", type: .txt, ttl: 300, values: ["\"heritage=external-dns\""])
        let both = plan([], current: [ours(a, companions: [shared]), ours(b, companions: [shared])])
        #expect(both.changes.flatMap(\.changes).filter { $0.recordSet == shared }.count == 1)
        let one = plan([endpoint("www.example.com", .a, ["192.0.2.2"], set: "two", routing: .weighted(weight: 1))],
                       current: [ours(a, companions: [shared]), ours(b, companions: [shared, PlannerTestRegistry.companion(of: b)])])
        #expect(render(one) == ["DELETE www.example.com A [one] ttl=300 192.0.2.1"])
    }

    @Test func twoNamesMappingToOneCompanionAreRefused() {
        struct Collapsing: Registry {
            func inventory(of recordSets: [RecordSet], in zone: HostedZone) -> ZoneInventory {
                ZoneInventory(zone: zone, records: [], registryTXTs: [])
            }
            func companion(for record: RecordSet, resource: String?, existing: OwnedRecordSet?,
                           inventory: ZoneInventory) throws(DNSReconcileError) -> RecordSet? {
                RecordSet(name: "a-wild.example.com", type: .txt, ttl: 300, values: ["\"owner=me\""])
            }
        }
        let result = plan([endpoint("*.example.com", .a, ["192.0.2.1"]), endpoint("wild.example.com", .a, ["192.0.2.2"])],
                          registry: Collapsing())
        #expect(result.changes.count == 1)
        #expect(result.notices.map(\.kind) == [.noCompanion])
    }

    @Test func noopRegistryOwnsEverythingAndWritesNoCompanions() {
        let foreignLooking = record("api.example.com", .a, ["192.0.2.7"])
        let result = plan([endpoint("www.example.com", .a, ["192.0.2.1"])],
                          current: [OwnedRecordSet(record: foreignLooking, owner: .this)], registry: NoopRegistry())
        #expect(render(result) == ["DELETE api.example.com A ttl=300 192.0.2.7", "CREATE www.example.com A ttl=300 192.0.2.1"])
    }

    @Test func unchangedLargeZonePlansNothing() {
        let sets = (0..<3000).map { record("host\($0).example.com", .a, ["192.0.2.\($0 % 250 + 1)"]) }
        let desired = (0..<3000).map { endpoint("host\($0).example.com", .a, ["192.0.2.\($0 % 250 + 1)"]) }
        let result = plan(desired, current: sets.map { ours($0) })
        #expect(result.changes.isEmpty)
        #expect(result.notices.isEmpty)
    }

    @Test func heldNameBlocksACreateThatNeedsItsDelete() {
        let result = plan([endpoint("www.example.com", .cname, ["lb.example.net"])], current: [ours(www)],
                          held: ["www.example.com"])
        #expect(render(result) == ["held www.example.com. A", "held www.example.com. CNAME"])
    }

    @Test func blockedReplacementKeepsTheOldSetAndItsSiblings() {
        // "one" switches to latency but a foreign weighted "three" keeps weighted alive at the
        // name, so "one" stays as it is; "two" (also switching) then clashes with "one".
        let one = record("www.example.com", .a, ["192.0.2.1"], set: "one", routing: .weighted(weight: 1))
        let two = record("www.example.com", .a, ["192.0.2.2"], set: "two", routing: .weighted(weight: 1))
        let three = record("www.example.com", .a, ["192.0.2.3"], set: "three", routing: .weighted(weight: 1))
        let result = plan([endpoint("www.example.com", .a, ["192.0.2.1"], set: "one", routing: .latency(region: "eu-west-1")),
                           endpoint("www.example.com", .a, ["192.0.2.2"], set: "two", routing: .latency(region: "us-east-1"))],
                          current: [ours(one), ours(two), OwnedRecordSet(record: three, owner: .other("cluster-b"))])
        #expect(result.changes.isEmpty)
        #expect(result.notices.map(\.kind) == [.conflict, .conflict])
    }
}

/// The planner with the real TXT registry: companions ExternalDNS would write, read back.
@Suite struct PlannerTXTRegistryTests {
    let registry = TXTRegistry(ownerID: "rke2", managedTypes: [.a, .aaaa, .cname])

    func pass(_ desired: [Endpoint], zoneSets: [RecordSet], policy: Policy = .sync) -> ZonePlan {
        Planner(policy: policy, managedTypes: [.a, .aaaa, .cname], registry: registry)
            .plan(desired: desired, held: [], inventory: registry.inventory(of: zoneSets, in: zone))
    }

    /// What Route53 holds after applying `plan` to `sets`.
    func apply(_ plan: ZonePlan, to sets: [RecordSet]) -> [RecordSet] {
        var result = sets
        for change in plan.changes.flatMap(\.changes) {
            switch change.action {
            case .delete: result.removeAll { $0 == change.recordSet }
            case .create, .upsert:
                result.removeAll { $0.key == change.recordSet.key }
                result.append(change.recordSet)
            }
        }
        return result
    }

    /// Two names whose companions map to one TXT name (here by wildcard replacement): the first
    /// in listing order writes it, the other is not created and names the first.
    @Test func twoNamesForOneCompanionNameCreateOnlyTheFirst() {
        let registry = TXTRegistry(ownerID: "rke2", wildcardReplacement: "any", managedTypes: [.a, .aaaa, .cname])
        let desired = [endpoint("any.zz.example.com", .a, ["192.0.2.2"]), endpoint("*.zz.example.com", .a, ["192.0.2.1"]),
                       endpoint("www.example.com", .a, ["192.0.2.3"])]
        let plan = Planner(policy: .sync, managedTypes: [.a, .aaaa, .cname], registry: registry)
            .plan(desired: desired, held: [], inventory: registry.inventory(of: [], in: zone))
        #expect(plan.changes.map(\.key.name.value) == ["www.example.com", "*.zz.example.com"])
        #expect(plan.changes.last?.changes.map(\.recordSet.name.value) == ["*.zz.example.com", "a-any.zz.example.com"])
        #expect(plan.notices.map(\.kind) == [.noCompanion])
        #expect(plan.notices.first?.key.name.value == "any.zz.example.com")
        let message = plan.notices.first?.message ?? ""
        #expect(message.contains("already written for *.zz.example.com. A"), "\(message)")
    }

    @Test func firstPassCreatesRecordAndTypedCompanionSecondPassIsEmpty() {
        let desired = [endpoint("www.example.com", .a, ["192.0.2.1"], resource: "service/web/www")]
        let first = pass(desired, zoneSets: [])
        #expect(render(first) == ["CREATE www.example.com A ttl=300 192.0.2.1", "CREATE a-www.example.com TXT"])
        let companion = first.changes[0].changes[1].recordSet
        #expect(companion.values == ["\"heritage=external-dns,external-dns/owner=rke2,external-dns/resource=service/web/www\""])
        let second = pass(desired, zoneSets: apply(first, to: []))
        #expect(second.changes.isEmpty)
        #expect(second.notices.isEmpty)
    }

    @Test func removedEndpointIsDeletedWithItsCompanion() {
        let desired = [endpoint("www.example.com", .a, ["192.0.2.1"])]
        let zoneSets = apply(pass(desired, zoneSets: []), to: [])
        let removal = pass([], zoneSets: zoneSets)
        #expect(render(removal) == ["DELETE www.example.com A ttl=300 192.0.2.1", "DELETE a-www.example.com TXT"])
        #expect(apply(removal, to: zoneSets).isEmpty)
    }

    @Test func anotherOwnersRecordIsAConflictAndLeftAlone() {
        let foreign = [www, RecordSet(name: "a-www.example.com", type: .txt, ttl: 300,
                                      values: ["\"heritage=external-dns,external-dns/owner=k3s\""])]
        let result = pass([endpoint("www.example.com", .a, ["192.0.2.2"])], zoneSets: foreign)
        #expect(result.changes.isEmpty)
        #expect(result.notices.map(\.message) == ["www.example.com. A is owned by k3s; rke2 also wants this name and leaves it alone"])
        #expect(pass([], zoneSets: foreign).changes.isEmpty)
    }

    @Test func legacyCompanionGetsTheCurrentFormatAndKeepsTheOld() {
        let zoneSets = [www, RecordSet(name: "www.example.com", type: .txt, ttl: 300,
                                       values: ["\"heritage=external-dns,external-dns/owner=rke2\""])]
        let result = pass([endpoint("www.example.com", .a, ["192.0.2.1"])], zoneSets: zoneSets)
        #expect(render(result) == ["UPSERT a-www.example.com TXT"])
        #expect(pass([endpoint("www.example.com", .a, ["192.0.2.1"])], zoneSets: apply(result, to: zoneSets)).changes.isEmpty)
    }

    @Test func unownedRecordIsAConflict() {
        let result = pass([endpoint("www.example.com", .cname, ["lb.example.net"])], zoneSets: [www])
        #expect(result.changes.isEmpty)
        #expect(result.notices.map(\.kind) == [.conflict])
    }
}
