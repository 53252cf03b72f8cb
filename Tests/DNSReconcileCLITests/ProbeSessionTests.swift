import DNSReconcileCore
import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCLI

/// The round loop on a manual clock: rounds against a resolver port nobody listens on fail at
/// once (a real refused socket), so only the scheduling and the stop request are left to see.
@Suite struct ProbeSessionTests {
    private func session(count: Int?, interval: Double, time: ManualTimeSource,
                         shouldStop: @escaping () -> Bool = { false }) throws -> ProbeSession {
        let resolver = try ResolverAddress.parse("127.0.0.1:\(ExternalTools.freePort())")
        let settings = ProbeSession.Settings(
            target: try ProbeTarget.parse("app.example.test"), type: .a, resolver: resolver, count: count,
            interval: interval, timeout: 1, matcher: ClusterMatcher(rules: []), health: ProbeHealthRule(),
            caBundle: nil, userAgent: "test")
        return ProbeSession(settings: settings, time: time,
                            dns: DNSResolverClient(server: resolver, timeout: 1, time: time), shouldStop: shouldStop)
    }

    @Test func roundsStartOnTheIntervalGrid() throws {
        let time = ManualTimeSource()
        var seen: [Int] = []
        let rounds = try session(count: 3, interval: 1, time: time).run { seen.append($0.index) }
        #expect(seen == [1, 2, 3])
        #expect(rounds.map(\.offset) == [0, 1, 2])
        #expect(rounds.allSatisfy { $0.errorKind == .dnsUnreachable && $0.state == .down && $0.address == nil })
        // The waits are cut into slices of at most 0.1 s, so a stop request is seen promptly.
        #expect(time.sleeps.allSatisfy { $0 <= 0.1 + 1e-9 })
        #expect(abs(time.sleeps.reduce(0, +) - 2) < 1e-4)
    }

    @Test func aStopRequestEndsTheWaitAndTheRun() throws {
        let time = ManualTimeSource()
        let rounds = try session(count: nil, interval: 60, time: time, shouldStop: { time.sleeps.count >= 5 }).run { _ in }
        #expect(rounds.count == 1)
        #expect(time.sleeps.count == 5 && abs(time.sleeps.reduce(0, +) - 0.5) < 1e-4)
    }

    @Test func nothingIsProbedOnceStopped() throws {
        let rounds = try session(count: 10, interval: 1, time: ManualTimeSource(), shouldStop: { true }).run { _ in }
        #expect(rounds.isEmpty)
    }
}
