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

    public init(connectTimeout: Double = 10, totalTimeout: Double = 30, caBundle: String? = nil,
                userAgent: String = "dnsreconcile") {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.caBundle = caBundle
        self.userAgent = userAgent
    }
}
