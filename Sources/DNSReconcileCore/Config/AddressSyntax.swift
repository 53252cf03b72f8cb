/// Syntax checks for the addresses and names written in `[endpoint]` sections.
public enum AddressSyntax {
    /// Dotted-quad IPv4 without leading zeros (`010.0.0.1` is refused: octal or decimal?).
    public static func isIPv4(_ text: String) -> Bool {
        // Same rules as IPAddress.ipv4, checked on the bytes (a 50,000-endpoint file asks this
        // of every target): an address has only ASCII digits and dots.
        ConfigText.allBytes(of: text) { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }
            && (text.utf8.withContiguousStorageIfAvailable(isDottedQuad) ?? isDottedQuad(text.utf8))
    }

    /// Four dot-separated numbers of one to three digits, each at most 255 and without a leading
    /// zero, read from digits and dots only.
    private static func isDottedQuad<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        var parts = 0, value = 0, digits = 0, leadingZero = false
        func endPart() -> Bool {
            parts += 1
            return digits > 0 && value <= 255 && !(leadingZero && digits > 1)
        }
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard parts < 3, endPart() else { return false }
                value = 0
                digits = 0
                continue
            }
            guard digits < 3 else { return false }
            if digits == 0 { leadingZero = byte == UInt8(ascii: "0") }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return endPart() && parts == 4
    }

    /// RFC 4291 text form: eight groups, one `::` at most, an IPv4 tail allowed; no zone index.
    public static func isIPv6(_ text: String) -> Bool {
        guard ConfigText.contains(UInt8(ascii: ":"), in: text), !ConfigText.contains(UInt8(ascii: "%"), in: text) else {
            return false
        }
        // Plain hex groups and colons (the usual AAAA target) are checked byte-wise; a dotted tail
        // or any other character takes the general path (`isHexDigit` also takes full-width digits).
        if let plain = text.utf8.withContiguousStorageIfAvailable(plainIPv6), let plain { return plain }
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

    /// `isIPv6` for text of hex digits and colons only, in one pass; nil for any other text.
    private static func plainIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        func isHex(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
        }
        guard bytes.allSatisfy({ $0 == UInt8(ascii: ":") || isHex($0) }) else { return nil }
        var halves = 1, groups = 0, groupLength = 0
        var index = 0
        // A group ends at a colon; "::" (taken from the left, as `splitOnDoubleColon` does)
        // starts the second half, and empty halves have no groups.
        var halfStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ":") {
                    guard halfStart || groupLength > 0 else { return false }
                    if groupLength > 0 { groups += 1 }
                    halves += 1
                    guard halves <= 2 else { return false }
                    groupLength = 0
                    halfStart = true
                    index += 2
                    continue
                }
                guard groupLength > 0 else { return false }
                groups += 1
                groupLength = 0
                halfStart = false
                index += 1
                continue
            }
            groupLength += 1
            guard groupLength <= 4 else { return false }
            halfStart = false
            index += 1
        }
        // The last group of a half that does not end at "::" must not be empty.
        if groupLength > 0 {
            groups += 1
        } else if !halfStart {
            return false
        }
        return halves == 2 ? groups <= 7 : groups == 8
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
