import DNSReconcileRoute53

/// Remembers every observer call, in order.
final class RecordingObserver: Route53Observer {
    private(set) var requests: [String] = []
    private(set) var retries: [String] = []

    func request(operation: String, code: String) { requests.append("\(operation) \(code)") }
    func retry(operation: String, reason: String) { retries.append("\(operation) \(reason)") }
}
