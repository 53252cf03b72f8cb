/// Everything one probe round observed: the DNS answer, the HTTP response and how it counts.
public struct ProbeRound: Hashable, Sendable {
    /// 1-based.
    public var index: Int
    /// Wall-clock start, seconds since the epoch (for the log only).
    public var time: Double
    /// Start on the monotonic clock, seconds since the probe began: what windows are measured on.
    public var offset: Double
    /// Milliseconds from sending the query to the decoded answer (a TCP retry included); nil
    /// when no answer came.
    public var dnsMilliseconds: Double?
    /// `udp`, or `tcp` after a truncated UDP answer.
    public var dnsTransport: String?
    public var responseCode: DNSResponseCode?
    /// Every address of the asked type, in answer order.
    public var addresses: [String]
    /// The CNAMEs the answer went through.
    public var canonicalNames: [String]
    /// The address the HTTP request went to: the first answered one.
    public var address: String?
    /// Milliseconds of the whole HTTP exchange, connect (and TLS) included.
    public var httpMilliseconds: Double?
    public var status: Int?
    /// The `--match` label, else the address; nil without an HTTP response.
    public var label: String?
    public var errorKind: ProbeErrorKind?
    public var errorMessage: String?
    public var state: ProbeState

    public init(index: Int, time: Double = 0, offset: Double, dnsMilliseconds: Double? = nil, dnsTransport: String? = nil,
                responseCode: DNSResponseCode? = nil, addresses: [String] = [], canonicalNames: [String] = [],
                address: String? = nil, httpMilliseconds: Double? = nil, status: Int? = nil, label: String? = nil,
                errorKind: ProbeErrorKind? = nil, errorMessage: String? = nil, state: ProbeState) {
        self.index = index
        self.time = time
        self.offset = offset
        self.dnsMilliseconds = dnsMilliseconds
        self.dnsTransport = dnsTransport
        self.responseCode = responseCode
        self.addresses = addresses
        self.canonicalNames = canonicalNames
        self.address = address
        self.httpMilliseconds = httpMilliseconds
        self.status = status
        self.label = label
        self.errorKind = errorKind
        self.errorMessage = errorMessage
        self.state = state
    }

    /// The round got an HTTP response (of any status).
    public var answered: Bool { status != nil }
}
