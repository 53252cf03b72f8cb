import DNSReconcileCore

/// Truncated exponential backoff with full jitter, as botocore does it.
///
/// The n-th retry (0-based) waits `random × min(cap, base × 2ⁿ)`, with base 1 s after throttling
/// and 0.1 s after other transient failures, capped at 20 s. Full jitter spreads the retries of
/// several clients sharing one account's rate limit. The random number is a parameter, so tests
/// assert the exact sleeps.
///
/// When Route53 says how long to wait (`x-amz-retry-after`, milliseconds; or a standard
/// `Retry-After`, seconds), the wait is at least that, still within the cap: the server knows
/// when its bucket refills, and retrying earlier only burns an attempt.
struct Route53RetryPolicy: Sendable {
    var maxRetries: Int
    var throttlingBase = 1.0
    var transientBase = 0.1
    var cap = 20.0

    /// Seconds to wait before retry number `retry` (0 = the first retry); `random` is in [0, 1).
    func delay(retry: Int, retryClass: Route53ErrorResponse.RetryClass, random: Double,
               retryAfter: Double? = nil) -> Double {
        let base = retryClass == .throttling ? throttlingBase : transientBase
        // Past 2^30 the cap has long been reached; stopping there keeps the shift in range.
        let ceiling = min(cap, base * Double(1 << min(max(retry, 0), 30)))
        let jittered = min(max(random, 0), 1) * ceiling
        guard let retryAfter, retryAfter > 0 else { return jittered }
        return min(cap, max(jittered, retryAfter))
    }

    /// The wait the answer asks for, in seconds: `x-amz-retry-after` (milliseconds) first, else
    /// `Retry-After` in whole seconds (its HTTP-date form is not used by AWS and is ignored).
    static func retryAfter(in response: HTTPResponse) -> Double? {
        if let text = response.header("x-amz-retry-after"), let milliseconds = Int(text.trimmingSpaces), milliseconds >= 0 {
            return Double(milliseconds) / 1000
        }
        if let text = response.header("Retry-After"), let seconds = Int(text.trimmingSpaces), seconds >= 0 {
            return Double(seconds)
        }
        return nil
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
