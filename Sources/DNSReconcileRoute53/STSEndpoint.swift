/// Chooses the STS endpoint and the region its requests are signed for.
///
/// `[aws] endpoint-url` is Route53's alone; STS follows the SDKs' override variables:
/// `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, else the regional endpoint of `region`
/// (`https://sts.<region>.amazonaws.com`, `.amazonaws.com.cn` in China) when a region is known,
/// else the global `https://sts.amazonaws.com`. Regional endpoints are what AWS recommends and
/// what the SDKs use by default now; the global one signs for us-east-1.
public enum STSEndpoint {
    public static let globalURL = "https://sts.amazonaws.com"

    public static func resolve(region: String?, environment: [String: String]) -> (url: String, signingRegion: String) {
        let region = region.map(trimmed).flatMap { $0.isEmpty ? nil : $0 }
        for candidate in [environment["AWS_ENDPOINT_URL_STS"], environment["AWS_ENDPOINT_URL"]] {
            guard var value = candidate.map(trimmed) else { continue }
            while value.hasSuffix("/") { value.removeLast() }
            if !value.isEmpty { return (value, region ?? "us-east-1") }
        }
        guard let region else { return (globalURL, "us-east-1") }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return ("https://sts.\(region).\(suffix)", region)
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = text.firstIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...text.lastIndex(where: { !isSpace($0) })!])
    }
}
