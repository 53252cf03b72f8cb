import DNSReconcileCore
import DNSReconcileRoute53
import Logging

/// Counts Route53 requests and retries for `dnsreconcile_api_requests` / `_api_retries`, and
/// logs each retry once (warning: it costs time and hints at a rate limit shared with others).
/// One instance observes every client of the process.
final class APICallCounter: Route53Observer {
    private(set) var requests: [PassReport.APICall: Int] = [:]
    private(set) var retries: [PassReport.APICall: Int] = [:]
    private let logger: Logger?

    init(logger: Logger? = nil) {
        self.logger = logger
    }

    func request(operation: String, code: String) {
        requests[PassReport.APICall(operation: operation, detail: code), default: 0] += 1
    }

    func retry(operation: String, reason: String) {
        retries[PassReport.APICall(operation: operation, detail: reason), default: 0] += 1
    }

    func retrying(_ event: Route53RetryEvent) {
        retry(operation: event.operation, reason: event.reason)
        let line = "retrying \(event.operation) (\(event.retry) of \(event.maxRetries)) in \(Self.seconds(event.delay)) s "
            + "after \(event.reason): \(event.message)"
        logger?.warning("\(line)")
    }

    func notice(operation: String, message: String) {
        logger?.notice("\(message)")
    }

    /// Seconds with two decimals.
    static func seconds(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
