import DNSReconcileCore
import DNSReconcileHTTP
import DNSReconcileRoute53

/// Hands out one Route53 client per distinct (endpoint, credential identity) for the whole
/// pass, so every cluster that uses the same account (or role) shares one connection and one
/// rate limit (Route53 throttles per account).
final class ProviderPool {
    /// Builds a client for an account; the default talks to Route53 over libcurl.
    typealias Factory = (_ endpoint: String, _ credentials: AWSCredentialProvider, _ aws: AWSSettings)
        throws(DNSReconcileError) -> DNSProvider

    private let environment: [String: String]
    private let homeDirectory: String?
    private let time: TimeSource
    private let factory: Factory
    private var clients: [String: DNSProvider] = [:]
    /// By the `[aws]` keys that choose credentials: clusters with the same settings share one
    /// provider, so a role is assumed once per pass, not once per cluster.
    private var credentialProviders: [[String]: AWSCredentialProvider] = [:]
    /// libcurl handles for STS and instance metadata, opened only when a chain needs them.
    private let credentialTransports = CredentialTransports()

    init(environment: [String: String], homeDirectory: String?, time: TimeSource = SystemTimeSource(),
         factory: @escaping Factory) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.time = time
        self.factory = factory
    }

    /// The real clients: one libcurl transport shared by all of them (it keeps one connection
    /// per endpoint alive for the pass), a token bucket per account, and the API counter.
    /// `deadline` (absolute) and `requestTimeout` (seconds) bound every request and retry.
    static func route53(time: TimeSource, observer: Route53Observer, deadline: Double? = nil,
                        requestTimeout: Double = 30) -> Factory {
        var transport: CurlTransport?
        return { (endpoint: String, credentials: AWSCredentialProvider, aws: AWSSettings) throws(DNSReconcileError) -> DNSProvider in
            let shared: CurlTransport
            if let transport { shared = transport } else {
                shared = try CurlTransport(options: HTTPOptions(connectTimeout: min(10, requestTimeout), totalTimeout: requestTimeout,
                                                                userAgent: "dnsreconcile/\(DNSReconcileVersion.current)"))
                transport = shared
            }
            let rate = aws.requestsPerSecond > 0 ? aws.requestsPerSecond : 5
            let limiter = TokenBucket(ratePerSecond: rate, burst: rate, time: time)
            let signer = SigV4Signer(credentials: try credentials.credentials(now: time.now()))
            return Route53Client(endpoint: endpoint, transport: shared, signer: signer, credentials: credentials,
                                 limiter: limiter, time: time, maxRetries: aws.maxRetries, observer: observer,
                                 deadline: deadline)
        }
    }

    /// The client for `aws` and the key that identifies its account for zone caching.
    func provider(for aws: AWSSettings) throws(DNSReconcileError) -> (provider: DNSProvider, account: String) {
        let credentials = try credentialProvider(for: aws)
        let endpoint = Route53Endpoint.resolve(configured: aws.endpointURL, environment: environment)
        let account = endpoint + "|" + credentials.identity
        if let client = clients[account] { return (client, account) }
        let client = try factory(endpoint, credentials, aws)
        clients[account] = client
        return (client, account)
    }

    /// The credential chain of `aws` (CredentialChain.provider), resolved once per distinct setting.
    func credentialProvider(for aws: AWSSettings) throws(DNSReconcileError) -> AWSCredentialProvider {
        let key = [aws.profile, aws.credentialsFile, aws.configFile, aws.roleARN, aws.webIdentityTokenFile, aws.region]
            .map { $0 ?? "" }
        if let known = credentialProviders[key] { return known }
        let transports = credentialTransports
        let context = CredentialContext(
            environment: environment, homeDirectory: homeDirectory, time: time,
            stsTransport: { () throws(DNSReconcileError) -> HTTPTransport in try transports.sts() },
            metadataTransport: { (timeout: Double) throws(DNSReconcileError) -> HTTPTransport in
                try transports.metadata(timeout: timeout)
            })
        let provider = try CredentialChain.provider(for: aws, context: context)
        credentialProviders[key] = provider
        return provider
    }
}

/// The transports of the credential chains of one pass; the providers keep it alive as long as
/// they may refresh.
private final class CredentialTransports {
    private var stsTransport: HTTPTransport?
    private var metadataTransports: [Double: HTTPTransport] = [:]

    func sts() throws(DNSReconcileError) -> HTTPTransport {
        if let stsTransport { return stsTransport }
        let transport = try CurlTransport(options: HTTPOptions(userAgent: "dnsreconcile/\(DNSReconcileVersion.current)"))
        stsTransport = transport
        return transport
    }

    /// Off EC2 nothing answers at the link-local address: connect and total timeouts are both short.
    func metadata(timeout: Double) throws(DNSReconcileError) -> HTTPTransport {
        if let known = metadataTransports[timeout] { return known }
        let transport = try CurlTransport(options: HTTPOptions(
            connectTimeout: timeout, totalTimeout: timeout, userAgent: "dnsreconcile/\(DNSReconcileVersion.current)"))
        metadataTransports[timeout] = transport
        return transport
    }
}
