import DNSReconcileCore

/// Where a Route53 client gets the credentials it signs with.
///
/// Asked before every request: a provider of temporary credentials hands out the cached ones
/// while more than `RefreshingCredentialProvider.refreshMargin` seconds remain and fetches
/// fresh ones otherwise, so a long pass never signs with keys that expire mid-request.
public protocol AWSCredentialProvider: AnyObject, CustomStringConvertible {
    /// Names the account or role these credentials act as, without any secret (`static:****MPLE`,
    /// `assume-role:arn:aws:iam::…`): clients are shared per identity.
    var identity: String { get }

    /// Credentials valid at `now` (seconds since the Unix epoch).
    func credentials(now: Double) throws(DNSReconcileError) -> AWSCredentials
}
