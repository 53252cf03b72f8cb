import DNSReconcileCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The EC2 instance metadata service (IMDSv2 only): the instance profile's role credentials.
///
/// Three requests: `PUT /latest/api/token` for a session token, `GET
/// /latest/meta-data/iam/security-credentials/` for the role name, `GET …/<role>` for the
/// credentials (JSON). IMDSv1 (unauthenticated GETs) is never used: it is the variant SSRF
/// attacks abuse, and every instance launched since 2024 can be IMDSv2-only.
///
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` or `http://169.254.169.254`; off EC2
/// nothing answers there, so the transport must have short timeouts (the caller builds it with
/// `AWS_METADATA_SERVICE_TIMEOUT`, default 1 s).
public struct InstanceMetadataClient {
    public static let defaultEndpoint = "http://169.254.169.254"
    /// Six hours, the longest session token IMDS hands out; one pass needs one token.
    static let tokenTTL = 21_600

    public var endpoint: String
    public var transport: HTTPTransport
    /// Attempts per request (`AWS_METADATA_SERVICE_NUM_ATTEMPTS`, default 1).
    public var attempts: Int

    public init(endpoint: String, transport: HTTPTransport, attempts: Int = 1) {
        var endpoint = endpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.transport = transport
        self.attempts = max(1, attempts)
    }

    /// The endpoint from the environment, else the link-local default.
    public static func endpoint(environment: [String: String]) -> String {
        let configured = (environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "").strippingWhitespace
        return configured.isEmpty ? defaultEndpoint : configured
    }

    /// True when `AWS_EC2_METADATA_DISABLED` is `true` (any case), as in the SDKs.
    public static func isDisabled(environment: [String: String]) -> Bool {
        (environment["AWS_EC2_METADATA_DISABLED"] ?? "").strippingWhitespace.lowercased() == "true"
    }

    /// The role's current credentials and the role name.
    public func fetch() throws(DNSReconcileError) -> (credentials: AWSCredentials, role: String) {
        let token = try send(HTTPRequest(method: "PUT", url: endpoint + "/latest/api/token",
                                         headers: [HTTPHeader("X-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTL)),
                                                   HTTPHeader("Content-Length", "0")]),
                             what: "session token (PUT /latest/api/token)")
        let tokenText = String(decoding: token, as: UTF8.self).strippingWhitespace
        guard !tokenText.isEmpty else {
            throw DNSReconcileError(.credentials, "EC2 instance metadata at \(endpoint) returned an empty session token")
        }
        let authenticated = [HTTPHeader("X-aws-ec2-metadata-token", tokenText)]
        let listPath = "/latest/meta-data/iam/security-credentials/"
        let roles = try send(HTTPRequest(method: "GET", url: endpoint + listPath, headers: authenticated),
                             what: "role name (GET \(listPath))")
        guard let role = String(decoding: roles, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map({ String($0).strippingWhitespace }).first(where: { !$0.isEmpty }) else {
            throw DNSReconcileError(.credentials, "EC2 instance metadata at \(endpoint) lists no IAM role: "
                                        + "attach an instance profile with Route53 permissions to the instance")
        }
        let body = try send(HTTPRequest(method: "GET", url: endpoint + listPath + SigV4Signer.uriEncode(Array(role.utf8)),
                                        headers: authenticated),
                            what: "credentials of role \(role)")
        return (try Self.parseCredentials(body, role: role, endpoint: endpoint), role)
    }

    /// The credentials document; IMDS names its fields in upper camel case.
    private struct Document: Decodable {
        var code: String?
        var message: String?
        var accessKeyID: String?
        var secretAccessKey: String?
        var token: String?
        var expiration: String?

        enum CodingKeys: String, CodingKey {
            case code = "Code", message = "Message", accessKeyID = "AccessKeyId", secretAccessKey = "SecretAccessKey"
            case token = "Token", expiration = "Expiration"
        }
    }

    static func parseCredentials(_ body: [UInt8], role: String, endpoint: String) throws(DNSReconcileError) -> AWSCredentials {
        let what = "EC2 instance metadata at \(endpoint), credentials of role \(role)"
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(body))
        } catch {
            throw DNSReconcileError(.credentials, "\(what): the answer is not the expected JSON document")
        }
        if let code = document.code, code != "Success" {
            throw DNSReconcileError(.credentials, "\(what): Code \(code)" + (document.message.map { ": \($0)" } ?? ""))
        }
        guard let keyID = document.accessKeyID, !keyID.isEmpty, let secret = document.secretAccessKey, !secret.isEmpty else {
            throw DNSReconcileError(.credentials, "\(what): the answer has no AccessKeyId/SecretAccessKey")
        }
        var expiration: Double?
        if let text = document.expiration {
            guard let parsed = AWSTimestamp.parse(text) else {
                throw DNSReconcileError(.credentials, "\(what): Expiration \"\(text)\" is not an ISO 8601 time")
            }
            expiration = parsed
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret,
                              sessionToken: document.token.flatMap { $0.isEmpty ? nil : $0 }, expiration: expiration)
    }

    /// One request with its attempts; the 200 body.
    private func send(_ request: HTTPRequest, what: String) throws(DNSReconcileError) -> [UInt8] {
        var last = DNSReconcileError(.credentials, "EC2 instance metadata at \(endpoint): no attempt made")
        for _ in 0..<attempts {
            do throws(DNSReconcileError) {
                let response = try transport.send(request)
                if response.status == 200 { return response.body }
                var message = "EC2 instance metadata at \(endpoint) answered HTTP \(response.status) for the \(what)"
                switch response.status {
                case 401: message += " (the session token was refused)"
                case 403: message += " (instance metadata is disabled on this instance, or IMDSv2 tokens are blocked)"
                case 404: message += " (no IAM role is attached to this instance)"
                default: break
                }
                // 4xx will not change on a second attempt; 5xx might.
                last = DNSReconcileError(.credentials, message, cause: String(response.status))
                if response.status < 500 { throw last }
            } catch where error.code == .credentials {
                throw error
            } catch {
                last = DNSReconcileError(.credentials,
                                         "EC2 instance metadata at \(endpoint) did not answer the \(what): \(error.message)",
                                         cause: error.cause ?? error.code.rawValue)
            }
        }
        throw last
    }
}
