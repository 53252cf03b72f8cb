import DNSReconcileCore
import DNSReconcileHTTP
import DNSReconcileRoute53

/// Hands out one Route53 client per distinct (endpoint, access key id) for the whole pass, so
/// every cluster that uses the same account shares one connection and one rate limit (Route53
/// throttles per account).
final class ProviderPool {
    /// Builds a client for an account; the default talks to Route53 over libcurl.
    typealias Factory = (_ endpoint: String, _ credentials: AWSCredentials, _ aws: AWSSettings)
        throws(DNSReconcileError) -> DNSProvider

    private let environment: [String: String]
    private let homeDirectory: String?
    private let factory: Factory
    private var clients: [String: DNSProvider] = [:]

    init(environment: [String: String], homeDirectory: String?, factory: @escaping Factory) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.factory = factory
    }

    /// The real clients: one libcurl transport shared by all of them (it keeps one connection
    /// per endpoint alive for the pass), a token bucket per account, and the API counter.
    static func route53(time: TimeSource, observer: Route53Observer) -> Factory {
        var transport: CurlTransport?
        return { (endpoint: String, credentials: AWSCredentials, aws: AWSSettings) throws(DNSReconcileError) -> DNSProvider in
            let shared: CurlTransport
            if let transport { shared = transport } else {
                shared = try CurlTransport(options: HTTPOptions(userAgent: "dnsreconcile/\(DNSReconcileVersion.current)"))
                transport = shared
            }
            let rate = aws.requestsPerSecond > 0 ? aws.requestsPerSecond : 5
            let limiter = TokenBucket(ratePerSecond: rate, burst: rate, time: time)
            return Route53Client(endpoint: endpoint, transport: shared, signer: SigV4Signer(credentials: credentials),
                                 limiter: limiter, time: time, maxRetries: aws.maxRetries, observer: observer)
        }
    }

    /// The client for `aws` and the key that identifies its account for zone caching.
    func provider(for aws: AWSSettings) throws(DNSReconcileError) -> (provider: DNSProvider, account: String) {
        if aws.roleARN != nil || aws.webIdentityTokenFile != nil {
            throw DNSReconcileError(.credentials,
                                    "[aws] role-arn / web-identity-token-file (STS) are not supported by this build yet; "
                                        + "use access keys or a shared credentials profile")
        }
        let credentials = try CredentialChain.resolve(profile: aws.profile, credentialsFile: aws.credentialsFile,
                                                      environment: environment, homeDirectory: homeDirectory)
        let endpoint = Route53Endpoint.resolve(configured: aws.endpointURL, environment: environment)
        let account = endpoint + "|" + credentials.accessKeyID
        if let client = clients[account] { return (client, account) }
        let client = try factory(endpoint, credentials, aws)
        clients[account] = client
        return (client, account)
    }
}
