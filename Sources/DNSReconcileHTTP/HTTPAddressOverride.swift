/// One `HTTPOptions.resolve` entry: connect to `address` for `host:port`.
public struct HTTPAddressOverride: Hashable, Sendable {
    /// The host exactly as in the request URL.
    public var host: String
    public var port: Int
    /// An IPv4 or IPv6 address (without brackets).
    public var address: String

    public init(host: String, port: Int, address: String) {
        self.host = host
        self.port = port
        self.address = address
    }

    /// libcurl's `host:port:address` form; an IPv6 address goes in brackets.
    var curlEntry: String {
        "\(host):\(port):" + (address.contains(":") ? "[\(address)]" : address)
    }
}
