/// Strict parsers for the address forms Route53 accepts in A and AAAA values.
///
/// Written by hand rather than with `inet_pton` so the core stays free of libc calls and the
/// rules (no leading zeros, no zone ids) are visible and tested.
enum IPAddress {
    /// The four bytes of a dotted-quad IPv4 address, or nil. Leading zeros are refused because
    /// some resolvers read them as octal.
    static func ipv4(_ text: Substring) -> [UInt8]? {
        var copy = text
        return copy.withUTF8 { quad(in: $0, from: 0, to: $0.count) }.map { [$0.0, $0.1, $0.2, $0.3] }
    }

    static func ipv4(_ text: String) -> [UInt8]? { ipv4(Substring(text)) }

    /// The sixteen bytes of an IPv6 address (with `::` and a trailing dotted quad), or nil.
    ///
    /// Parsed byte by byte: A and AAAA values of every desired and current record set are
    /// checked and compared in each plan, and splitting them into substrings cost more than the
    /// rest of a no-op plan.
    static func ipv6(_ text: String) -> [UInt8]? {
        var copy = text
        return copy.withUTF8 { ipv6(bytes: $0) }
    }

    private static func ipv6(bytes b: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let colon = UInt8(ascii: ":")
        guard !b.isEmpty else { return nil }
        // At most one "::", no ":::", no zone id.
        var doubleColon = -1
        var index = 0
        while index < b.count {
            if b[index] == UInt8(ascii: "%") { return nil }
            if b[index] == colon, index + 1 < b.count, b[index + 1] == colon {
                if index + 2 < b.count, b[index + 2] == colon { return nil }
                if doubleColon >= 0 { return nil }
                doubleColon = index
                index += 2
                continue
            }
            index += 1
        }
        var head: [UInt16] = [], tail: [UInt16] = []
        head.reserveCapacity(8)
        if doubleColon < 0 {
            guard words(b, from: 0, to: b.count, quadAllowed: true, into: &head) else { return nil }
            guard head.count == 8 else { return nil }
        } else {
            guard words(b, from: 0, to: doubleColon, quadAllowed: false, into: &head),
                  words(b, from: doubleColon + 2, to: b.count, quadAllowed: true, into: &tail),
                  head.count + tail.count <= 7 else { return nil }
            head += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        var result: [UInt8] = []
        result.reserveCapacity(16)
        for word in head {
            result.append(UInt8(word >> 8))
            result.append(UInt8(word & 0xff))
        }
        return result
    }

    /// The colon-separated hex groups of `b[start..<end]` (empty: none); the last group may be a
    /// dotted quad when `quadAllowed`, giving two words.
    private static func words(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, quadAllowed: Bool,
                              into words: inout [UInt16]) -> Bool {
        guard start < end else { return true }
        var groupStart = start
        while true {
            var groupEnd = groupStart
            var hasDot = false
            while groupEnd < end && b[groupEnd] != UInt8(ascii: ":") {
                if b[groupEnd] == UInt8(ascii: ".") { hasDot = true }
                groupEnd += 1
            }
            let isLast = groupEnd == end
            if isLast && quadAllowed && hasDot {
                guard let quad = quad(in: b, from: groupStart, to: groupEnd) else { return false }
                words.append(UInt16(quad.0) << 8 | UInt16(quad.1))
                words.append(UInt16(quad.2) << 8 | UInt16(quad.3))
                return true
            }
            guard groupEnd > groupStart, groupEnd - groupStart <= 4 else { return false }
            var word: UInt16 = 0
            for position in groupStart..<groupEnd {
                let byte = b[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return false
                }
                word = word << 4 | UInt16(digit)
            }
            words.append(word)
            if isLast { return true }
            groupStart = groupEnd + 1
        }
    }

    /// A dotted quad in `b[start..<end]`: four decimal parts of 1–3 digits, at most 255, no
    /// leading zeros.
    private static func quad(in b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
        -> (UInt8, UInt8, UInt8, UInt8)? {
        var parts: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var part = 0, value = 0, digits = 0, leadingZero = false
        func store() -> Bool {
            guard digits > 0, value <= 255, !(leadingZero && digits > 1) else { return false }
            switch part {
            case 0: parts.0 = value
            case 1: parts.1 = value
            case 2: parts.2 = value
            default: parts.3 = value
            }
            return true
        }
        for position in start..<end {
            let byte = b[position]
            if byte == UInt8(ascii: ".") {
                guard part < 3, store() else { return nil }
                part += 1
                value = 0
                digits = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return nil }
            if digits == 0 { leadingZero = byte == UInt8(ascii: "0") }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        guard part == 3, store() else { return nil }
        return (UInt8(parts.0), UInt8(parts.1), UInt8(parts.2), UInt8(parts.3))
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
