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

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The access key id with all but its last four characters masked (`****MPLE`).
    public var redactedAccessKeyID: String {
        let visible = accessKeyID.count > 8 ? 4 : 0
        return "****" + accessKeyID.suffix(visible)
    }

    public var description: String {
        "AWSCredentials(accessKeyID: \(redactedAccessKeyID), secretAccessKey: <redacted>"
            + (sessionToken == nil ? "" : ", sessionToken: <redacted>") + ")"
    }

    public var debugDescription: String { description }

    /// Without this, `dump()` and the default reflection would print the stored secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": redactedAccessKeyID, "secretAccessKey": "<redacted>",
                                "sessionToken": sessionToken == nil ? "nil" : "<redacted>"],
               displayStyle: .struct)
    }
}
