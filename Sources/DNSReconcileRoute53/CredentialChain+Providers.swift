import DNSReconcileCore

extension CredentialChain {
    /// The credentials of one `[aws]` section, as a provider that refreshes temporary ones.
    ///
    /// Order (first match wins), after the AWS SDKs:
    /// 1. `[aws] web-identity-token-file` (with `role-arn`, else `AWS_ROLE_ARN`):
    ///    AssumeRoleWithWebIdentity, nothing else is consulted;
    /// 2. the base credentials:
    ///    a. `[aws] profile`: that profile only (an explicit account never falls back);
    ///    b. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
    ///    c. `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (EKS IRSA);
    ///    d. the profile `AWS_PROFILE` (must exist) or `default` (may be absent) of the shared
    ///       credentials and config files: static keys, or `role_arn` with `source_profile`,
    ///       `credential_source` or `web_identity_token_file`;
    ///    e. EC2 instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED=true`;
    /// 3. `[aws] role-arn`: AssumeRole signed with the base credentials (role chaining), except
    ///    when the base already is a web identity session of that same role.
    ///
    /// Temporary credentials are fetched here once, so a wrong role or an unreachable STS fails
    /// the cluster at setup with a message naming what was tried, not halfway through a pass.
    public static func provider(for settings: AWSSettings, context: CredentialContext)
        throws(DNSReconcileError) -> AWSCredentialProvider {
        var resolver = try CredentialChainResolver(settings: settings, context: context)
        let provider = try resolver.resolve()
        _ = try provider.credentials(now: context.time.now())
        return provider
    }
}

/// One resolution of `CredentialChain.provider(for:context:)`.
struct CredentialChainResolver {
    let settings: AWSSettings
    let context: CredentialContext
    let files: AWSProfileFiles
    /// The region STS is called in: `[aws] region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the
    /// profile's `region` (set once the profile is known).
    var region: String?

    init(settings: AWSSettings, context: CredentialContext) throws(DNSReconcileError) {
        self.settings = settings
        self.context = context
        let home = CredentialChain.nonEmpty(context.homeDirectory) ?? CredentialChain.nonEmpty(context.environment["HOME"])
        self.files = try AWSProfileFiles(settings: settings, environment: context.environment, home: home)
        self.region = CredentialChain.nonEmpty(settings.region) ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION")
    }

    private func env(_ name: String) -> String? { CredentialChain.nonEmpty(context.environment[name]) }

    /// The session name AWS records in CloudTrail: `AWS_ROLE_SESSION_NAME` or `dnsreconcile-<time>`.
    private var defaultSessionName: String {
        env("AWS_ROLE_SESSION_NAME") ?? "dnsreconcile-\(Int(context.time.now()))"
    }

    mutating func resolve() throws(DNSReconcileError) -> AWSCredentialProvider {
        if let tokenFile = CredentialChain.nonEmpty(settings.webIdentityTokenFile) {
            guard let roleARN = CredentialChain.nonEmpty(settings.roleARN) ?? env("AWS_ROLE_ARN") else {
                throw DNSReconcileError(.credentials, "[aws] web-identity-token-file is set but there is no role to assume "
                                            + "with it; set [aws] role-arn (or AWS_ROLE_ARN)")
            }
            return webIdentity(STSClient.RoleRequest(roleARN: roleARN, sessionName: defaultSessionName),
                               tokenFile: tokenFile, origin: "[aws] web-identity-token-file")
        }
        let base = try baseProvider()
        guard let roleARN = CredentialChain.nonEmpty(settings.roleARN) else { return base }
        if base.identity == Self.webIdentityIdentity(roleARN) { return base }
        return assumeRole(STSClient.RoleRequest(roleARN: roleARN, sessionName: defaultSessionName), base: base,
                          origin: "[aws] role-arn")
    }

    // MARK: - The base chain

    private mutating func baseProvider() throws(DNSReconcileError) -> AWSCredentialProvider {
        if let explicit = CredentialChain.nonEmpty(settings.profile) {
            var visited: [String] = []
            return try profileProvider(explicit, origin: "[aws] profile", required: true, visited: &visited)!
        }
        if let credentials = try CredentialChain.fromEnvironment(context.environment) {
            return StaticCredentialProvider(credentials, source: "AWS_ACCESS_KEY_ID")
        }

        var tried = ["AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set"]
        switch (env("AWS_WEB_IDENTITY_TOKEN_FILE"), env("AWS_ROLE_ARN")) {
        case (let tokenFile?, let roleARN?):
            return webIdentity(STSClient.RoleRequest(roleARN: roleARN, sessionName: defaultSessionName),
                               tokenFile: tokenFile, origin: "AWS_WEB_IDENTITY_TOKEN_FILE")
        case (_?, nil):
            tried.append("AWS_WEB_IDENTITY_TOKEN_FILE is set without AWS_ROLE_ARN")
        case (nil, _?):
            tried.append("AWS_ROLE_ARN is set without AWS_WEB_IDENTITY_TOKEN_FILE")
        case (nil, nil):
            tried.append("AWS_WEB_IDENTITY_TOKEN_FILE is not set")
        }

        let named = env("AWS_PROFILE")
        var visited: [String] = []
        if let provider = try profileProvider(named ?? "default", origin: named != nil ? "AWS_PROFILE" : "default profile",
                                              required: named != nil, visited: &visited) {
            return provider
        }
        tried.append(files.profile("default") == nil ? "profile [default] is not in \(files.searched)"
                         : "profile [default] (\(files.profile("default")!.origin)) holds no credentials")

        if InstanceMetadataClient.isDisabled(environment: context.environment) {
            tried.append("EC2 instance metadata is disabled by AWS_EC2_METADATA_DISABLED")
        } else {
            let provider = instanceMetadata(origin: "instance metadata")
            do {
                _ = try provider.credentials(now: context.time.now())
                return provider
            } catch {
                tried.append(error.message)
            }
        }
        throw DNSReconcileError(
            .credentials,
            "no AWS credentials found: " + tried.joined(separator: "; ")
                + ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, add a [default] profile (or set [aws] profile), "
                + "or run where a web identity or an instance profile is available")
    }

    /// The provider of profile `name`; nil when it is absent (or holds no credentials at all)
    /// and not `required`.
    private mutating func profileProvider(_ name: String, origin: String, required: Bool,
                                          visited: inout [String]) throws(DNSReconcileError) -> AWSCredentialProvider? {
        guard let profile = files.profile(name) else {
            guard required else { return nil }
            let listing = files.names.isEmpty ? "they have no profiles" : "they have " + files.names.map { "[\($0)]" }.joined(separator: ", ")
            throw DNSReconcileError(.credentials, "AWS profile [\(name)] (\(origin)) not found in \(files.searched); \(listing)")
        }
        if region == nil { region = profile.value("region") }
        visited.append(name)

        if let roleARN = profile.value("role_arn") {
            var role = STSClient.RoleRequest(roleARN: roleARN, sessionName: profile.value("role_session_name") ?? defaultSessionName,
                                             externalID: profile.value("external_id"))
            if let text = profile.value("duration_seconds") {
                guard let seconds = Int(text), seconds >= 900 else {
                    throw DNSReconcileError(.credentials, "AWS profile [\(name)] (\(profile.origin)): duration_seconds "
                                                + "\"\(text)\" is not a number of seconds of at least 900")
                }
                role.durationSeconds = seconds
            }
            let described = "profile [\(name)]"
            if let tokenFile = profile.value("web_identity_token_file") {
                return webIdentity(role, tokenFile: tokenFile, origin: described)
            }
            if let source = profile.value("source_profile") {
                let base: AWSCredentialProvider
                if source == name {
                    // A profile that names itself uses its own keys as the base (botocore does the same).
                    guard let own = try staticKeys(of: profile) else {
                        throw DNSReconcileError(.credentials, "AWS profile [\(name)] (\(profile.origin)) is its own "
                                                    + "source_profile but has no aws_access_key_id/aws_secret_access_key")
                    }
                    base = own
                } else {
                    guard !visited.contains(source) else {
                        throw DNSReconcileError(.credentials, "AWS profile [\(name)]: source_profile chain loops: "
                                                    + (visited + [source]).map { "[\($0)]" }.joined(separator: " -> "))
                    }
                    base = try profileProvider(source, origin: "source_profile of [\(name)]", required: true, visited: &visited)!
                }
                return assumeRole(role, base: base, origin: described)
            }
            if let source = profile.value("credential_source") {
                let base: AWSCredentialProvider
                switch source {
                case "Environment":
                    guard let credentials = try CredentialChain.fromEnvironment(context.environment) else {
                        throw DNSReconcileError(.credentials, "AWS profile [\(name)] has credential_source = Environment "
                                                    + "but AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set")
                    }
                    base = StaticCredentialProvider(credentials, source: "AWS_ACCESS_KEY_ID")
                case "Ec2InstanceMetadata":
                    base = instanceMetadata(origin: "credential_source of [\(name)]")
                default:
                    throw DNSReconcileError(.credentials, "AWS profile [\(name)]: credential_source \"\(source)\" is not "
                                                + "supported; use Environment or Ec2InstanceMetadata")
                }
                return assumeRole(role, base: base, origin: described)
            }
            throw DNSReconcileError(.credentials, "AWS profile [\(name)] (\(profile.origin)) has role_arn but no "
                                        + "source_profile, credential_source or web_identity_token_file to assume it with")
        }
        if let provider = try staticKeys(of: profile) { return provider }
        guard required else { return nil }
        let unsupported = profile.values.keys.filter { $0.hasPrefix("sso_") || $0 == "credential_process" }
        throw DNSReconcileError(.credentials, "AWS profile [\(name)] (\(profile.origin)) has no credentials this tool can "
                                    + "use: give it aws_access_key_id and aws_secret_access_key, or role_arn"
                                    + (unsupported.isEmpty ? "" : " (\(unsupported.sorted().joined(separator: ", ")) are not supported)"))
    }

    /// The profile's access keys; nil when it has neither. Half a key pair is an error.
    private func staticKeys(of profile: AWSProfileFiles.Profile) throws(DNSReconcileError) -> AWSCredentialProvider? {
        switch (profile.value("aws_access_key_id"), profile.value("aws_secret_access_key")) {
        case (let keyID?, let secret?):
            return StaticCredentialProvider(
                AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: profile.value("aws_session_token")),
                source: "profile [\(profile.name)] of \(profile.origin)")
        case (_?, nil):
            throw DNSReconcileError(.credentials, "AWS profile [\(profile.name)] (\(profile.origin)) has aws_access_key_id "
                                        + "but no aws_secret_access_key; add it")
        case (nil, _?):
            throw DNSReconcileError(.credentials, "AWS profile [\(profile.name)] (\(profile.origin)) has "
                                        + "aws_secret_access_key but no aws_access_key_id; add it")
        case (nil, nil):
            return nil
        }
    }

    // MARK: - Temporary credentials

    static func webIdentityIdentity(_ roleARN: String) -> String { "web-identity:" + roleARN }

    private func stsClient() -> () throws(DNSReconcileError) -> STSClient {
        let (url, signingRegion) = STSEndpoint.resolve(region: region, environment: context.environment)
        let context = self.context
        let cache = STSClientCache()
        return { () throws(DNSReconcileError) -> STSClient in
            if let client = cache.client { return client }
            let client = STSClient(endpoint: url, signingRegion: signingRegion, transport: try context.stsTransport(),
                                   time: context.time)
            cache.client = client
            return client
        }
    }

    private func webIdentity(_ role: STSClient.RoleRequest, tokenFile: String,
                                      origin: String) -> AWSCredentialProvider {
        let sts = stsClient()
        let home = CredentialChain.nonEmpty(context.homeDirectory) ?? env("HOME")
        let path = LocalFile.expandingTilde(tokenFile, home: home)
        return RefreshingCredentialProvider(
            identity: Self.webIdentityIdentity(role.roleARN),
            description: "role \(role.roleARN) assumed with the web identity token \(path) (\(origin))"
        ) { _ throws(DNSReconcileError) in
            // Read on every refresh: Kubernetes rotates projected tokens in place.
            let token: String
            switch LocalFile.contents(of: path) {
            case .success(let text):
                token = text.strippingWhitespace
            case .failure(.missing):
                throw DNSReconcileError(.credentials, "web identity token file \(path) (\(origin)) does not exist; "
                                            + "check the projected service account token volume")
            case .failure(.unreadable(let reason)):
                throw DNSReconcileError(.credentials, "cannot read the web identity token file \(path) (\(origin))",
                                        cause: reason)
            }
            guard !token.isEmpty else {
                throw DNSReconcileError(.credentials, "web identity token file \(path) (\(origin)) is empty")
            }
            return try sts().assumeRoleWithWebIdentity(role, token: token)
        }
    }

    private func assumeRole(_ role: STSClient.RoleRequest, base: AWSCredentialProvider,
                                     origin: String) -> AWSCredentialProvider {
        let sts = stsClient()
        return RefreshingCredentialProvider(
            identity: "assume-role:" + role.roleARN,
            description: "role \(role.roleARN) assumed with \(base) (\(origin))"
        ) { now throws(DNSReconcileError) in
            try sts().assumeRole(role, with: try base.credentials(now: now))
        }
    }

    private func instanceMetadata(origin: String) -> AWSCredentialProvider {
        let environment = context.environment
        let endpoint = InstanceMetadataClient.endpoint(environment: environment)
        let timeout = Double(environment["AWS_METADATA_SERVICE_TIMEOUT"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 1
        let attempts = Int(environment["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 1
        let factory = context.metadataTransport
        let cache = TransportCache()
        return RefreshingCredentialProvider(
            identity: "instance-metadata:" + endpoint,
            description: "the EC2 instance profile via instance metadata at \(endpoint) (\(origin))"
        ) { _ throws(DNSReconcileError) in
            let transport: HTTPTransport
            if let cached = cache.transport { transport = cached } else {
                transport = try factory(timeout)
                cache.transport = transport
            }
            return try InstanceMetadataClient(endpoint: endpoint, transport: transport, attempts: attempts).fetch().credentials
        }
    }
}

/// Lets the refresh closures build their STS client and transport once.
private final class STSClientCache {
    var client: STSClient?
}

private final class TransportCache {
    var transport: HTTPTransport?
}
