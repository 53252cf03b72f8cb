import Testing
import DNSReconcileCore

@Suite struct PolicyTests {
    static let set = RecordSet(name: "www.example.com", type: .a, ttl: 300, values: ["192.0.2.1"])
    static let other = RecordSet(name: "www.example.com", type: .a, ttl: 300, values: ["192.0.2.2"])
    static let create = PlannedChange(action: .create, key: set.key, old: nil, new: set, changes: [Change(.create, set)])
    static let upsert = PlannedChange(action: .update, key: set.key, old: set, new: other, changes: [Change(.upsert, other)])
    static let replace = PlannedChange(action: .update, key: set.key, old: set, new: other,
                                       changes: [Change(.delete, set), Change(.create, other)],
                                       reason: "routing policy changes from simple to weighted: delete and create in one batch")
    static let delete = PlannedChange(action: .delete, key: set.key, old: set, new: nil, changes: [Change(.delete, set)])

    @Test(arguments: [
        // (policy, change, kept)
        (Policy.sync, create, true), (.sync, upsert, true), (.sync, replace, true), (.sync, delete, true),
        (.upsertOnly, create, true), (.upsertOnly, upsert, true), (.upsertOnly, replace, false), (.upsertOnly, delete, false),
        (.createOnly, create, true), (.createOnly, upsert, false), (.createOnly, replace, false), (.createOnly, delete, false),
    ])
    func filter(policy: Policy, change: PlannedChange, kept: Bool) {
        let result = policy.filter([change])
        #expect(result.kept == (kept ? [change] : []))
        #expect(result.refused.map(\.kind) == (kept ? [] : [.policy]))
        #expect(result.refused.allSatisfy { $0.key == change.key })
    }

    @Test func replacementRefusalSaysADeleteIsNeededAndWhy() {
        let notice = Policy.upsertOnly.filter([Self.replace]).refused.first
        #expect(notice?.message.contains("needs a delete") == true)
        #expect(notice?.message.contains("routing policy changes from simple to weighted") == true)
        #expect(notice?.message.contains("upsert-only") == true)
    }

    @Test(arguments: [("sync", Policy.sync), ("upsert-only", .upsertOnly), ("create-only", .createOnly)])
    func configNames(name: String, policy: Policy) {
        #expect(Policy(rawValue: name) == policy)
    }

    @Test func keepsOrder() {
        let changes = [Self.delete, Self.create, Self.upsert]
        #expect(Policy.sync.filter(changes).kept == changes)
        #expect(Policy.upsertOnly.filter(changes).kept == [Self.create, Self.upsert])
    }
}
