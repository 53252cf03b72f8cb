/// An AWS access key pair, with the session token of temporary credentials.
///
/// Every textual form (`description`, `debugDescription`, `dump`, string interpolation) redacts
/// the secret and the token and shows only the tail of the access key id, which is enough to tell
/// keys apart in logs and is what the AWS console itself shows.
public struct AWSCredentials: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Present for temporary (STS) credentials; sent as `X-Amz-Security-Token`.
    public var sessionToken: String?
    /// When temporary credentials stop working (seconds since the Unix epoch); nil for keys that
    /// do not expire, or whose expiry nobody told us (`AWS_SESSION_TOKEN` from the environment).
    public var expiration: Double?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Double? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// Seconds left before `expiration` at `now`; nil when the credentials do not expire.
    public func remainingLifetime(at now: Double) -> Double? {
        expiration.map { $0 - now }
    }

    /// The access key id with all but its last four characters masked (`****MPLE`).
    public var redactedAccessKeyID: String {
        let visible = accessKeyID.count > 8 ? 4 : 0
        return "****" + accessKeyID.suffix(visible)
    }

    public var description: String {
        "AWSCredentials(accessKeyID: \(redactedAccessKeyID), secretAccessKey: <redacted>"
            + (sessionToken == nil ? "" : ", sessionToken: <redacted>")
            + (expiration.map { ", expiration: \(Int($0))" } ?? "") + ")"
    }

    public var debugDescription: String { description }

    /// Without this, `dump()` and the default reflection would print the stored secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": redactedAccessKeyID, "secretAccessKey": "<redacted>",
                                "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
                                "expiration": expiration.map { String(Int($0)) } ?? "nil"],
               displayStyle: .struct)
    }
}
