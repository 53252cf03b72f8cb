import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing
@testable import DNSReconcileRoute53

/// The offline parts of the full credential chain: timestamps, the STS endpoint, refresh
/// timing, STS answers replayed, and what the chain says when it finds nothing.
@Suite struct CredentialProviderTests {
    @Test(arguments: [
        ("2026-11-24T20:31:33Z", 1_795_552_293.0),
        ("2026-11-24T20:31:33.706493Z", 1_795_552_293.706493),
        ("2026-11-24T21:31:33+01:00", 1_795_552_293),
        ("2026-11-24T18:31:33-02:00", 1_795_552_293),
        ("2017-05-17T15:09:54Z", 1_495_033_794),
    ])
    func timestamps(text: String, expected: Double) throws {
        let parsed = try #require(AWSTimestamp.parse(text))
        #expect(abs(parsed - expected) < 0.000_01, "\(text) -> \(parsed)")
    }

    @Test(arguments: ["", "2026-11-24", "2026-11-24T20:31:33", "2026-13-01T00:00:00Z", "2026-11-24T20:31:33.Z",
                      "2026-11-24T20:31:33Zjunk", "yesterday"])
    func badTimestamps(text: String) {
        #expect(AWSTimestamp.parse(text) == nil, "\(text)")
    }

    @Test(arguments: [
        ([:], nil, "https://sts.amazonaws.com", "us-east-1"),
        ([:], "ap-east-1", "https://sts.ap-east-1.amazonaws.com", "ap-east-1"),
        ([:], "cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (["AWS_ENDPOINT_URL": "http://127.0.0.1:5000/"], nil, "http://127.0.0.1:5000", "us-east-1"),
        (["AWS_ENDPOINT_URL": "http://global", "AWS_ENDPOINT_URL_STS": "http://sts-only"], "eu-west-1", "http://sts-only",
         "eu-west-1"),
        (["AWS_ENDPOINT_URL_STS": "  "], "eu-west-1", "https://sts.eu-west-1.amazonaws.com", "eu-west-1"),
        (["AWS_ENDPOINT_URL_ROUTE_53": "http://route53-only"], nil, "https://sts.amazonaws.com", "us-east-1"),
    ] as [([String: String], String?, String, String)])
    func stsEndpoint(environment: [String: String], region: String?, url: String, signingRegion: String) {
        let resolved = STSEndpoint.resolve(region: region, environment: environment)
        #expect(resolved.url == url)
        #expect(resolved.signingRegion == signingRegion)
    }

    @Test func refreshesOnlyWhenLessThanFiveMinutesRemain() throws {
        let time = ManualTimeSource(start: 1_000_000)
        var issued = 0
        let provider = RefreshingCredentialProvider(identity: "test", description: "test") { now in
            issued += 1
            return AWSCredentials(accessKeyID: "ASIA\(issued)", secretAccessKey: "s", sessionToken: "t", expiration: now + 900)
        }
        #expect(try provider.credentials(now: time.now()).accessKeyID == "ASIA1")
        time.advance(by: 599)  // 301 s left: still good
        #expect(try provider.credentials(now: time.now()).accessKeyID == "ASIA1")
        time.advance(by: 2)  // 299 s left: refresh
        #expect(try provider.credentials(now: time.now()).accessKeyID == "ASIA2")
        #expect(provider.fetchCount == 2)
    }

    @Test func failedRefreshKeepsValidCredentialsButNotExpiredOnes() throws {
        let time = ManualTimeSource(start: 1_000_000)
        var fail = false
        let provider = RefreshingCredentialProvider(identity: "test", description: "test") { now throws(DNSReconcileError) in
            if fail { throw DNSReconcileError(.credentials, "STS is down") }
            return AWSCredentials(accessKeyID: "ASIAFIRST", secretAccessKey: "s", sessionToken: "t", expiration: now + 900)
        }
        _ = try provider.credentials(now: time.now())
        fail = true
        time.advance(by: 800)  // 100 s left: refresh fails, the old ones still work
        #expect(try provider.credentials(now: time.now()).accessKeyID == "ASIAFIRST")
        #expect(provider.fetchCount == 2, "the refresh was attempted")
        time.advance(by: 101)  // expired
        #expect(throws: DNSReconcileError(.credentials, "")) { try provider.credentials(now: time.now()) }
    }

    @Test func credentialsWithoutExpiryAreNeverRefreshed() throws {
        let provider = StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDSTATIC000001", secretAccessKey: "s"),
                                                source: "test")
        #expect(try provider.credentials(now: 0) == provider.credentials(now: 1e12))
        #expect(!provider.identity.contains("AKIDSTATIC"), "the identity must not carry the key id: \(provider.identity)")
        #expect(provider.description.contains("****0001"))
    }

    @Test func descriptionShowsExpiryButNoSecrets() {
        let credentials = AWSCredentials(accessKeyID: "ASIAEXAMPLEEXAMPLE", secretAccessKey: "very-secret-value",
                                         sessionToken: "session-token-value", expiration: 1_795_552_293)
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, String(reflecting: credentials), dumped] {
            #expect(!text.contains("very-secret") && !text.contains("session-token-value"), "\(text)")
        }
        #expect(credentials.description.contains("1795552293"))
    }

    // MARK: - STS answers

    static let assumeRoleAnswer = """
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
          <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/dns/s</Arn></AssumedRoleUser>
          <Credentials>
            <AccessKeyId>ASIAREPLAYED00001</AccessKeyId>
            <SecretAccessKey>replayed-secret</SecretAccessKey>
            <SessionToken>replayed-token</SessionToken>
            <Expiration>2026-11-24T20:31:33.5Z</Expiration>
          </Credentials>
        </AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>
        """

    static let accessDenied = """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
        <Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: \
        sts:AssumeRole on resource: arn:aws:iam::123456789012:role/dns</Message></Error>
        <RequestId>r</RequestId></ErrorResponse>
        """

    static let base = AWSCredentials(accessKeyID: "AKIDBASE00000001", secretAccessKey: "base-secret")
    static let role = STSClient.RoleRequest(roleARN: "arn:aws:iam::123456789012:role/dns", sessionName: "s",
                                            durationSeconds: 900, externalID: "ext-1")

    @Test func assumeRoleRequestIsASignedFormPostForSTS() throws {
        let transport = ReplayTransport([.xml(Self.assumeRoleAnswer)])
        let time = ManualTimeSource()
        let sts = STSClient(endpoint: "https://sts.ap-east-1.amazonaws.com/", signingRegion: "ap-east-1",
                            transport: transport, time: time)
        let credentials = try sts.assumeRole(Self.role, with: Self.base)
        #expect(credentials == AWSCredentials(accessKeyID: "ASIAREPLAYED00001", secretAccessKey: "replayed-secret",
                                              sessionToken: "replayed-token", expiration: 1_795_552_293.5))
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST" && request.url == "https://sts.ap-east-1.amazonaws.com/")
        #expect(RecordingTransport.scope(request)?.hasSuffix("/ap-east-1/sts/aws4_request") == true)
        #expect(RecordingTransport.signingKeyID(request) == "AKIDBASE00000001")
        #expect(RecordingTransport.form(request) == [
            "Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "arn:aws:iam::123456789012:role/dns",
            "RoleSessionName": "s", "DurationSeconds": "900", "ExternalId": "ext-1",
        ])
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value.hasPrefix("application/x-www-form-urlencoded") })
    }

    @Test func webIdentityRequestIsUnsigned() throws {
        let answer = Self.assumeRoleAnswer.replacingOccurrences(of: "AssumeRoleResult", with: "AssumeRoleWithWebIdentityResult")
            .replacingOccurrences(of: "AssumeRoleResponse", with: "AssumeRoleWithWebIdentityResponse")
        let transport = ReplayTransport([.xml(answer)])
        let sts = STSClient(endpoint: STSEndpoint.globalURL, signingRegion: "us-east-1", transport: transport,
                            time: ManualTimeSource())
        let credentials = try sts.assumeRoleWithWebIdentity(Self.role, token: "eyJhbGciOi.jwt+/=")
        #expect(credentials.accessKeyID == "ASIAREPLAYED00001")
        let request = try #require(transport.requests.first)
        #expect(!request.headers.contains { $0.name.lowercased() == "authorization" })
        #expect(RecordingTransport.form(request)["WebIdentityToken"] == "eyJhbGciOi.jwt+/=")
        #expect(RecordingTransport.form(request)["Action"] == "AssumeRoleWithWebIdentity")
        #expect(RecordingTransport.form(request)["ExternalId"] == nil)
    }

    @Test func accessDeniedIsACredentialsErrorWithAdviceAndNoSecret() throws {
        let transport = ReplayTransport([.xml(Self.accessDenied, status: 403)])
        let time = ManualTimeSource()
        let sts = STSClient(endpoint: STSEndpoint.globalURL, signingRegion: "us-east-1", transport: transport, time: time)
        do {
            _ = try sts.assumeRole(Self.role, with: Self.base)
            Issue.record("AccessDenied was accepted")
        } catch {
            #expect(error.code == .credentials)
            for part in ["AssumeRole", "arn:aws:iam::123456789012:role/dns", "AccessDenied", "trust policy"] {
                #expect(error.description.contains(part), "\(part) missing: \(error)")
            }
            #expect(!error.description.contains("base-secret"))
        }
        #expect(time.sleeps.isEmpty, "a client error is not retried")
    }

    @Test func serverErrorsAndTransportFailuresAreRetriedTwice() throws {
        let transport = ReplayTransport([
            .xml("<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>", status: 500),
            .failure(DNSReconcileError(.timeout, "timed out")),
            .xml(Self.assumeRoleAnswer),
        ])
        let time = ManualTimeSource()
        let sts = STSClient(endpoint: STSEndpoint.globalURL, signingRegion: "us-east-1", transport: transport, time: time)
        #expect(try sts.assumeRole(Self.role, with: Self.base).accessKeyID == "ASIAREPLAYED00001")
        #expect(time.sleeps == [0.5, 1])

        let failing = ReplayTransport(Array(repeating: .failure(DNSReconcileError(.transport, "refused")), count: 3))
        let sts2 = STSClient(endpoint: STSEndpoint.globalURL, signingRegion: "us-east-1", transport: failing,
                             time: ManualTimeSource())
        #expect(throws: DNSReconcileError(.credentials, "")) { try sts2.assumeRole(Self.role, with: Self.base) }
        #expect(failing.requests.count == 3)
    }

    @Test(arguments: [
        ("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>",
         "no complete Credentials"),
        ("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey>"
            + "<SessionToken>T</SessionToken><Expiration>soon</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
         "not an ISO 8601"),
        ("<html>proxy error", "not a readable"),
    ])
    func unreadableAnswers(body: String, message: String) {
        let sts = STSClient(endpoint: STSEndpoint.globalURL, signingRegion: "us-east-1",
                            transport: ReplayTransport([.xml(body)]), time: ManualTimeSource())
        do {
            _ = try sts.assumeRole(Self.role, with: Self.base)
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.code == .credentials && error.description.contains(message), "\(error)")
        }
    }

    // MARK: - What the chain says

    /// Builds the chain with nothing reachable: STS replies from `replies`, metadata disabled.
    static func resolve(_ settings: AWSSettings = AWSSettings(), environment: [String: String] = [:],
                        home: ScratchHome, replies: [ReplayTransport.Reply] = []) throws(DNSReconcileError)
        -> (AWSCredentialProvider, ReplayTransport) {
        let transport = ReplayTransport(replies)
        var environment = environment
        environment["AWS_EC2_METADATA_DISABLED"] = environment["AWS_EC2_METADATA_DISABLED"] ?? "true"
        let provider = try CredentialChain.provider(
            for: settings, context: credentialContext(environment: environment, home: home.path,
                                                      time: ManualTimeSource(start: 1_795_000_000), sts: transport))
        return (provider, transport)
    }

    @Test func nothingAnywhereNamesEverySourceTried() throws {
        let home = try ScratchHome()
        do {
            _ = try Self.resolve(home: home)
            Issue.record("credentials found in an empty home")
        } catch {
            #expect(error.code == .credentials)
            for part in ["no AWS credentials found", "AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "[default]",
                         ".aws/credentials (missing)", ".aws/config (missing)", "AWS_EC2_METADATA_DISABLED"] {
                #expect(error.message.contains(part), "\(part) missing: \(error)")
            }
        }
    }

    @Test func defaultProfileWithoutKeysIsSaidSo() throws {
        let home = try ScratchHome()
        try home.write(".aws/config", "[default]\nregion = ap-east-1\n")
        do {
            _ = try Self.resolve(home: home)
            Issue.record("credentials from a profile without keys")
        } catch {
            #expect(error.message.contains("profile [default] (") && error.message.contains("holds no credentials"),
                    "\(error)")
        }
    }

    @Test func halfAWebIdentityIsReported() throws {
        let home = try ScratchHome()
        do {
            _ = try Self.resolve(environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"], home: home)
            Issue.record("resolved")
        } catch {
            #expect(error.message.contains("AWS_WEB_IDENTITY_TOKEN_FILE is set without AWS_ROLE_ARN"), "\(error)")
        }
    }

    @Test func webIdentityTokenFileSettingNeedsARole() throws {
        let home = try ScratchHome()
        #expect(throws: DNSReconcileError(.credentials, "")) {
            try Self.resolve(AWSSettings(webIdentityTokenFile: "/var/run/token"), home: home)
        }
    }

    @Test(arguments: [
        ("[profile loop-a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loop-b\n"
            + "[profile loop-b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = loop-a\n", "loop-a", ["loops", "[loop-a] -> [loop-b] -> [loop-a]"]),
        ("[profile lonely]\nrole_arn = arn:aws:iam::1:role/a\n", "lonely", ["role_arn but no source_profile"]),
        ("[profile ecs]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = EcsContainer\n", "ecs", ["EcsContainer", "not supported"]),
        ("[profile sso]\nsso_start_url = https://x\nregion = eu-west-1\n", "sso", ["no credentials this tool can use", "sso_start_url"]),
        ("[profile half]\naws_access_key_id = AKIDHALF00000001\n", "half", ["aws_secret_access_key"]),
        ("[profile short]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = short\nduration_seconds = 60\n", "short", ["duration_seconds", "900"]),
        ("[default]\nregion = eu-west-1\n", "missing", ["[missing]", "not found", "they have [default]"]),
        ("[other]\naws_access_key_id = A\naws_secret_access_key = B\n", "other", ["[other]", "not found"]),
    ])
    func badProfiles(configFile: String, profile: String, parts: [String]) throws {
        let home = try ScratchHome()
        try home.write(".aws/config", configFile)
        do {
            _ = try Self.resolve(AWSSettings(profile: profile), home: home)
            Issue.record("profile \(profile) resolved")
        } catch {
            #expect(error.code == .credentials)
            for part in parts { #expect(error.message.contains(part), "\(part) missing: \(error)") }
        }
    }

    @Test func configFileRegionMakesSTSRegionalAndRoleProfileAssumesWithItsSource() throws {
        let home = try ScratchHome()
        try home.write(".aws/config", """
            [profile dns]
            role_arn = arn:aws:iam::123456789012:role/dns
            source_profile = base
            role_session_name = edge-7
            external_id = ext-9
            region = ap-east-1

            [sso-session corp]
            sso_region = us-east-1
            """)
        try home.write(".aws/credentials", "[base]\naws_access_key_id = AKIDBASE00000001\naws_secret_access_key = base-secret\n")
        let (provider, transport) = try Self.resolve(AWSSettings(profile: "dns"), home: home,
                                                     replies: [.xml(Self.assumeRoleAnswer)])
        #expect(provider.identity == "assume-role:arn:aws:iam::123456789012:role/dns")
        let request = try #require(transport.requests.first)
        #expect(request.url == "https://sts.ap-east-1.amazonaws.com/")
        #expect(RecordingTransport.signingKeyID(request) == "AKIDBASE00000001")
        let form = RecordingTransport.form(request)
        #expect(form["RoleSessionName"] == "edge-7" && form["ExternalId"] == "ext-9")
        #expect(!provider.description.contains("base-secret"))
    }

    @Test func settingsRegionWinsOverTheProfileAndEnvironmentKeysAreTheBase() throws {
        let home = try ScratchHome()
        try home.write(".aws/config", "[default]\nregion = ap-east-1\n")
        let (_, transport) = try Self.resolve(
            AWSSettings(region: "ap-southeast-1", roleARN: "arn:aws:iam::123456789012:role/dns"),
            environment: ["AWS_ACCESS_KEY_ID": "AKIDENVIRON00001", "AWS_SECRET_ACCESS_KEY": "env-secret",
                          "AWS_ROLE_SESSION_NAME": "named-session"],
            home: home, replies: [.xml(Self.assumeRoleAnswer)])
        let request = try #require(transport.requests.first)
        #expect(request.url == "https://sts.ap-southeast-1.amazonaws.com/")
        #expect(RecordingTransport.signingKeyID(request) == "AKIDENVIRON00001")
        #expect(RecordingTransport.form(request)["RoleSessionName"] == "named-session")
    }

    @Test func staticProfileInTheConfigFileAndCredentialsFileOverlay() throws {
        let home = try ScratchHome()
        try home.write(".aws/config", "[profile p]\naws_access_key_id = AKIDCONFIG000001\naws_secret_access_key = c\n")
        try home.write(".aws/credentials", "[p]\naws_access_key_id = AKIDCREDS0000001\naws_secret_access_key = d\n")
        let (provider, transport) = try Self.resolve(environment: ["AWS_PROFILE": "p"], home: home)
        #expect(try provider.credentials(now: 0).accessKeyID == "AKIDCREDS0000001", "the credentials file wins")
        #expect(transport.requests.isEmpty)
    }

    @Test func explicitConfigFileMustExist() throws {
        let home = try ScratchHome()
        do {
            _ = try Self.resolve(AWSSettings(configFile: home.path + "/nope"),
                                 environment: ["AWS_ACCESS_KEY_ID": "AKIDENVIRON00001", "AWS_SECRET_ACCESS_KEY": "x"],
                                 home: home)
            Issue.record("a missing [aws] config-file was accepted")
        } catch {
            #expect(error.message.contains("[aws] config-file") && error.message.contains("does not exist"), "\(error)")
        }
    }
}
