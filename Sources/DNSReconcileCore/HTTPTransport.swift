/// One HTTP header, in the order it was sent or received.
public struct HTTPHeader: Hashable, Sendable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

public struct HTTPRequest: Hashable, Sendable {
    public var method: String
    /// Absolute URL, query already encoded exactly as it was signed.
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// Send it over a new connection, never a kept-alive one, so the HTTP layer never sends it
    /// twice (see `HTTPResponse.timesSent`). Costs a handshake per request: only for a
    /// non-idempotent request whose caller cannot find out afterwards whether it was applied.
    public var freshConnection = false

    public init(method: String, url: String, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct HTTPResponse: Hashable, Sendable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// How many times the request went out to get this answer: 1, or more when the transport
    /// sent it again by itself. libcurl does so when a kept-alive connection closes before the
    /// first byte of an answer: the server may have closed it while idle (it never saw the
    /// request) or after acting on the request and before answering. Only the last copy's answer
    /// is seen, so for a non-idempotent request more than 1 means an earlier copy may have been
    /// applied.
    public var timesSent: Int

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = [], timesSent: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.timesSent = timesSent
    }

    /// The first header of that name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// The network seam: bytes in, bytes out. The libcurl transport implements it for real; unit
/// tests replay recorded responses through it.
///
/// A transport reports only transport failures (`.transport`, `.timeout`) as errors; any HTTP
/// status, 4xx and 5xx included, is a response.
public protocol HTTPTransport: AnyObject {
    func send(_ request: HTTPRequest) throws(DNSReconcileError) -> HTTPResponse
}
