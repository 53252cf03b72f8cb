import Testing
import DNSReconcileCore

struct SafetyCase: Sendable, CustomTestStringConvertible {
    var id: String
    var deletes = 0
    var updates = 0
    var rewrites = 0
    var owned: Int
    var limits = SafetyLimits()
    var expected: SafetyVerdict
    var testDescription: String { id }
}

@Suite struct SafetyTests {
    static let zone = HostedZone(id: "Z1", name: "example.com")

    static func plan(deletes: Int, updates: Int, rewrites: Int) -> ZonePlan {
        var changes: [PlannedChange] = []
        for index in 0..<(deletes + updates + rewrites) {
            let old = RecordSet(name: DNSName("r\(index).example.com"), type: .a, ttl: 300, values: ["192.0.2.1"])
            var new = old
            new.values = ["192.0.2.2"]
            switch index {
            case ..<deletes:
                changes.append(PlannedChange(action: .delete, key: old.key, old: old, new: nil, changes: [Change(.delete, old)]))
            case ..<(deletes + updates):
                changes.append(PlannedChange(action: .update, key: old.key, old: old, new: new, changes: [Change(.upsert, new)]))
            default:
                changes.append(PlannedChange(action: .update, key: old.key, old: old, new: old, changes: [],
                                             reason: "ownership record rewritten in the current format"))
            }
        }
        return ZonePlan(zone: zone, changes: changes)
    }

    @Test(arguments: [
        SafetyCase(id: "nothing", owned: 20, expected: .ok),
        SafetyCase(id: "delete-at-limit", deletes: 6, owned: 20, expected: .ok),
        SafetyCase(id: "delete-over-limit", deletes: 12, owned: 20,
                   expected: .exceeded("would delete 12 of 20 records owned by rke2 in example.com (60% > 30%); run with --force to apply")),
        SafetyCase(id: "update-over-limit", updates: 7, owned: 20,
                   expected: .exceeded("would update 7 of 20 records owned by rke2 in example.com (35% > 30%); run with --force to apply")),
        SafetyCase(id: "both-over-limit", deletes: 4, updates: 4, owned: 10,
                   expected: .exceeded("would delete 4 of 10 records owned by rke2 in example.com (40% > 30%); "
                                       + "would update 4 of 10 records owned by rke2 in example.com (40% > 30%); run with --force to apply")),
        SafetyCase(id: "below-min-existing", deletes: 9, owned: 9, expected: .ok),
        SafetyCase(id: "at-min-existing", deletes: 4, owned: 10,
                   expected: .exceeded("would delete 4 of 10 records owned by rke2 in example.com (40% > 30%); run with --force to apply")),
        SafetyCase(id: "fraction", deletes: 1, owned: 3, limits: SafetyLimits(maxDeletePercent: 30, minExistingRecords: 0),
                   expected: .exceeded("would delete 1 of 3 records owned by rke2 in example.com (33.3% > 30%); run with --force to apply")),
        SafetyCase(id: "companion-rewrites-not-counted", rewrites: 20, owned: 20, expected: .ok),
        SafetyCase(id: "custom-limits", deletes: 15, owned: 20, limits: SafetyLimits(maxDeletePercent: 75), expected: .ok),
        SafetyCase(id: "nothing-owned", owned: 0, limits: SafetyLimits(minExistingRecords: 0), expected: .ok),
        SafetyCase(id: "zero-percent-limit", deletes: 1, owned: 10, limits: SafetyLimits(maxDeletePercent: 0),
                   expected: .exceeded("would delete 1 of 10 records owned by rke2 in example.com (10% > 0%); run with --force to apply")),
    ])
    func check(_ row: SafetyCase) {
        let verdict = row.limits.check(Self.plan(deletes: row.deletes, updates: row.updates, rewrites: row.rewrites),
                                       ownedCount: row.owned, ownerID: "rke2")
        #expect(verdict == row.expected)
    }

    @Test func defaultsMatchTheContract() {
        let limits = SafetyLimits()
        #expect(limits.maxDeletePercent == 30)
        #expect(limits.maxUpdatePercent == 30)
        #expect(limits.minExistingRecords == 10)
    }
}
