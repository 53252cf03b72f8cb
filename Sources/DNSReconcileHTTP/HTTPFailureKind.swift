import CCurl

/// What kind of failure ended the last transfer of a `CurlTransport`, for callers that count
/// failures by kind (the probe) without parsing messages.
public enum HTTPFailureKind: String, Hashable, Sendable {
    /// The TCP connection could not be made (refused, unreachable).
    case connect
    /// The connect or total time limit ran out.
    case timeout
    /// The TLS handshake or certificate verification failed.
    case tls
    /// The host name did not resolve (or the proxy's did not).
    case nameResolution = "name_resolution"
    /// Anything else: the server closed the connection, sent garbage, ...
    case other

    init(_ code: CURLcode) {
        switch code {
        case CURLE_COULDNT_CONNECT: self = .connect
        case CURLE_OPERATION_TIMEDOUT: self = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            self = .tls
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: self = .nameResolution
        default: self = .other
        }
    }
}
