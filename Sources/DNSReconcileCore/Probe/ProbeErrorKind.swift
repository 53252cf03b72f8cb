/// Why a round got no HTTP response: short, bounded names for the summary and the log.
public enum ProbeErrorKind: String, Hashable, Sendable, CaseIterable, Comparable {
    /// No DNS response within `--timeout`.
    case dnsTimeout = "dns_timeout"
    /// The resolver could not be reached (ICMP port unreachable, no route, TCP refused).
    case dnsUnreachable = "dns_unreachable"
    /// A response that does not decode.
    case dnsBadResponse = "dns_bad_response"
    case dnsNXDomain = "dns_nxdomain"
    case dnsServerFailure = "dns_servfail"
    case dnsRefused = "dns_refused"
    /// Any other error response code.
    case dnsError = "dns_error"
    /// NOERROR without an address of the asked type (NODATA).
    case dnsNoAddress = "dns_no_address"
    /// The TCP connection to the answered address failed (refused, unreachable).
    case httpConnect = "http_connect"
    case httpTimeout = "http_timeout"
    /// TLS handshake or certificate verification failed.
    case httpTLS = "http_tls"
    case httpError = "http_error"

    public static func < (lhs: ProbeErrorKind, rhs: ProbeErrorKind) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The kind for an error response code; nil for NOERROR.
    public init?(responseCode: DNSResponseCode) {
        switch responseCode {
        case .noError: return nil
        case .nameError: self = .dnsNXDomain
        case .serverFailure: self = .dnsServerFailure
        case .refused: self = .dnsRefused
        default: self = .dnsError
        }
    }
}
