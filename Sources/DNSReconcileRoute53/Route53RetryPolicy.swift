/// Truncated exponential backoff with full jitter, as botocore does it.
///
/// The n-th retry (0-based) waits `random × min(cap, base × 2ⁿ)`, with base 1 s after throttling
/// and 0.1 s after other transient failures, capped at 20 s. Full jitter spreads the retries of
/// several clients sharing one account's rate limit. The random number is a parameter, so tests
/// assert the exact sleeps.
struct Route53RetryPolicy: Sendable {
    var maxRetries: Int
    var throttlingBase = 1.0
    var transientBase = 0.1
    var cap = 20.0

    /// Seconds to wait before retry number `retry` (0 = the first retry); `random` is in [0, 1).
    func delay(retry: Int, retryClass: Route53ErrorResponse.RetryClass, random: Double) -> Double {
        let base = retryClass == .throttling ? throttlingBase : transientBase
        // Past 2^30 the cap has long been reached; stopping there keeps the shift in range.
        let ceiling = min(cap, base * Double(1 << min(max(retry, 0), 30)))
        return min(max(random, 0), 1) * ceiling
    }
}
