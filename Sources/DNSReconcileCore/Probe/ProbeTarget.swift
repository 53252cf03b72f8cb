/// What `probe` fetches: the URL given (or `http://NAME/` for a bare name), split into the parts
/// the DNS query and libcurl's address override need.
public struct ProbeTarget: Hashable, Sendable {
    /// The URL as requested, fragment removed: `https://app.example.com/healthz`.
    public var url: String
    /// `http` or `https`.
    public var scheme: String
    /// The host as it appears in the URL (no trailing dot); sent as Host and as TLS SNI.
    public var host: String
    /// The port connected to: the URL's, else 80 or 443.
    public var port: Int

    /// The name the DNS query asks for.
    public var queryName: String { host }

    /// Parses `NAME` or `http(s)://NAME[:PORT][/PATH]`. An address instead of a name is refused:
    /// there would be nothing to resolve.
    public static func parse(_ text: String) throws(DNSReconcileError) -> ProbeTarget {
        func bad(_ why: String) -> DNSReconcileError {
            DNSReconcileError(.usage, "\(text): \(why); give a host name (app.example.com) or an http(s) URL")
        }
        guard let separator = text.range(of: "://") else {
            guard !text.contains("/"), !text.contains(":") else { throw bad("not a host name") }
            let host = try validHost(text, in: text)
            return ProbeTarget(url: "http://\(host)/", scheme: "http", host: host, port: 80)
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw bad("\(scheme):// is not http:// or https://") }
        var rest = text[separator.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        var userInfo = ""
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[...at])
            authority = authority[authority.index(after: at)...]
        }
        guard !authority.hasPrefix("[") else { throw bad("the URL names an IPv6 address, not a host name") }
        var hostText = authority
        var port = scheme == "https" ? 443 : 80
        var portSuffix = ""
        if let colon = authority.firstIndex(of: ":") {
            hostText = authority[..<colon]
            let portText = authority[authority.index(after: colon)...]
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw bad("\(portText) is not a port (1-65535)")
            }
            port = value
            portSuffix = ":\(value)"
        }
        let host = try validHost(String(hostText), in: text)
        return ProbeTarget(url: "\(scheme)://\(userInfo)\(host)\(portSuffix)\(path)", scheme: scheme, host: host,
                           port: port)
    }

    private static func validHost(_ raw: String, in text: String) throws(DNSReconcileError) -> String {
        let host = raw.hasSuffix(".") ? String(raw.dropLast()) : raw
        if IPAddress.ipv4(host) != nil {
            throw DNSReconcileError(.usage, "\(text): \(host) is an address, not a name; there is nothing to resolve")
        }
        do {
            _ = try DNSWireName.encode(host)
        } catch {
            throw DNSReconcileError(.usage, error.message)
        }
        return host
    }
}
