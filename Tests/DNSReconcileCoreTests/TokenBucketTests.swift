import Testing
import DNSReconcileCore
import DNSReconcileTestSupport

@Suite struct TokenBucketTests {
    /// Sleeps compared with a tolerance: the manual clock starts at 1.7e9 s, where a Double
    /// resolves about 0.2 µs.
    func expectSleeps(_ actual: [Double], _ expected: [Double], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (got, want) in zip(actual, expected) {
            #expect(abs(got - want) < 1e-6, "slept \(got), expected \(want)", sourceLocation: sourceLocation)
        }
    }

    @Test func fiveRequestsPerSecondWithBurstOneSpacesCallsByAFifth() {
        let clock = ManualTimeSource()
        let bucket = TokenBucket(ratePerSecond: 5, burst: 1, time: clock)
        for _ in 0..<4 { bucket.acquire() }
        expectSleeps(clock.sleeps, [0.2, 0.2, 0.2])
    }

    @Test(arguments: [1, 3, 10])
    func burstAllowsThatManyImmediateCalls(burst: Int) {
        let clock = ManualTimeSource()
        let bucket = TokenBucket(ratePerSecond: 2, burst: Double(burst), time: clock)
        for _ in 0..<burst { bucket.acquire() }
        #expect(clock.sleeps.isEmpty)
        bucket.acquire()
        expectSleeps(clock.sleeps, [0.5])
    }

    @Test func idleTimeRefillsUpToTheBurst() {
        let clock = ManualTimeSource()
        let bucket = TokenBucket(ratePerSecond: 5, burst: 3, time: clock)
        for _ in 0..<3 { bucket.acquire() }
        clock.advance(by: 60)
        for _ in 0..<3 { bucket.acquire() }
        #expect(clock.sleeps.isEmpty)
        bucket.acquire()
        expectSleeps(clock.sleeps, [0.2])
    }

    @Test func partialRefillShortensTheWait() {
        let clock = ManualTimeSource()
        let bucket = TokenBucket(ratePerSecond: 5, burst: 1, time: clock)
        bucket.acquire()
        clock.advance(by: 0.15)
        bucket.acquire()
        expectSleeps(clock.sleeps, [0.05])
    }

    @Test func clockSteppingBackDoesNotGrantTokens() {
        let clock = ManualTimeSource()
        let bucket = TokenBucket(ratePerSecond: 5, burst: 1, time: clock)
        bucket.acquire()
        clock.advance(by: -10)
        bucket.acquire()
        expectSleeps(clock.sleeps, [0.2])
    }
}
