import DNSReconcileCore
import Testing

/// The batcher fills requests to Route53's limits: a plan takes as few ChangeResourceRecordSets
/// calls as its resource records, value characters and changes allow.
@Suite struct BatcherPackingTests {
    static let zone = HostedZone(id: "Z1", name: "example.com")

    /// A record with `values` values of `length` characters and its companion, as one group.
    static func group(_ index: Int, _ action: Change.Action = .create, values: Int = 1, length: Int = 12,
                      companion: Int = 90) -> PlannedChange {
        let name = DNSName("r\(index).example.com")
        let record = RecordSet(name: name, type: .txt, ttl: 300,
                               values: (0..<values).map { "\"\(String(repeating: "v", count: length - 2 - String($0).count))\($0)\"" })
        var changes = [Change(action, record)]
        if companion > 0 {
            changes.append(Change(action, RecordSet(name: DNSName("a-r\(index).example.com"), type: .txt, ttl: 300,
                                                    values: [String(repeating: "c", count: companion)])))
        }
        return PlannedChange(action: action == .delete ? .delete : action == .upsert ? .update : .create,
                             key: record.key, old: nil, new: record, changes: changes)
    }

    static func check(_ changes: [PlannedChange], batcher: Batcher = Batcher()) throws -> [[PlannedChange]] {
        let batches = try batcher.batches(for: ZonePlan(zone: zone, changes: changes))
        // Everything once, nothing lost, every batch within the limits.
        #expect(batches.flatMap { $0 }.map(\.key).sorted() == changes.map(\.key).sorted())
        for batch in batches {
            let cost = Batcher.cost(of: batch)
            #expect(cost.records <= batcher.maxRecords && cost.characters <= batcher.maxValueCharacters
                    && cost.changes <= batcher.maxChanges)
        }
        return batches
    }

    @Test func createsWithCompanionsFillTheCharacterLimit() throws {
        // 3,000 records and companions: 6,000 resource records, 306,000 characters: the
        // character limit rules (⌈306,000 / 32,000⌉ = 10, against ⌈6,000 / 1,000⌉ = 6).
        let changes = (0..<3000).map { Self.group($0) }
        let batches = try Self.check(changes)
        let total = Batcher.cost(of: changes)
        #expect(total.characters == 306_000)
        #expect(Batcher().minimumBatches(for: total) == 10)
        #expect(batches.count == 10)
        // Every batch but the last holds all it can: not even the smallest group would fit.
        for batch in batches.dropLast() {
            #expect(Batcher.cost(of: batch).characters > 32_000 - 102)
        }
    }

    @Test func recordLimitRulesWithoutLongValues() throws {
        // 2,999 records of 1 value, no companions, short values: ⌈2,999 / 1,000⌉ = 3.
        let changes = (0..<2999).map { Self.group($0, length: 5, companion: 0) }
        let batches = try Self.check(changes)
        #expect(batches.count == 3)
        #expect(batches.map { Batcher.cost(of: $0).records }.sorted() == [999, 1000, 1000])
    }

    @Test func upsertsCountTwiceAndStillPackFull() throws {
        // 1,500 single-value upserts without companions: 3,000 records counted, 3 batches of 500.
        let changes = (0..<1500).map { Self.group($0, .upsert, length: 5, companion: 0) }
        let batches = try Self.check(changes)
        #expect(batches.count == 3)
        #expect(batches.allSatisfy { $0.count == 500 })
        #expect(Batcher().minimumBatches(for: Batcher.cost(of: changes)) == 3)
    }

    @Test func mixedGroupSizesComeWithinOneOfTheFloor() throws {
        // Groups of 1–7 values with companions, deletes, upserts and creates mixed, both limits
        // pressed (25,589 records: 26 requests; 725,028 characters: 23). Each limit alone could
        // be met exactly; both at once with whole groups need not be, so at most one more.
        let actions: [Change.Action] = [.create, .upsert, .delete]
        let changes = (0..<4000).map { i in Self.group(i, actions[i % 3], values: i % 7 + 1, length: 10 + i % 13,
                                                       companion: i % 5 == 0 ? 0 : 90) }
        let batches = try Self.check(changes)
        let minimum = Batcher().minimumBatches(for: Batcher.cost(of: changes))
        #expect(minimum == 26)
        #expect(batches.count <= minimum + 1)
    }

    @Test func changeLimitIsTheThirdDimension() throws {
        let changes = (0..<10).map { Self.group($0, length: 5, companion: 0) }
        let batches = try Self.check(changes, batcher: Batcher(maxChanges: 3))
        #expect(batches.count == 4)
        #expect(Batcher(maxChanges: 3).minimumBatches(for: Batcher.cost(of: changes)) == 4)
    }

    @Test func aPlannedZoneOfCreatesTakesTheMinimum() throws {
        // The planner's real output: 2,000 A records of one or two addresses, each with its
        // ExternalDNS companion (one per record, never the legacy pair).
        let registry = TXTRegistry(ownerID: "bench", managedTypes: [.a])
        let planner = Planner(policy: .sync, managedTypes: [.a], registry: registry)
        let endpoints = (0..<2000).map { i in
            Endpoint(name: DNSName("h\(i).example.com"), type: .a,
                     targets: i % 3 == 0 ? ["192.0.2.\(i % 250)", "198.51.100.\(i % 250)"] : ["192.0.2.\(i % 250)"],
                     resource: "endpoint/bench/e\(i)")
        }
        let plan = planner.plan(desired: endpoints, held: [], inventory: registry.inventory(of: [], in: Self.zone))
        #expect(plan.changes.count == 2000)
        #expect(plan.changes.allSatisfy { $0.changes.count == 2 && $0.changes[1].recordSet.type == .txt })
        let batches = try Batcher().batches(for: plan)
        #expect(batches.count == Batcher().minimumBatches(for: Batcher.cost(of: plan.changes)))
    }
}
