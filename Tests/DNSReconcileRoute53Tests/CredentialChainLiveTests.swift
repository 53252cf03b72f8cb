import DNSReconcileCore
import DNSReconcileHTTP
import DNSReconcileTestSupport
import Foundation
import Testing
@testable import DNSReconcileRoute53

/// The credential chain over libcurl against moto's STS (served by the same moto_server as
/// Route53) and a loopback IMDS stand-in: the requests are real, only the endpoints differ.
///
/// moto picks the service from the SigV4 credential scope (signed calls) or from the action
/// (unsigned AssumeRoleWithWebIdentity), so an AssumeRole signed for the wrong service would
/// reach moto's Route53 and fail: a passing test shows the scope is `sts`.
@Suite("Credential chain against moto STS and an IMDS stand-in", .serialized)
final class CredentialChainLiveTests {
    nonisolated(unsafe) private static let server = Result { () throws(DNSReconcileError) -> MotoServer in try MotoServer() }

    static let roleARN = "arn:aws:iam::123456789012:role/dnsreconcile"
    let moto: MotoServer
    let sts: RecordingTransport
    let home: ScratchHome

    init() throws {
        moto = try Self.server.get()
        sts = RecordingTransport(try CurlTransport())
        home = try ScratchHome()
    }

    /// The chain with STS at moto (through `sts`) and metadata disabled unless `environment` says otherwise.
    func provider(_ settings: AWSSettings = AWSSettings(), environment: [String: String] = [:],
                  time: TimeSource = SystemTimeSource()) throws(DNSReconcileError) -> AWSCredentialProvider {
        var environment = environment
        environment["AWS_ENDPOINT_URL_STS"] = moto.endpoint
        if environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] == nil { environment["AWS_EC2_METADATA_DISABLED"] = "true" }
        return try CredentialChain.provider(for: settings, context: credentialContext(
            environment: environment, home: home.path, time: time, sts: sts))
    }

    static let baseKeys = ["AWS_ACCESS_KEY_ID": "AKIDBASEKEY00001", "AWS_SECRET_ACCESS_KEY": "base-secret-key"]

    @Test func roleARNIsAssumedWithTheBaseCredentialsAndSignedForSTS() throws {
        let provider = try provider(AWSSettings(roleARN: Self.roleARN), environment: Self.baseKeys)
        let credentials = try provider.credentials(now: SystemTimeSource().now())
        #expect(credentials.accessKeyID.hasPrefix("ASIA") && credentials.sessionToken?.isEmpty == false)
        let expiration = try #require(credentials.expiration)
        #expect(expiration > SystemTimeSource().now() + 600, "an hour by default: \(expiration)")

        let calls = sts.stsCalls("AssumeRole")
        #expect(calls.count == 1)
        let call = try #require(calls.first)
        #expect(RecordingTransport.signingKeyID(call) == "AKIDBASEKEY00001")
        #expect(RecordingTransport.scope(call)?.hasSuffix("/us-east-1/sts/aws4_request") == true)
        #expect(RecordingTransport.form(call)["RoleArn"] == Self.roleARN)
        #expect(provider.identity == "assume-role:" + Self.roleARN)
    }

    @Test func webIdentityFromTheEnvironmentIsUnsignedAndRereadsTheTokenOnRefresh() throws {
        let tokenFile = try home.write("token", "first.jwt.token\n")
        let time = ManualTimeSource(start: SystemTimeSource().now())
        let provider = try provider(environment: ["AWS_ROLE_ARN": Self.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile],
                                    time: time)
        let first = try provider.credentials(now: time.now())
        #expect(first.accessKeyID.hasPrefix("ASIA"))
        let call = try #require(sts.stsCalls("AssumeRoleWithWebIdentity").first)
        #expect(!call.headers.contains { $0.name.lowercased() == "authorization" })
        #expect(RecordingTransport.form(call)["WebIdentityToken"] == "first.jwt.token")
        #expect(provider.identity == "web-identity:" + Self.roleARN)

        // Kubernetes rotated the projected token; the session is about to expire.
        try home.write("token", "second.jwt.token")
        time.advance(by: try #require(first.expiration) - time.now() - 200)
        let second = try provider.credentials(now: time.now())
        #expect(second.accessKeyID != first.accessKeyID)
        let calls = sts.stsCalls("AssumeRoleWithWebIdentity")
        #expect(calls.count == 2)
        #expect(calls.last.map { RecordingTransport.form($0)["WebIdentityToken"] } == "second.jwt.token")
    }

    @Test func webIdentitySettingWithRoleARN() throws {
        let tokenFile = try home.write("token", "settings.jwt")
        let provider = try provider(AWSSettings(roleARN: Self.roleARN, webIdentityTokenFile: tokenFile),
                                    environment: Self.baseKeys)
        _ = try provider.credentials(now: SystemTimeSource().now())
        #expect(sts.stsCalls("AssumeRoleWithWebIdentity").count == 1, "the web identity wins over environment keys")
        #expect(sts.stsCalls("AssumeRole").isEmpty)
    }

    @Test func sameRoleAsTheWebIdentityIsNotAssumedTwice() throws {
        let tokenFile = try home.write("token", "irsa.jwt")
        _ = try provider(AWSSettings(roleARN: Self.roleARN),
                         environment: ["AWS_ROLE_ARN": Self.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile])
        #expect(sts.stsCalls("AssumeRoleWithWebIdentity").count == 1)
        #expect(sts.stsCalls("AssumeRole").isEmpty)

        // Another role is chained on top of the web identity session.
        let other = "arn:aws:iam::210987654321:role/dns-other-account"
        let chained = try provider(AWSSettings(roleARN: other),
                                   environment: ["AWS_ROLE_ARN": Self.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile])
        let call = try #require(sts.stsCalls("AssumeRole").first)
        #expect(RecordingTransport.form(call)["RoleArn"] == other)
        #expect(RecordingTransport.signingKeyID(call)?.hasPrefix("ASIA") == true, "signed with the web identity session")
        #expect(chained.identity == "assume-role:" + other)
    }

    @Test func configFileProfileWithWebIdentityTokenFile() throws {
        let tokenFile = try home.write("token", "profile.jwt")
        try home.write(".aws/config", "[profile eks]\nrole_arn = \(Self.roleARN)\nweb_identity_token_file = \(tokenFile)\n")
        _ = try provider(AWSSettings(profile: "eks"))
        let call = try #require(sts.stsCalls("AssumeRoleWithWebIdentity").first)
        #expect(RecordingTransport.form(call)["WebIdentityToken"] == "profile.jwt")
    }

    @Test func configFileProfileWithCredentialSourceEnvironment() throws {
        try home.write(".aws/config", "[profile dns]\nrole_arn = \(Self.roleARN)\ncredential_source = Environment\n")
        // Environment keys come before AWS_PROFILE in the chain: no role here.
        _ = try provider(environment: Self.baseKeys.merging(["AWS_PROFILE": "dns"]) { $1 })
        #expect(sts.requests.isEmpty)
        // An explicit profile is used as written.
        _ = try provider(AWSSettings(profile: "dns"), environment: Self.baseKeys)
        #expect(sts.stsCalls("AssumeRole").count == 1)
        let call = try #require(sts.stsCalls("AssumeRole").first)
        #expect(RecordingTransport.signingKeyID(call) == "AKIDBASEKEY00001")
    }

    @Test func route53ClientAsksForFreshCredentialsWhenFewerThanFiveMinutesRemain() throws {
        let time = ManualTimeSource(start: SystemTimeSource().now())
        // Fifteen-minute sessions (the STS minimum) via a profile's duration_seconds.
        try home.write(".aws/config", "[profile short]\nrole_arn = \(Self.roleARN)\nsource_profile = short\n"
                           + "duration_seconds = 900\naws_access_key_id = AKIDSHORT0000001\naws_secret_access_key = s\n")
        let provider = try provider(AWSSettings(profile: "short"), time: time)
        let route53 = RecordingTransport(try CurlTransport())
        let client = Route53Client(endpoint: moto.endpoint, transport: route53,
                                   signer: SigV4Signer(credentials: try provider.credentials(now: time.now())),
                                   credentials: provider,
                                   limiter: TokenBucket(ratePerSecond: 1000, burst: 1000, time: time), time: time)
        _ = try client.listZones()
        time.advance(by: 500)  // 400 s left
        _ = try client.listZones()
        time.advance(by: 150)  // 250 s left: refresh before signing
        _ = try client.listZones()

        let keys = route53.requests.compactMap(RecordingTransport.signingKeyID)
        #expect(keys.count == 3)
        #expect(keys[0] == keys[1], "still valid for more than five minutes")
        #expect(keys[2] != keys[1], "refreshed: \(keys)")
        #expect(keys.allSatisfy { $0.hasPrefix("ASIA") })
        #expect(sts.stsCalls("AssumeRole").count == 2)
        #expect(route53.requests.allSatisfy { $0.headers.contains { $0.name == "X-Amz-Security-Token" } })
        #expect(route53.requests.allSatisfy { RecordingTransport.scope($0)?.hasSuffix("/route53/aws4_request") == true })
    }

    // MARK: - Instance metadata

    @Test func instanceMetadataIsTheLastResortAndSpeaksIMDSv2() throws {
        let imds = try InstanceMetadataStandIn(role: "edge-node")
        let provider = try provider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.endpoint])
        let credentials = try provider.credentials(now: SystemTimeSource().now())
        #expect(credentials.accessKeyID == "ASIAIMDSSTANDIN1")
        #expect(credentials.sessionToken == "imds-session-1")
        #expect(credentials.expiration != nil)
        #expect(try imds.log() == [
            "PUT /latest/api/token notoken",
            "GET /latest/meta-data/iam/security-credentials/ token",
            "GET /latest/meta-data/iam/security-credentials/edge-node token",
        ])
        #expect(provider.identity.hasPrefix("instance-metadata:"))
    }

    @Test func instanceMetadataCredentialsAreRefreshed() throws {
        let imds = try InstanceMetadataStandIn(expiresIn: 600)
        let time = ManualTimeSource(start: SystemTimeSource().now())
        let provider = try provider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.endpoint], time: time)
        #expect(try provider.credentials(now: time.now()).accessKeyID == "ASIAIMDSSTANDIN1")
        time.advance(by: 200)
        #expect(try provider.credentials(now: time.now()).accessKeyID == "ASIAIMDSSTANDIN1")
        time.advance(by: 150)  // about 250 s left
        #expect(try provider.credentials(now: time.now()).accessKeyID == "ASIAIMDSSTANDIN2")
    }

    @Test func instanceMetadataAsTheSourceOfAnAssumedRole() throws {
        let imds = try InstanceMetadataStandIn()
        try home.write(".aws/config", "[profile dns]\nrole_arn = \(Self.roleARN)\ncredential_source = Ec2InstanceMetadata\n")
        _ = try provider(AWSSettings(profile: "dns"), environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.endpoint])
        let call = try #require(sts.stsCalls("AssumeRole").first)
        #expect(RecordingTransport.signingKeyID(call) == "ASIAIMDSSTANDIN1")
        #expect(call.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == "imds-session-1" })
    }

    @Test func unreachableInstanceMetadataEndsTheChainWithEverythingTried() throws {
        // A loopback port where nothing listens: refused at once, no waiting.
        let closed = "http://127.0.0.1:\(Self.closedPort())"
        do {
            _ = try provider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": closed])
            Issue.record("credentials from nowhere")
        } catch {
            #expect(error.code == .credentials)
            #expect(error.message.contains("EC2 instance metadata at \(closed) did not answer"), "\(error)")
            #expect(error.message.contains("AWS_ACCESS_KEY_ID"), "\(error)")
        }
    }

    @Test func metadataDisabledIsNeverContacted() throws {
        let imds = try InstanceMetadataStandIn()
        #expect(throws: DNSReconcileError(.credentials, "")) {
            try self.provider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.endpoint,
                                            "AWS_EC2_METADATA_DISABLED": "TRUE"])
        }
        #expect(try imds.log().isEmpty)
    }

    @Test func noSecretReachesAnyMessage() throws {
        let tokenFile = try home.write("token", "secret.jwt.value")
        let web = ["AWS_ROLE_ARN": Self.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile]
        let provider = try provider(AWSSettings(roleARN: "arn:aws:iam::123456789012:role/chained"), environment: web)
        let credentials = try provider.credentials(now: SystemTimeSource().now())
        var texts = [provider.description, "\(credentials)", String(reflecting: credentials)]
        // The token is gone: the message names the file, not what it held.
        try FileManager.default.removeItem(atPath: tokenFile)
        do {
            _ = try self.provider(environment: web)
            Issue.record("a missing token file was accepted")
        } catch {
            #expect(error.message.contains(tokenFile) && error.message.contains("does not exist"), "\(error)")
            texts.append(error.description)
        }
        for text in texts {
            #expect(!text.contains("secret.jwt.value") && !text.contains(credentials.secretAccessKey), "\(text)")
            #expect(!text.contains(credentials.sessionToken ?? "-"), "\(text)")
        }
    }

    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
