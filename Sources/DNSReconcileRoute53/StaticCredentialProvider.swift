import Crypto
import DNSReconcileCore

/// Keys that never change during a pass: environment variables or a profile's access keys.
public final class StaticCredentialProvider: AWSCredentialProvider {
    public let identity: String
    /// Where the keys came from, for messages (`AWS_ACCESS_KEY_ID`, `profile [x] of /path`).
    public let source: String
    private let stored: AWSCredentials

    public init(_ credentials: AWSCredentials, source: String) {
        self.stored = credentials
        self.source = source
        // A digest tells keys apart without putting the key id itself into cache keys.
        let digest = SHA256.hash(data: Array(credentials.accessKeyID.utf8))
        self.identity = "static:" + SigV4Signer.hex(digest.prefix(8))
    }

    public func credentials(now: Double) throws(DNSReconcileError) -> AWSCredentials { stored }

    public var description: String { "access key \(stored.redactedAccessKeyID) from \(source)" }
}
