import Testing
import DNSReconcileCore

/// One rule of Route53's per batch: the zone before, the changes, and a fragment of the problem
/// (nil: Route53 would accept the batch).
struct BatchRuleCase: Sendable, CustomTestStringConvertible {
    var id: String
    var zone: [RecordSet] = []
    var changes: [Change]
    var problem: String?
    var testDescription: String { id }
}

private let zone = HostedZone(id: "Z1EXAMPLE", name: "example.com")

private func a(_ name: String = "www.example.com", _ values: [String] = ["192.0.2.1"], ttl: Int = 300, set: String? = nil,
               routing: RoutingPolicy = .simple, type: RecordType = .a) -> RecordSet {
    RecordSet(name: DNSName(name), type: type, setIdentifier: set, routing: routing, ttl: ttl, values: values)
}

private func cname(_ name: String = "www.example.com", _ target: String = "lb.example.net", set: String? = nil,
                   routing: RoutingPolicy = .simple) -> RecordSet {
    a(name, [target], set: set, routing: routing, type: .cname)
}

private func txt(_ name: String, _ values: [String]) -> RecordSet {
    RecordSet(name: DNSName(name), type: .txt, ttl: 300, values: values)
}

private func weighted(_ set: String, _ weight: Int = 1, _ value: String = "192.0.2.1") -> RecordSet {
    a("www.example.com", [value], set: set, routing: .weighted(weight: weight))
}

private let batchRules: [BatchRuleCase] = [
    .init(id: "create-new", changes: [Change(.create, a())], problem: nil),
    .init(id: "create-existing", zone: [a()], changes: [Change(.create, a("www.example.com", ["192.0.2.9"]))],
          problem: "Tried to create resource record set [name='www.example.com.', type='A'] but it already exists"),
    .init(id: "create-existing-other-set-identifier-is-fine", zone: [weighted("one")], changes: [Change(.create, weighted("two"))],
          problem: nil),
    .init(id: "create-existing-set-identifier", zone: [weighted("one")], changes: [Change(.create, weighted("one", 5))],
          problem: "set-identifier='one'] but it already exists"),
    .init(id: "delete-missing", changes: [Change(.delete, a())], problem: "but it was not found"),
    .init(id: "delete-other-values", zone: [a()], changes: [Change(.delete, a("www.example.com", ["192.0.2.2"]))],
          problem: "values provided do not match the current values"),
    .init(id: "delete-other-ttl", zone: [a()], changes: [Change(.delete, a(ttl: 60))], problem: "do not match"),
    .init(id: "delete-other-routing", zone: [weighted("one", 1)], changes: [Change(.delete, weighted("one", 2))],
          problem: "do not match"),
    .init(id: "delete-exact", zone: [a()], changes: [Change(.delete, a())], problem: nil),
    .init(id: "delete-ipv6-spelling", zone: [a("www.example.com", ["2001:db8::1"], type: .aaaa)],
          changes: [Change(.delete, a("www.example.com", ["2001:DB8:0::1"], type: .aaaa))], problem: nil),
    .init(id: "delete-twice", zone: [a()], changes: [Change(.delete, a()), Change(.delete, a())],
          problem: "changes [name='www.example.com.', type='A'] 2 times (DELETE, DELETE)"),
    .init(id: "upsert-twice", changes: [Change(.upsert, a()), Change(.upsert, a("www.example.com", ["192.0.2.2"]))], problem: "2 times (UPSERT, UPSERT)"),
    .init(id: "create-twice", changes: [Change(.create, a()), Change(.create, a())], problem: "but it already exists"),
    .init(id: "delete-then-create-is-a-replacement", zone: [a()], changes: [Change(.delete, a()), Change(.create, a(ttl: 60))],
          problem: nil),
    .init(id: "cname-beside-a", zone: [a()], changes: [Change(.create, cname())],
          problem: "RRSet of type CNAME with DNS name www.example.com. is not permitted because a conflicting RRSet of type A"),
    .init(id: "a-beside-cname", zone: [cname()], changes: [Change(.create, a())], problem: "conflicting RRSet of type A"),
    .init(id: "txt-beside-cname", zone: [cname("a-www.example.com")],
          changes: [Change(.create, txt("a-www.example.com", ["\"heritage=external-dns\""]))], problem: "type TXT"),
    .init(id: "cname-beside-a-across-set-identifiers", zone: [weighted("one")],
          changes: [Change(.create, cname(set: "two", routing: .weighted(weight: 1)))], problem: "conflicting RRSet of type A"),
    .init(id: "weighted-cnames-side-by-side", zone: [cname(set: "one", routing: .weighted(weight: 1))],
          changes: [Change(.create, cname("www.example.com", "other.example.net", set: "two", routing: .weighted(weight: 1)))],
          problem: nil),
    .init(id: "cname-after-deleting-a", zone: [a()], changes: [Change(.delete, a()), Change(.create, cname())], problem: nil),
    .init(id: "routing-mix", zone: [a(set: "hk", routing: .latency(region: "ap-east-1"))],
          changes: [Change(.create, weighted("blue"))], problem: "mix latency and weighted routing"),
    .init(id: "simple-beside-weighted", zone: [weighted("blue")], changes: [Change(.create, a())],
          problem: "mix simple and weighted routing"),
    .init(id: "routing-switch-in-one-batch", zone: [a(set: "hk", routing: .latency(region: "ap-east-1"))],
          changes: [Change(.delete, a(set: "hk", routing: .latency(region: "ap-east-1"))), Change(.create, weighted("blue"))],
          problem: nil),
    .init(id: "routing-mix-by-type-only", zone: [a(set: "hk", routing: .latency(region: "ap-east-1"))],
          changes: [Change(.create, a("www.example.com", ["2001:db8::1"], type: .aaaa))], problem: nil),
    .init(id: "txt-255", changes: [Change(.create, txt("t.example.com", ["\"" + String(repeating: "x", count: 255) + "\""]))],
          problem: nil),
    .init(id: "txt-256", changes: [Change(.create, txt("t.example.com", ["\"" + String(repeating: "x", count: 256) + "\""]))],
          problem: "CharacterStringTooLong"),
    .init(id: "txt-split-strings", changes: [Change(.create, txt("t.example.com", [
        "\"" + String(repeating: "x", count: 255) + "\" \"" + String(repeating: "y", count: 255) + "\"",
    ]))], problem: nil),
    .init(id: "ttl-negative", changes: [Change(.create, a(ttl: -1))], problem: "greater than or equal to 0"),
    .init(id: "ttl-too-large", changes: [Change(.upsert, a(ttl: 2_147_483_648))], problem: "less than or equal to 2147483647"),
    .init(id: "value-4001", changes: [Change(.create, txt("t.example.com", ["\"" + String(repeating: "x", count: 3999) + "\""]))],
          problem: "Member must have length less than or equal to 4000"),
    .init(id: "values-401", changes: [Change(.create, a("many.example.com", (1...401).map { "10.0.\($0 / 250).\($0 % 250)" }))],
          problem: "TooManyResourceRecords"),
    .init(id: "no-values", changes: [Change(.create, a("www.example.com", []))], problem: "Member must have length greater than or equal to 1"),
    .init(id: "apex-cname", changes: [Change(.create, cname("example.com"))], problem: "is not permitted at apex"),
    .init(id: "outside-zone", changes: [Change(.create, a("www.example.org"))], problem: "is not permitted in zone example.com."),
    .init(id: "alias-in-zone-outside-target", changes: [Change(.create, RecordSet(
        name: "www.example.com", type: .a,
        alias: AliasTarget(hostedZoneID: "z1example", dnsName: "lb.example.net", evaluateTargetHealth: true)))],
          problem: "the alias target name does not lie within the target zone"),
    .init(id: "alias-to-elb", changes: [Change(.create, RecordSet(
        name: "www.example.com", type: .a,
        alias: AliasTarget(hostedZoneID: "Z35SXDOTRQ7X7K", dnsName: "lb-1.us-east-1.elb.amazonaws.com", evaluateTargetHealth: true)))],
          problem: nil),
    .init(id: "routed-sets-101", zone: (1...100).map { weighted("w\($0)") }, changes: [Change(.create, weighted("w101"))],
          problem: "101 weighted record sets share www.example.com. A; Route53 allows 100"),
    .init(id: "geoproximity-31", zone: (1...30).map {
        a(set: "g\($0)", routing: .geoproximity(GeoProximity(awsRegion: "eu-west-1", bias: $0)))
    }, changes: [Change(.create, a(set: "g31", routing: .geoproximity(GeoProximity(awsRegion: "eu-west-2"))))],
          problem: "Route53 allows 30"),
    .init(id: "existing-clash-is-not-the-batch's", zone: [a(), cname()],
          changes: [Change(.upsert, a(ttl: 60))], problem: nil),
]

@Suite struct BatchValidatorTests {
    @Test(arguments: batchRules)
    func rule(_ row: BatchRuleCase) {
        let problems = BatchValidator(zone: zone, recordSets: row.zone).problems(of: row.changes)
        if let expected = row.problem {
            #expect(problems.contains { $0.contains(expected) }, "\(row.id): \(problems)")
        } else {
            #expect(problems.isEmpty, "\(row.id): \(problems)")
        }
        // Keeping only the names the batch touches judges the same.
        let names = Set(row.changes.map(\.recordSet.name))
        #expect(BatchValidator(zone: zone, recordSets: row.zone, names: names).problems(of: row.changes) == problems)
    }

    static func planned(_ name: String, _ changes: [Change]) -> PlannedChange {
        PlannedChange(action: .create, key: RecordKey(name: DNSName(name), type: .a), old: nil, new: changes.first?.recordSet,
                      changes: changes)
    }

    @Test func verdictKeepsTheGoodGroupsAndNamesTheBadOne() {
        let existing = [cname("bad.example.com")]
        let good1 = Self.planned("one.example.com", [Change(.create, a("one.example.com")),
                                                     Change(.create, txt("a-one.example.com", ["\"o\""]))])
        let bad = Self.planned("bad.example.com", [Change(.create, a("bad.example.com")),
                                                   Change(.create, txt("a-bad.example.com", ["\"o\""]))])
        let good2 = Self.planned("two.example.com", [Change(.create, a("two.example.com"))])
        let verdict = BatchValidator(zone: zone, recordSets: existing).verdict(on: [good1, bad, good2])
        #expect(verdict.accepted == [good1, good2])
        #expect(verdict.refused.map(\.changes) == [[bad]])
        #expect(verdict.refused.first?.reasons.count == 1)
        #expect(verdict.refused.first?.reasons.first?.contains("conflicting RRSet of type A") == true)
    }

    @Test func aCleanBatchIsAcceptedWhole() {
        let batch = (1...50).map { Self.planned("h\($0).example.com", [Change(.create, a("h\($0).example.com"))]) }
        let verdict = BatchValidator(zone: zone, recordSets: []).verdict(on: batch)
        #expect(verdict.accepted == batch)
        #expect(verdict.refused.isEmpty)
    }

    @Test func recordedBatchesMoveTheZoneOn() {
        var validator = BatchValidator(zone: zone, recordSets: [a("old.example.com")])
        let first = [Change(.create, a()), Change(.delete, a("old.example.com"))]
        #expect(validator.problems(of: first).isEmpty)
        validator.record(first)
        #expect(validator.recordSets(named: "www.example.com") == [a()])
        #expect(validator.recordSets(named: "old.example.com").isEmpty)
        #expect(validator.problems(of: [Change(.create, a())]).first?.contains("already exists") == true)
        #expect(validator.problems(of: [Change(.delete, a("old.example.com"))]).first?.contains("not found") == true)
        #expect(validator.problems(of: [Change(.create, a("old.example.com"))]).isEmpty)
    }

    /// Given the names a plan touches, the zone is kept for those only: a fresh create elsewhere
    /// is judged on its own, and what it writes is not kept (a first pass creates a zone so).
    @Test func givenNamesOnlyTheirSetsAreKept() {
        var validator = BatchValidator(zone: zone, recordSets: [a(), a("other.example.com")], names: ["www.example.com"])
        #expect(validator.recordSets(named: "www.example.com") == [a()])
        #expect(validator.recordSets(named: "other.example.com").isEmpty)
        let batch = [Change(.create, a("fresh.example.com")), Change(.delete, a())]
        #expect(validator.problems(of: batch).isEmpty)
        validator.record(batch)
        #expect(validator.recordSets(named: "www.example.com").isEmpty)
        #expect(validator.recordSets(named: "fresh.example.com").isEmpty)
    }

    @Test func everyProblemOfABatchIsReported() {
        let problems = BatchValidator(zone: zone, recordSets: [a()]).problems(of: [
            Change(.delete, a("gone.example.com")), Change(.create, a(ttl: -1)), Change(.create, cname("example.com")),
        ])
        #expect(problems.count >= 3, "\(problems)")
    }
}
