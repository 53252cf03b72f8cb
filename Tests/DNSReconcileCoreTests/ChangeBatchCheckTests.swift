import DNSReconcileCore
import Testing

@Suite struct ChangeBatchCheckTests {
    static let a1 = RecordSet(name: "app.example.com", type: .a, ttl: 60, values: ["192.0.2.1"])
    static let a2 = RecordSet(name: "app.example.com", type: .a, ttl: 60, values: ["192.0.2.2"])
    static let txt = RecordSet(name: "a-app.example.com", type: .txt, ttl: 300,
                               values: ["\"heritage=external-dns,external-dns/owner=me\""])
    static let other = RecordSet(name: "app.example.com", type: .a, ttl: 60, values: ["198.51.100.7"])
    static let weighted = RecordSet(name: "w.example.com", type: .a, setIdentifier: "one", routing: .weighted(weight: 10),
                                    ttl: 60, values: ["192.0.2.1"])

    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var changes: [Change]
        var current: [RecordSet]
        var outcome: ChangeBatchCheck.Outcome
        var testDescription: String { id }
    }

    static let cases: [Case] = [
        Case(id: "create with companion, both listed: applied",
             changes: [Change(.create, a1), Change(.create, txt)], current: [a1, txt], outcome: .applied),
        Case(id: "create with companion, neither listed: not applied",
             changes: [Change(.create, a1), Change(.create, txt)], current: [], outcome: .notApplied),
        Case(id: "create, only the record listed: someone else was there",
             changes: [Change(.create, a1), Change(.create, txt)], current: [a1], outcome: .inconclusive("TXT a-app.example.com")),
        Case(id: "create, another value listed: inconclusive",
             changes: [Change(.create, a1)], current: [other], outcome: .inconclusive("A app.example.com")),
        Case(id: "delete, gone: applied", changes: [Change(.delete, a1), Change(.delete, txt)], current: [],
             outcome: .applied),
        Case(id: "delete, still there as sent: not applied",
             changes: [Change(.delete, a1), Change(.delete, txt)], current: [a1, txt], outcome: .notApplied),
        Case(id: "delete, there with other values: inconclusive",
             changes: [Change(.delete, a1)], current: [other], outcome: .inconclusive("A app.example.com")),
        Case(id: "delete then create of one key (update): new values applied",
             changes: [Change(.delete, a1), Change(.create, a2)], current: [a2], outcome: .applied),
        Case(id: "delete then create of one key: old values, not applied",
             changes: [Change(.delete, a1), Change(.create, a2)], current: [a1], outcome: .notApplied),
        Case(id: "upsert, new values listed: applied", changes: [Change(.upsert, a2)], current: [a1.with(values: ["192.0.2.2"])],
             outcome: .applied),
        Case(id: "upsert, old values listed: not applied (resending an upsert is safe)",
             changes: [Change(.upsert, a2)], current: [a1], outcome: .notApplied),
        Case(id: "upsert, nothing listed: not applied", changes: [Change(.upsert, a2)], current: [], outcome: .notApplied),
        Case(id: "TTL differs: not the set that was sent", changes: [Change(.create, a1)],
             current: [RecordSet(name: "app.example.com", type: .a, ttl: 300, values: ["192.0.2.1"])],
             outcome: .inconclusive("A app.example.com")),
        Case(id: "listing spelled differently (case, trailing dot, escapes) still matches",
             changes: [Change(.create, RecordSet(name: "*.example.com", type: .cname, ttl: 60, values: ["LB.example.net."]))],
             current: [RecordSet(name: DNSName("\\052.EXAMPLE.com."), type: .cname, ttl: 60, values: ["lb.example.net"])],
             outcome: .applied),
        Case(id: "set identifiers are separate keys",
             changes: [Change(.create, weighted)],
             current: [RecordSet(name: "w.example.com", type: .a, setIdentifier: "two", routing: .weighted(weight: 10),
                                 ttl: 60, values: ["192.0.2.1"])],
             outcome: .notApplied),
        Case(id: "mixed: one key applied, the other not",
             changes: [Change(.create, a1), Change(.delete, weighted)], current: [a1, weighted],
             outcome: .inconclusive("A w.example.com [one]")),
    ]

    @Test(arguments: cases)
    func outcome(_ testCase: Case) {
        #expect(ChangeBatchCheck.outcome(of: testCase.changes, current: testCase.current) == testCase.outcome)
    }
}

extension RecordSet {
    fileprivate func with(values: [String]) -> RecordSet {
        var copy = self
        copy.values = values
        return copy
    }
}
