/// Chooses the Route53 endpoint URL, honouring the AWS SDKs' endpoint override variables.
///
/// Order: the configured value (`[aws] endpoint-url`), `AWS_ENDPOINT_URL_ROUTE_53` (the
/// service-specific variable of the SDK standard), `AWS_ENDPOINT_URL` (the global one), else the
/// public endpoint. Empty or blank values are skipped, so an `endpoint-url =` left empty in a
/// config file falls through instead of producing a relative URL. Trailing slashes are trimmed
/// because request paths start with `/2013-04-01/`.
public enum Route53Endpoint {
    public static let defaultURL = "https://route53.amazonaws.com"

    public static func resolve(configured: String?, environment: [String: String]) -> String {
        let candidates = [configured, environment["AWS_ENDPOINT_URL_ROUTE_53"], environment["AWS_ENDPOINT_URL"]]
        for candidate in candidates {
            guard var value = candidate.map(trimmed) else { continue }
            while value.hasSuffix("/") { value.removeLast() }
            if !value.isEmpty { return value }
        }
        return defaultURL
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = text.firstIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...text.lastIndex(where: { !isSpace($0) })!])
    }
}
