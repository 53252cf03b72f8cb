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
    /// Send it over a new connection, never a kept-alive one. For requests that must not be
    /// repeated (a change batch): libcurl silently resends a request whose reused connection
    /// died before any answer arrived, which would replay a batch the server may have applied.
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

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
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
