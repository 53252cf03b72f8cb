import DNSReconcileCore
import DNSReconcileXML

/// The two STS calls the credential chain needs, over the Query API (form-encoded POST, XML
/// answer): `AssumeRole`, signed with the caller's credentials for service `sts`, and
/// `AssumeRoleWithWebIdentity`, which is unsigned because the token is the proof.
///
/// Throttling, 5xx answers and transport failures are retried twice (0.5 s, then 1 s): both
/// calls are idempotent. Everything else fails at once with `.credentials`, naming the role and
/// the STS error code; tokens and keys never appear in the error.
public struct STSClient {
    public var endpoint: String
    public var signingRegion: String
    public var transport: HTTPTransport
    public var time: TimeSource
    public var maxRetries: Int

    /// The API version every Query request names.
    static let apiVersion = "2011-06-15"

    public init(endpoint: String, signingRegion: String, transport: HTTPTransport, time: TimeSource, maxRetries: Int = 2) {
        var endpoint = endpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.signingRegion = signingRegion
        self.transport = transport
        self.time = time
        self.maxRetries = maxRetries
    }

    /// What both calls take besides the proof of identity.
    public struct RoleRequest: Hashable, Sendable {
        public var roleARN: String
        public var sessionName: String
        /// 900 ... the role's maximum; STS's default is 3600.
        public var durationSeconds: Int?
        /// AssumeRole only: the external id the role's trust policy asks for.
        public var externalID: String?

        public init(roleARN: String, sessionName: String, durationSeconds: Int? = nil, externalID: String? = nil) {
            self.roleARN = roleARN
            self.sessionName = sessionName
            self.durationSeconds = durationSeconds
            self.externalID = externalID
        }
    }

    /// `AssumeRole` signed with `credentials`.
    public func assumeRole(_ role: RoleRequest, with credentials: AWSCredentials) throws(DNSReconcileError) -> AWSCredentials {
        var parameters = [("Action", "AssumeRole"), ("Version", Self.apiVersion), ("RoleArn", role.roleARN),
                          ("RoleSessionName", role.sessionName)]
        if let duration = role.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        if let externalID = role.externalID { parameters.append(("ExternalId", externalID)) }
        let signer = SigV4Signer(credentials: credentials, region: signingRegion, service: "sts")
        return try call("AssumeRole", role: role.roleARN, parameters: parameters, signer: signer)
    }

    /// `AssumeRoleWithWebIdentity` with `token` (an OIDC JWT such as a Kubernetes projected
    /// service-account token).
    public func assumeRoleWithWebIdentity(_ role: RoleRequest, token: String) throws(DNSReconcileError) -> AWSCredentials {
        var parameters = [("Action", "AssumeRoleWithWebIdentity"), ("Version", Self.apiVersion),
                          ("RoleArn", role.roleARN), ("RoleSessionName", role.sessionName),
                          ("WebIdentityToken", token)]
        if let duration = role.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        return try call("AssumeRoleWithWebIdentity", role: role.roleARN, parameters: parameters, signer: nil)
    }

    private func call(_ action: String, role: String, parameters: [(String, String)],
                      signer: SigV4Signer?) throws(DNSReconcileError) -> AWSCredentials {
        let body = parameters.map { SigV4Signer.uriEncode(Array($0.0.utf8)) + "=" + SigV4Signer.uriEncode(Array($0.1.utf8)) }
            .joined(separator: "&")
        let request = HTTPRequest(method: "POST", url: endpoint + "/",
                                  headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                                            HTTPHeader("Accept", "text/xml")],
                                  body: Array(body.utf8))
        let what = "STS \(action) for \(role) at \(endpoint)"
        var attempt = 0
        while true {
            let signed = signer.map { $0.sign(request, at: time.now()) } ?? request
            var failure: DNSReconcileError
            var retryable: Bool
            do throws(DNSReconcileError) {
                let response = try transport.send(signed)
                if (200..<300).contains(response.status) {
                    return try Self.parseCredentials(response.body, action: action, what: what)
                }
                let answer = Route53ErrorResponse(status: response.status, body: response.body)
                let code = answer.code ?? "HTTP \(response.status)"
                var message = "\(what) failed: \(code)"
                if let detail = answer.messages.first { message += ": \(detail)" }
                message += Self.advice(code: answer.code, action: action)
                failure = DNSReconcileError(.credentials, message, cause: answer.code ?? String(response.status))
                retryable = response.status >= 500 || answer.retryClass == .throttling
                    || ["Throttling", "IDPCommunicationError"].contains(answer.code ?? "")
            } catch {
                failure = DNSReconcileError(.credentials, "\(what) failed: \(error.message)", cause: error.cause)
                retryable = error.code == .transport || error.code == .timeout
            }
            guard retryable, attempt < maxRetries else {
                if attempt > 0 { failure.message += " (after \(attempt + 1) attempts)" }
                throw failure
            }
            time.sleep(seconds: 0.5 * Double(1 << attempt))
            attempt += 1
        }
    }

    /// A hint for the errors users can fix themselves.
    private static func advice(code: String?, action: String) -> String {
        switch code {
        case "AccessDenied":
            action == "AssumeRole"
                ? "; check the role's trust policy allows the base credentials to assume it (and sts:AssumeRole on their side)"
                : "; check the role's trust policy names this OIDC provider and service account"
        case "InvalidIdentityToken", "ExpiredTokenException":
            "; check the web identity token file is the current projected token of this service account"
        case "ExpiredToken":
            "; the base credentials have expired"
        default:
            ""
        }
    }

    /// The `Credentials` element of an `AssumeRole…Response`.
    static func parseCredentials(_ body: [UInt8], action: String, what: String) throws(DNSReconcileError) -> AWSCredentials {
        var keyID = "", secret = "", token = "", expiration = ""
        do throws(DNSReconcileError) {
            try XMLReader.parse(body, documentName: "STS \(action) response") { reader, _ throws(DNSReconcileError) in
                try reader.children { result throws(DNSReconcileError) in
                    guard result == "\(action)Result" else { return }
                    try reader.children { element throws(DNSReconcileError) in
                        guard element == "Credentials" else { return }
                        try reader.children { field throws(DNSReconcileError) in
                            switch field {
                            case "AccessKeyId": keyID = try reader.text()
                            case "SecretAccessKey": secret = try reader.text()
                            case "SessionToken": token = try reader.text()
                            case "Expiration": expiration = try reader.text()
                            default: break
                            }
                        }
                    }
                }
            }
        } catch {
            throw DNSReconcileError(.credentials, "\(what): the answer is not a readable \(action) response",
                                    cause: error.message)
        }
        keyID = keyID.strippingWhitespace
        secret = secret.strippingWhitespace
        token = token.strippingWhitespace
        guard !keyID.isEmpty, !secret.isEmpty, !token.isEmpty else {
            throw DNSReconcileError(.credentials, "\(what): the answer has no complete Credentials element")
        }
        guard let expiry = AWSTimestamp.parse(expiration.strippingWhitespace) else {
            throw DNSReconcileError(.credentials, "\(what): the answer's Expiration \"\(expiration)\" is not an ISO 8601 time")
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, expiration: expiry)
    }
}
