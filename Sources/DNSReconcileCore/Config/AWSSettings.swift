/// `[aws]`: account access. nil means "not configured here": the AWS environment variables and
/// files apply as CONTRACT §7 says (region: `AWS_REGION`, `AWS_DEFAULT_REGION`, else us-east-1).
public struct AWSSettings: Hashable, Sendable {
    public var region: String?
    public var profile: String?
    public var credentialsFile: String?
    public var configFile: String?
    public var roleARN: String?
    public var webIdentityTokenFile: String?
    public var endpointURL: String?
    /// Shared by every cluster of the pass that uses the same account and endpoint.
    public var requestsPerSecond: Double
    public var maxRetries: Int

    public init(region: String? = nil, profile: String? = nil, credentialsFile: String? = nil, configFile: String? = nil,
                roleARN: String? = nil, webIdentityTokenFile: String? = nil, endpointURL: String? = nil,
                requestsPerSecond: Double = 5, maxRetries: Int = 8) {
        self.region = region
        self.profile = profile
        self.credentialsFile = credentialsFile
        self.configFile = configFile
        self.roleARN = roleARN
        self.webIdentityTokenFile = webIdentityTokenFile
        self.endpointURL = endpointURL
        self.requestsPerSecond = requestsPerSecond
        self.maxRetries = maxRetries
    }
}
