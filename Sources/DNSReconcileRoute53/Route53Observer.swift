/// Receives one call per Route53 HTTP attempt and one per retry, for the API metrics.
///
/// `operation` is the Route53 operation name (`ListHostedZones`, `ListResourceRecordSets`,
/// `ChangeResourceRecordSets`, `GetChange`, `ListTagsForResources`). `code` is the HTTP status
/// (`"200"`), the AWS error code (`"Throttling"`) or `"transport"` when no response arrived.
/// `reason` is the code that caused the retry. Both are bounded sets, safe as metric labels.
public protocol Route53Observer: AnyObject {
    func request(operation: String, code: String)
    func retry(operation: String, reason: String)
}
