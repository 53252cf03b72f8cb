import DNSReconcileCore
import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCLI

/// A batch Route53 rejects is split until the bad groups are isolated; the deadline stops the
/// work between requests, never inside a group.
@Suite struct PassIsolationTests {
    static let zone = PassTests.zone

    static func endpoints(_ names: [String]) -> [Endpoint] {
        names.enumerated().map { index, name in PassTests.endpoint("\(name).example.com", ["192.0.2.\(index + 1)"]) }
    }

    /// Every record of `owner` has its companion and every companion its record.
    static func companionsComplete(_ provider: InMemoryProvider, zone: HostedZone = zone) -> Bool {
        let sets = provider.records[zone.id] ?? []
        let records = Set(sets.filter { $0.type == .a }.map(\.name.value))
        let companions = Set(sets.filter { $0.type == .txt && $0.name.value.hasPrefix("a-") }.map { String($0.name.value.dropFirst(2)) })
        return records == companions
    }

    @Test(arguments: [
        (["a", "b", "c", "d", "e", "f", "g", "h"], ["d"]),
        (["a", "b", "c", "d", "e", "f", "g", "h"], ["a", "h"]),
        (["a", "b", "c"], ["a", "b", "c"]),
        (["solo"], ["solo"]),
    ])
    func badGroupsAreIsolatedAndEverythingElseApplied(_ names: [String], _ bad: [String]) {
        let provider = InMemoryProvider(zones: [Self.zone])
        provider.rejectNames = Set(bad.map { DNSName("\($0).example.com") })
        let log = LogCapture()
        let report = PassTests.pass(log: log).run([PassTests.cluster("c1", provider: provider,
                                                                     sources: [FixedSource(Self.endpoints(names))])])[0]
        #expect(report.status == .failed)
        #expect(report.failedChanges == bad.count)
        #expect(report.applied[.create] ?? 0 == names.count - bad.count)
        let present = Set((provider.records[Self.zone.id] ?? []).filter { $0.type == .a }.map(\.name.value))
        #expect(present == Set(names.filter { !bad.contains($0) }.map { "\($0).example.com" }))
        #expect(Self.companionsComplete(provider))
        for name in bad {
            #expect(log.lines.contains {
                $0.contains("rejected by Route53: create A \(name).example.com")
                    && $0.contains("RRSet with DNS name \(name).example.com. is not permitted")
            }, "\(log.lines)")
        }
        // Each request carries whole groups: a record never without its companion.
        for attempt in provider.attempts {
            let names = Set(attempt.map(\.recordSet.name.value))
            for change in attempt where change.recordSet.type == .a {
                #expect(names.contains("a-" + change.recordSet.name.value))
            }
        }
        if bad.count == 1, names.count == 8 {
            #expect(provider.attempts.count <= 1 + 2 * 3, "bisection, not one request per group")
        }
    }

    @Test func otherErrorsAreNotSplit() {
        let provider = InMemoryProvider(zones: [Self.zone])
        provider.failApply[Self.zone.id] = DNSReconcileError(.throttled, "Route53 throttled", cause: "Throttling")
        let report = PassTests.pass().run([PassTests.cluster("c1", provider: provider,
                                                             sources: [FixedSource(Self.endpoints(["a", "b", "c"]))])])[0]
        #expect(provider.attempts.count == 1)
        #expect(report.failedChanges == 3)
    }

    @Test func deadlineStopsIsolationBetweenRequests() {
        let time = ManualTimeSource()
        let provider = InMemoryProvider(zones: [Self.zone])
        provider.rejectNames = ["c.example.com"]
        // The first (rejected) request uses up the budget.
        provider.onApply = { time.advance(by: 100) }
        let log = LogCapture()
        let report = PassTests.pass(time: time, deadline: 50, log: log)
            .run([PassTests.cluster("c1", provider: provider, sources: [FixedSource(Self.endpoints(["a", "b", "c", "d"]))])])[0]
        #expect(provider.attempts.count == 1)
        #expect(report.failedChanges == 4)
        #expect(report.errors.contains { $0.code == .deadline })
        #expect(log.lines.contains { $0.contains("deadline passed: 4 changes") }, "\(log.lines)")
        #expect((provider.records[Self.zone.id] ?? []).isEmpty)
    }

    @Test func deadlineFromTheProviderStopsTheZoneAndCountsWhatIsLeft() {
        let provider = InMemoryProvider(zones: [Self.zone])
        provider.failApply[Self.zone.id] = DNSReconcileError(.deadline, "the pass deadline passed before ChangeResourceRecordSets could be sent")
        var cluster = PassTests.cluster("c1", provider: provider, sources: [FixedSource(Self.endpoints(["a", "b", "c"]))])
        cluster.batcher = Batcher(maxChanges: 2)
        let report = PassTests.pass().run([cluster])[0]
        #expect(provider.attempts.count == 1, "no batch after the deadline")
        #expect(report.failedChanges == 3)
        #expect(report.errors.map(\.code) == [.deadline])
    }

    @Test func deadlineBetweenBatchesKeepsCompanionsWithTheirRecords() {
        let time = ManualTimeSource()
        let provider = InMemoryProvider(zones: [Self.zone])
        var calls = 0
        provider.onApply = {
            calls += 1
            if calls == 2 { time.advance(by: 100) }
        }
        var cluster = PassTests.cluster("c1", provider: provider, sources: [FixedSource(Self.endpoints(["a", "b", "c", "d", "e", "f"]))])
        cluster.batcher = Batcher(maxChanges: 4)  // two groups (record + companion) per batch
        let report = PassTests.pass(time: time, deadline: 50).run([cluster])[0]
        #expect(report.applied[.create] == 4)
        #expect(report.failedChanges == 2)
        #expect(Self.companionsComplete(provider))
    }

    /// A malformed answer for one zone's listing fails that zone; the cluster's other zone is
    /// still reconciled and nothing is planned from the broken listing.
    @Test func unreadableListingFailsOnlyItsZone() {
        let provider = InMemoryProvider(zones: [PassTests.zone, PassTests.otherZone])
        provider.failListRecords[PassTests.zone.id] = DNSReconcileError(
            .xml, "ListResourceRecordSets response is not well-formed XML at line 3: Premature end of data", cause: "line 3")
        let log = LogCapture()
        let report = PassTests.pass(log: log).run([PassTests.cluster("c1", provider: provider, sources: [FixedSource([
            PassTests.endpoint("a.example.com", ["192.0.2.1"]), PassTests.endpoint("b.example.org", ["192.0.2.2"]),
        ])])])[0]
        #expect(report.status == .failed)
        #expect(report.errors.map(\.code) == [.xml])
        #expect(provider.applied.map(\.zone) == [PassTests.otherZone.id])
        #expect(log.lines.contains { $0.contains("cannot list the record sets of example.com") && $0.contains("at line 3") })
    }
}

