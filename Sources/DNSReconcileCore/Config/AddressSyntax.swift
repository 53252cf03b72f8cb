/// Syntax checks for the addresses and names written in `[endpoint]` sections.
public enum AddressSyntax {
    /// Dotted-quad IPv4 without leading zeros (`010.0.0.1` is refused: octal or decimal?).
    public static func isIPv4(_ text: String) -> Bool {
        // Same rules as IPAddress.ipv4, which checks bytes without splitting (a 50,000-endpoint
        // file asks this of every target).
        if text.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }) {
            return IPAddress.ipv4(text) != nil
        }
        guard text.utf8.contains(UInt8(ascii: ".")) else { return false }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(part), value <= 255 else { return false }
            return part.count == 1 || part.first != "0"
        }
    }

    /// RFC 4291 text form: eight groups, one `::` at most, an IPv4 tail allowed; no zone index.
    public static func isIPv6(_ text: String) -> Bool {
        guard text.utf8.contains(UInt8(ascii: ":")), !text.utf8.contains(UInt8(ascii: "%")) else { return false }
        var hex = text
        // An IPv4 tail ("::ffff:192.0.2.1") stands for two groups: check it, then replace it.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(text[text.index(after: lastColon)...])) else { return false }
            hex = String(text[...lastColon]) + "0:0"
        }
        let halves = splitOnDoubleColon(hex)
        guard halves.count <= 2 else { return false }
        var groups = 0
        for half in halves where !half.isEmpty {
            for group in half.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }

    private static func splitOnDoubleColon(_ text: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = Substring(text)
        while let range = rest.firstRange(of: "::") {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }

    /// A DNS host name: labels of 1…63 letters, digits, `-` or `_`, at most 253 characters, one
    /// trailing dot allowed. With `wildcard`, the first label may be `*`.
    public static func isHostName(_ text: String, wildcard: Bool = false) -> Bool {
        // The common case checked byte by byte: labels of 1–63 of [A-Za-z0-9_-], no wildcard.
        let length = text.utf8.count - (text.utf8.last == UInt8(ascii: ".") ? 1 : 0)
        var label = 0, plain = length >= 1 && length <= 253
        for byte in text.utf8 where plain {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                label += 1
                plain = label <= 63
            case UInt8(ascii: "."):
                plain = label > 0
                label = 0
            default:
                plain = false
            }
        }
        if plain { return label > 0 || text.utf8.count > 1 }
        var name = Substring(text)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            if wildcard && index == 0 && label == "*" { continue }
            guard (1...63).contains(label.utf8.count),
                  label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                return false
            }
        }
        return true
    }
}
