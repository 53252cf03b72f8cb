import DNSReconcileRoute53

/// Remembers every observer call, in order.
final class RecordingObserver: Route53Observer {
    private(set) var requests: [String] = []
    private(set) var retries: [String] = []
    private(set) var events: [Route53RetryEvent] = []
    private(set) var notices: [String] = []

    func request(operation: String, code: String) { requests.append("\(operation) \(code)") }
    func retry(operation: String, reason: String) { retries.append("\(operation) \(reason)") }
    func retrying(_ event: Route53RetryEvent) {
        events.append(event)
        retry(operation: event.operation, reason: event.reason)
    }
    func notice(operation: String, message: String) { notices.append(message) }
}
