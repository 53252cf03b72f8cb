/// Which target addresses a Route53 health check can probe.
///
/// Route53's checkers probe from the internet, so an address that is only reachable inside a
/// network (or is no unicast address at all) would make the check fail forever and take the
/// record out of service. Such targets are refused before anything is created.
enum HealthCheckAddress {
    /// Why `address` cannot be probed by Route53, or nil when it can (or is no IP address, which
    /// the record checks report).
    static func refusal(_ address: String) -> String? {
        if let bytes = IPAddress.ipv4(address) {
            return ipv4Kind(bytes).map { why(address, $0) }
        }
        if let bytes = IPAddress.ipv6(address) {
            return ipv6Kind(bytes).map { why(address, $0) }
        }
        return nil
    }

    private static func why(_ address: String, _ kind: String) -> String {
        "\(address) is \(kind): Route53's health checkers probe from the internet and cannot reach it; "
            + "publish the public address (for example with default-targets) or remove health-check"
    }

    /// The kind of an IPv4 address no checker can reach, or nil for a public unicast address.
    static func ipv4Kind(_ b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (0, _): return "in 0.0.0.0/8 (\"this network\")"
        case (10, _): return "a private address (RFC 1918, 10.0.0.0/8)"
        case (100, 64...127): return "a shared carrier-grade NAT address (100.64.0.0/10)"
        case (127, _): return "a loopback address"
        case (169, 254): return "a link-local address (169.254.0.0/16)"
        case (172, 16...31): return "a private address (RFC 1918, 172.16.0.0/12)"
        case (192, 168): return "a private address (RFC 1918, 192.168.0.0/16)"
        case (224...239, _): return "a multicast address"
        case (255, 255) where b[2] == 255 && b[3] == 255: return "the broadcast address"
        case (240...255, _): return "a reserved address (240.0.0.0/4)"
        default: return nil
        }
    }

    /// The kind of an IPv6 address no checker can reach, or nil for a global unicast address.
    static func ipv6Kind(_ b: [UInt8]) -> String? {
        if b.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return "the loopback address" }
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return "a link-local address (fe80::/10)" }
        if b[0] & 0xfe == 0xfc { return "a unique local address (fc00::/7)" }
        if b[0] == 0xff { return "a multicast address" }
        // An IPv4-mapped address (::ffff:a.b.c.d) is the IPv4 address it carries.
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff {
            return ipv4Kind(Array(b[12..<16]))
        }
        return nil
    }
}
