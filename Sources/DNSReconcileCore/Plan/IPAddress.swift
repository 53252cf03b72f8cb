/// Strict parsers for the address forms Route53 accepts in A and AAAA values.
///
/// Written by hand rather than with `inet_pton` so the core stays free of libc calls and the
/// rules (no leading zeros, no zone ids) are visible and tested.
enum IPAddress {
    /// The four bytes of a dotted-quad IPv4 address, or nil. Leading zeros are refused because
    /// some resolvers read them as octal.
    static func ipv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            if part.count > 1, part.first == "0" { return nil }
            guard let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func ipv4(_ text: String) -> [UInt8]? { ipv4(Substring(text)) }

    /// The sixteen bytes of an IPv6 address (with `::` and a trailing dotted quad), or nil.
    static func ipv6(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, !text.contains("%"), !text.contains(":::") else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        let compressed = halves.count == 2
        var ipv4Tail: [UInt8]?
        for (index, half) in halves.enumerated() {
            if half.isEmpty { continue }
            var groups = half.split(separator: ":", omittingEmptySubsequences: false)
            let isLastHalf = index == halves.count - 1
            if isLastHalf, let last = groups.last, last.contains(".") {
                guard let quad = ipv4(last) else { return nil }
                ipv4Tail = quad
                groups.removeLast()
            }
            var words: [UInt16] = []
            for group in groups {
                // UInt16(_:radix:) would also take a sign.
                guard !group.isEmpty, group.count <= 4, group.allSatisfy(\.isHexDigit),
                      let word = UInt16(group, radix: 16) else { return nil }
                words.append(word)
            }
            if index == 0 { head = words } else { tail = words }
        }
        if let quad = ipv4Tail {
            let extra = [UInt16(quad[0]) << 8 | UInt16(quad[1]), UInt16(quad[2]) << 8 | UInt16(quad[3])]
            if compressed { tail += extra } else { head += extra }
        }
        let used = head.count + tail.count
        if compressed {
            guard used <= 7 else { return nil }
        } else {
            guard used == 8 else { return nil }
        }
        let words = head + Array(repeating: 0, count: 8 - used) + tail
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    /// A comparison key: the same address written differently (`2001:DB8::1`,
    /// `2001:db8:0:0:0:0:0:1`) gives the same key.
    static func normalisedIPv6(_ text: String) -> String? {
        guard let bytes = ipv6(text) else { return nil }
        return bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
