/// Receives one call per Route53 HTTP attempt and one per retry, for the API metrics and logs.
///
/// `operation` is the Route53 operation name (`ListHostedZones`, `ListResourceRecordSets`,
/// `ChangeResourceRecordSets`, `GetChange`, `ListTagsForResources`, and for managed health checks
/// `ListHealthChecks`, `GetHealthCheck`, `CreateHealthCheck`, `UpdateHealthCheck`, `DeleteHealthCheck`,
/// `ChangeTagsForResource`). `code` is the HTTP status
/// (`"200"`), the AWS error code (`"Throttling"`) or `"transport"` when no response arrived.
/// `reason` is the code that caused the retry. Both are bounded sets, safe as metric labels.
public protocol Route53Observer: AnyObject {
    func request(operation: String, code: String)
    func retry(operation: String, reason: String)
    /// One call per retry, before its backoff sleep, with what a log line needs. The default
    /// forwards to `retry(operation:reason:)`; an observer that implements this one counts here.
    func retrying(_ event: Route53RetryEvent)
    /// Something worth a log line that is not an error: a change batch whose answer was lost
    /// but which a fresh listing shows applied, an unreadable answer to an accepted batch.
    func notice(operation: String, message: String)
}

extension Route53Observer {
    public func retrying(_ event: Route53RetryEvent) { retry(operation: event.operation, reason: event.reason) }
    public func notice(operation: String, message: String) {}
}

/// One retry about to happen.
public struct Route53RetryEvent: Sendable {
    public var operation: String
    /// The metric label: the AWS code, the HTTP status, `timeout` or `transport`.
    public var reason: String
    /// 1 for the first retry.
    public var retry: Int
    public var maxRetries: Int
    /// Seconds of backoff before the retry.
    public var delay: Double
    /// The failure being retried (never contains credentials: errors are built without them).
    public var message: String

    public init(operation: String, reason: String, retry: Int, maxRetries: Int, delay: Double, message: String) {
        self.operation = operation
        self.reason = reason
        self.retry = retry
        self.maxRetries = maxRetries
        self.delay = delay
        self.message = message
    }
}
