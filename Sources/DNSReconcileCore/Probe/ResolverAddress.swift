/// The DNS server a probe asks: an IPv4 or IPv6 address and a port.
public struct ResolverAddress: Hashable, Sendable, CustomStringConvertible {
    /// Four bytes (IPv4) or sixteen (IPv6), network order.
    public let addressBytes: [UInt8]
    public let port: UInt16

    public init?(addressBytes: [UInt8], port: UInt16 = 53) {
        guard addressBytes.count == 4 || addressBytes.count == 16, port > 0 else { return nil }
        self.addressBytes = addressBytes
        self.port = port
    }

    public var isIPv6: Bool { addressBytes.count == 16 }

    /// The address alone: `192.0.2.53`, `2001:db8::53`.
    public var host: String {
        (isIPv6 ? IPAddress.ipv6Text(addressBytes) : IPAddress.ipv4Text(addressBytes)) ?? "?"
    }

    /// `192.0.2.53:53`, `[2001:db8::53]:53`.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses `IP`, `IP:PORT`, `IPv6`, `[IPv6]` or `[IPv6]:PORT`; the port defaults to 53.
    public static func parse(_ text: String) throws(DNSReconcileError) -> ResolverAddress {
        func bad(_ why: String) -> DNSReconcileError {
            DNSReconcileError(.usage, "--resolver \(text): \(why); write IP or IP:PORT (IPv6 as [IP]:PORT)")
        }
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw bad("the [ of the IPv6 address is not closed") }
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw bad("unexpected text after ]") }
                portText = after.dropFirst()
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        var port: UInt16 = 53
        if let portText {
            guard let value = UInt16(portText), value > 0 else { throw bad("\(portText) is not a port (1-65535)") }
            port = value
        }
        if let bytes = IPAddress.ipv4(host) ?? IPAddress.ipv6(String(host)),
           let address = ResolverAddress(addressBytes: bytes, port: port) {
            return address
        }
        throw bad("\(host) is not an IP address (a resolver is given by address, not by name)")
    }

    /// The first usable `nameserver` of a resolv.conf(5) text: the resolver the C library would
    /// ask first. Entries this tool cannot reach (a link-local IPv6 address with a `%zone`) are
    /// skipped; nil when there is none.
    public static func firstNameserver(inResolvConf text: String) -> ResolverAddress? {
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            let value = String(fields[1])
            // resolv.conf has no port syntax; "[...]" or "a:b" would be read as one.
            if let bytes = IPAddress.ipv4(value) ?? IPAddress.ipv6(value),
               let address = ResolverAddress(addressBytes: bytes) {
                return address
            }
        }
        return nil
    }
}
