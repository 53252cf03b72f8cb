import DNSReconcileCore
import Testing

@Suite struct BatchSplitterTests {
    /// A planned create of `name` (A record) with its `a-` companion, optionally with a set id.
    static func planned(_ name: String, set: String? = nil, companion: String? = nil) -> PlannedChange {
        let record = RecordSet(name: DNSName(name), type: .a, setIdentifier: set, ttl: 60, values: ["192.0.2.1"])
        let txtName = companion ?? ("a-" + name)
        let txt = RecordSet(name: DNSName(txtName), type: .txt, setIdentifier: set, ttl: 300,
                            values: ["\"heritage=external-dns,external-dns/owner=me\""])
        return PlannedChange(action: .create, key: record.key, old: nil, new: record,
                             changes: [Change(.create, record), Change(.create, txt)])
    }

    static func ids(_ changes: [PlannedChange]) -> [String] {
        changes.map { $0.key.name.value + ($0.key.setIdentifier.map { "/" + $0 } ?? "") }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var batch: [PlannedChange]
        /// nil: cannot be split.
        var halves: ([String], [String])?
        var testDescription: String { id }
    }

    static let cases: [Case] = [
        Case(id: "single record with companion cannot be split", batch: [planned("a.example.com")], halves: nil),
        Case(id: "one name, several set identifiers, cannot be split",
             batch: [planned("w.example.com", set: "one"), planned("w.example.com", set: "two"),
                     planned("w.example.com", set: "three")], halves: nil),
        Case(id: "two names split one and one",
             batch: [planned("a.example.com"), planned("b.example.com")],
             halves: (["a.example.com"], ["b.example.com"])),
        Case(id: "three names: the first half takes the smaller share",
             batch: [planned("a.example.com"), planned("b.example.com"), planned("c.example.com")],
             halves: (["a.example.com"], ["b.example.com", "c.example.com"])),
        Case(id: "set identifiers of a name stay together across the cut",
             batch: [planned("a.example.com"), planned("w.example.com", set: "one"), planned("b.example.com"),
                     planned("w.example.com", set: "two")],
             halves: (["a.example.com"], ["w.example.com/one", "w.example.com/two", "b.example.com"])),
        Case(id: "a companion named like another record keeps both in one group",
             batch: [planned("x.example.com", companion: "y.example.com"), planned("y.example.com"),
                     planned("z.example.com")],
             halves: (["x.example.com", "y.example.com"], ["z.example.com"])),
        Case(id: "four names split two and two",
             batch: ["a", "b", "c", "d"].map { planned("\($0).example.com") },
             halves: (["a.example.com", "b.example.com"], ["c.example.com", "d.example.com"])),
    ]

    @Test(arguments: cases)
    func halves(_ testCase: Case) {
        let result = BatchSplitter.halves(of: testCase.batch)
        switch (result, testCase.halves) {
        case (nil, nil): break
        case let (got?, want?):
            #expect(Self.ids(got.first) == want.0)
            #expect(Self.ids(got.second) == want.1)
        default:
            Issue.record("halves: got \(result.map { (Self.ids($0.first), Self.ids($0.second)) } as Any), want \(testCase.halves as Any)")
        }
    }

    /// Splitting down to single groups isolates each bad group in few requests and never puts
    /// a record in another request than its companion.
    @Test(arguments: [(16, [3]), (16, [0, 15]), (50, [7, 8, 40]), (1, [0]), (9, [])])
    func bisectionIsolatesEveryBadGroupAndOnlyThem(_ count: Int, _ bad: [Int]) {
        let batch = (0..<count).map { Self.planned("n\($0).example.com") }
        let badNames = Set(bad.map { DNSName("n\($0).example.com") })
        var queue = [batch]
        var requests = 0
        var applied: [PlannedChange] = []
        var rejected: [PlannedChange] = []
        while let next = queue.first {
            queue.removeFirst()
            requests += 1
            // Every Change element of a planned change travels in the same request.
            let names = Set(next.flatMap(\.changes).map(\.recordSet.name))
            for change in next {
                #expect(names.contains(DNSName("a-" + change.key.name.value)))
            }
            if next.contains(where: { badNames.contains($0.key.name) }) {
                if let (first, second) = BatchSplitter.halves(of: next) {
                    queue += [first, second]
                } else {
                    rejected += next
                }
            } else {
                applied += next
            }
        }
        #expect(Set(rejected.map(\.key.name)) == badNames)
        #expect(applied.count == count - bad.count)
        if bad.count == 1, count > 1 {
            // One request, then two per level of the bisection.
            var levels = 0
            while (1 << levels) < count { levels += 1 }
            #expect(requests <= 1 + 2 * levels)
        }
    }
}
