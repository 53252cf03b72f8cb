/// Settings of the libcurl transport.
public struct HTTPOptions: Hashable, Sendable {
    /// Seconds allowed for the TCP (and TLS) connect.
    public var connectTimeout: Double
    /// Seconds allowed for a whole request, connect included. A stalled server fails with
    /// `.timeout` after this long instead of hanging the pass.
    public var totalTimeout: Double
    /// PEM file of the CAs to trust instead of the system bundle (a private CA, an emulator
    /// behind TLS). Verification stays on either way.
    public var caBundle: String?
    public var userAgent: String
    /// Names pinned to addresses for every request of the transport (libcurl's
    /// `CURLOPT_RESOLVE`): the URL, Host header and TLS SNI keep the name, only the connection
    /// goes to the address. While any is set, proxies from the environment are not used, since a
    /// proxy would resolve the name itself.
    public var resolve: [HTTPAddressOverride] = []
    /// PEM text of the CAs to trust instead of the system bundle (a kubeconfig's
    /// `certificate-authority-data`); wins over `caBundle`.
    public var caData: [UInt8]?
    /// Client certificate for mutual TLS (PEM), with `clientKey`.
    public var clientCertificate: TLSMaterial?
    /// Private key of `clientCertificate` (PEM, unencrypted).
    public var clientKey: TLSMaterial?
    /// Turns off verification of the server's certificate and name (a kubeconfig's
    /// `insecure-skip-tls-verify`). Off unless a caller sets it, and callers warn when they do.
    public var insecureSkipVerify: Bool

    public init(connectTimeout: Double = 10, totalTimeout: Double = 30, caBundle: String? = nil,
                userAgent: String = "dnsreconcile", caData: [UInt8]? = nil, clientCertificate: TLSMaterial? = nil,
                clientKey: TLSMaterial? = nil, insecureSkipVerify: Bool = false) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.caBundle = caBundle
        self.userAgent = userAgent
        self.caData = caData
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// A PEM certificate or key, in a file or in memory. Descriptions never show the bytes: a key
/// is a secret.
public enum TLSMaterial: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    case file(String)
    case pem([UInt8])

    public var description: String {
        switch self {
        case .file(let path): path
        case .pem(let bytes): "(PEM data, \(bytes.count) bytes)"
        }
    }

    public var debugDescription: String { description }
}
