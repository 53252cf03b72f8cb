import DNSReconcileCore
import DNSReconcileRoute53

/// Counts Route53 requests and retries for `dnsreconcile_api_requests` / `_api_retries`.
/// One instance observes every client of the process.
final class APICallCounter: Route53Observer {
    private(set) var requests: [PassReport.APICall: Int] = [:]
    private(set) var retries: [PassReport.APICall: Int] = [:]

    func request(operation: String, code: String) {
        requests[PassReport.APICall(operation: operation, detail: code), default: 0] += 1
    }

    func retry(operation: String, reason: String) {
        retries[PassReport.APICall(operation: operation, detail: reason), default: 0] += 1
    }
}
