import DNSReconcileCore

/// Temporary credentials (STS, instance metadata) fetched on first use and again shortly
/// before they expire.
///
/// Fresh credentials are fetched when fewer than `refreshMargin` seconds remain. A failed
/// refresh while the cached credentials are still valid is not an error: they are used, and the
/// next request tries again. Only when nothing valid is left does the failure surface.
public final class RefreshingCredentialProvider: AWSCredentialProvider {
    /// Five minutes, as the AWS SDKs: long enough for a slow request signed now to arrive
    /// before expiry.
    public static let refreshMargin: Double = 300

    public typealias Fetch = (_ now: Double) throws(DNSReconcileError) -> AWSCredentials

    public let identity: String
    public let description: String
    private let fetch: Fetch
    private var cached: AWSCredentials?
    /// How many times `fetch` ran; tests and debug logs read it.
    public private(set) var fetchCount = 0

    /// - Parameters:
    ///   - identity: see `AWSCredentialProvider.identity`.
    ///   - description: where the credentials come from, for messages (no secrets).
    ///   - fetch: gets new credentials; called at most once per `credentials(now:)`.
    public init(identity: String, description: String, fetch: @escaping Fetch) {
        self.identity = identity
        self.description = description
        self.fetch = fetch
    }

    public func credentials(now: Double) throws(DNSReconcileError) -> AWSCredentials {
        if let cached, !Self.needsRefresh(cached, now: now) { return cached }
        do {
            fetchCount += 1
            let fresh = try fetch(now)
            cached = fresh
            return fresh
        } catch {
            if let cached, let remaining = cached.remainingLifetime(at: now), remaining > 0 { return cached }
            throw error
        }
    }

    /// True when `credentials` expire within the margin (never for credentials without expiry).
    public static func needsRefresh(_ credentials: AWSCredentials, now: Double) -> Bool {
        guard let remaining = credentials.remainingLifetime(at: now) else { return false }
        return remaining < refreshMargin
    }
}
