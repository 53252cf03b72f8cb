import Testing
import DNSReconcileCore

@Suite struct BatcherTests {
    static let zone = HostedZone(id: "Z1", name: "example.com")

    /// A planned change of `name` whose one Change element carries `values` values of
    /// `length` characters each.
    static func change(_ name: String, _ action: Change.Action = .create, values: Int = 1, length: Int = 9,
                       set: String? = nil) -> PlannedChange {
        let record = RecordSet(name: DNSName(name), type: .a, setIdentifier: set, ttl: 300,
                               values: Array(repeating: String(repeating: "1", count: length), count: values))
        let planned: PlannedChange.Action = action == .create ? .create : action == .delete ? .delete : .update
        return PlannedChange(action: planned, key: record.key, old: nil, new: record, changes: [Change(action, record)])
    }

    static func batches(_ changes: [PlannedChange], batcher: Batcher = Batcher()) throws -> [[PlannedChange]] {
        try batcher.batches(for: ZonePlan(zone: zone, changes: changes))
    }

    static func names(_ batches: [[PlannedChange]]) -> [[String]] {
        batches.map { $0.map { $0.key.name.value + ($0.key.setIdentifier.map { "/" + $0 } ?? "") } }
    }

    @Test func emptyPlanHasNoBatches() throws {
        #expect(try Self.batches([]).isEmpty)
    }

    @Test func exactlyOneThousandRecordsFitOneBatch() throws {
        let result = try Self.batches([Self.change("a.example.com", values: 600), Self.change("b.example.com", values: 400)])
        #expect(Self.names(result) == [["a.example.com", "b.example.com"]])
    }

    @Test func oneThousandAndOneRecordsSplitBetweenGroups() throws {
        let result = try Self.batches([Self.change("a.example.com", values: 600), Self.change("b.example.com", values: 401)])
        #expect(Self.names(result) == [["a.example.com"], ["b.example.com"]])
    }

    @Test func aGroupOfOneThousandAndOneRecordsIsAnErrorNamingIt() throws {
        let error = #expect(throws: DNSReconcileError.self) {
            try Self.batches([Self.change("big.example.com", values: 1001)])
        }
        #expect(error?.code == .batchTooLarge)
        #expect(error?.message.contains("big.example.com.") == true)
        #expect(error?.message.contains("1001 resource records") == true)
    }

    @Test func thirtyTwoThousandCharactersFitAndOneMoreDoesNot() throws {
        // 320 values of 100 characters = 32,000.
        let exact = try Self.batches([Self.change("a.example.com", values: 320, length: 100)])
        #expect(exact.count == 1)
        let split = try Self.batches([Self.change("a.example.com", values: 320, length: 100),
                                      Self.change("b.example.com", values: 1, length: 1)])
        #expect(Self.names(split) == [["a.example.com"], ["b.example.com"]])
        let error = #expect(throws: DNSReconcileError.self) {
            try Self.batches([Self.change("a.example.com", values: 319, length: 100),
                              PlannedChange(action: .create, key: RecordKey(name: "a.example.com", type: .txt), old: nil, new: nil,
                                            changes: [Change(.create, RecordSet(name: "a.example.com", type: .txt, ttl: 300,
                                                                                 values: [String(repeating: "x", count: 101)]))])])
        }
        #expect(error?.code == .batchTooLarge)
        #expect(error?.message.contains("32001 value characters") == true)
    }

    @Test func upsertCountsTwice() throws {
        let fits = try Self.batches([Self.change("a.example.com", .upsert, values: 500)])
        #expect(fits.count == 1)
        #expect(throws: DNSReconcileError.self) { try Self.batches([Self.change("a.example.com", .upsert, values: 501)]) }
        // 16,000 characters upserted count as 32,000.
        #expect(try Self.batches([Self.change("a.example.com", .upsert, values: 160, length: 100)]).count == 1)
        #expect(throws: DNSReconcileError.self) {
            try Self.batches([Self.change("a.example.com", .upsert, values: 161, length: 100)])
        }
        let split = try Self.batches([Self.change("a.example.com", .upsert, values: 300),
                                      Self.change("b.example.com", .create, values: 401)])
        #expect(split.count == 2)
    }

    @Test func aliasCountsOneRecordAndItsNameLength() throws {
        let alias = RecordSet(name: "a.example.com", type: .a,
                              alias: AliasTarget(hostedZoneID: "Z2", dnsName: DNSName(String(repeating: "x", count: 50) + ".example.net"),
                                                 evaluateTargetHealth: true))
        let change = PlannedChange(action: .create, key: alias.key, old: nil, new: alias, changes: [Change(.create, alias)])
        // 62 characters for the alias name, so 1 + 999 records and 62 + 31,938 characters fit.
        let full = try Self.batches([change, Self.change("b.example.com", values: 999, length: 31)],
                                    batcher: Batcher(maxValueCharacters: 62 + 999 * 31))
        #expect(full.count == 1)
        let over = try Self.batches([change, Self.change("b.example.com", values: 999, length: 31)],
                                    batcher: Batcher(maxValueCharacters: 62 + 999 * 31 - 1))
        #expect(over.count == 2)
    }

    @Test func changeCountLimitComesFromBatchChangeSize() throws {
        let changes = ["a", "b", "c", "d", "e"].map { Self.change("\($0).example.com") }
        let result = try Self.batches(changes, batcher: Batcher(maxChanges: 2))
        #expect(Self.names(result) == [["a.example.com", "b.example.com"], ["c.example.com", "d.example.com"], ["e.example.com"]])
    }

    @Test func aNameIsKeptWholeAcrossABoundary() throws {
        // a.example.com has two set identifiers (600 records together); b is 300 and c is 500.
        let changes = [Self.change("c.example.com", values: 500), Self.change("a.example.com", values: 300, set: "one"),
                       Self.change("b.example.com", values: 300), Self.change("a.example.com", values: 300, set: "two")]
        let result = try Self.batches(changes)
        #expect(Self.names(result) == [["a.example.com/one", "a.example.com/two", "b.example.com"], ["c.example.com"]])
    }

    @Test func groupsComeInRoute53NameOrder() throws {
        let changes = ["www.example.com", "example.com", "a.www.example.com", "api.example.com"].map { Self.change($0) }
        let result = try Self.batches(changes, batcher: Batcher(maxChanges: 1))
        #expect(Self.names(result) == [["example.com"], ["api.example.com"], ["www.example.com"], ["a.www.example.com"]])
    }

    @Test func aGroupOverTheChangeLimitIsAnError() {
        let changes = (1...3).map { Self.change("a.example.com", set: "s\($0)") }
        #expect(throws: DNSReconcileError(.batchTooLarge, "")) { try Self.batches(changes, batcher: Batcher(maxChanges: 2)) }
    }

    @Test func changesInABatchGoDeletesThenUpsertsThenCreates() throws {
        let old = RecordSet(name: "www.example.com", type: .a, ttl: 300, values: ["192.0.2.1"])
        let new = RecordSet(name: "www.example.com", type: .cname, ttl: 300, values: ["lb.example.net"])
        let companion = RecordSet(name: "c-www.example.com", type: .txt, ttl: 300, values: ["\"x\""])
        let create = PlannedChange(action: .create, key: new.key, old: nil, new: new,
                                   changes: [Change(.create, new), Change(.upsert, companion)])
        let delete = PlannedChange(action: .delete, key: old.key, old: old, new: nil,
                                   changes: [Change(.delete, old), Change(.delete, companion)])
        let batches = try Self.batches([create, delete])
        #expect(batches.count == 1)
        #expect(batches[0].map(\.action) == [.delete, .create])
        #expect(Batcher.changes(in: batches[0]).map(\.action) == [.delete, .delete, .upsert, .create])
        #expect(Batcher.changes(in: batches[0]).first == Change(.delete, old))
    }
}
