/// A token bucket that paces requests to one AWS account: `burst` calls may go at once, then one
/// call every `1 / ratePerSecond` seconds.
///
/// Route53 throttles per account (5 requests/s classic), so one bucket is shared by every cluster
/// of a pass that talks to the same account and endpoint. Time comes from a `TimeSource`, so tests
/// assert the requested sleeps instead of measuring them.
public final class TokenBucket {
    private let rate: Double
    private let burst: Double
    private let time: TimeSource
    private var tokens: Double
    private var updated: Double

    /// `ratePerSecond` must be positive; a burst below 1 is raised to 1 so a call can ever pass.
    public init(ratePerSecond: Double, burst: Double, time: TimeSource) {
        precondition(ratePerSecond > 0, "a token bucket needs a positive rate")
        self.rate = ratePerSecond
        self.burst = max(1, burst)
        self.time = time
        self.tokens = max(1, burst)
        self.updated = time.now()
    }

    /// Takes one token, sleeping exactly as long as the next token needs to arrive.
    public func acquire() {
        refill(at: time.now())
        if tokens >= 1 {
            tokens -= 1
            return
        }
        let wait = (1 - tokens) / rate
        time.sleep(seconds: wait)
        // The token that arrives during the sleep is ours. Crediting the slept time rather than
        // re-reading the clock keeps a clock that overshoots the sleep from granting extra tokens
        // and one that undershoots it from making the next caller pay twice.
        tokens = 0
        updated = max(updated + wait, time.now())
    }

    private func refill(at now: Double) {
        // A clock stepping backwards must neither add nor remove tokens.
        let elapsed = max(0, now - updated)
        tokens = min(burst, tokens + elapsed * rate)
        updated = max(updated, now)
    }
}
