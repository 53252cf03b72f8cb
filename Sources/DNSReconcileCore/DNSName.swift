/// A DNS name in canonical form: octal escapes decoded, lower-case, no trailing dot.
///
/// Route53 returns names escaped (`\052.example.com.`) and lower-cased; users write them in any
/// case with or without the trailing dot. Comparing canonical forms makes a no-op pass a no-op.
/// The root is the empty string.
public struct DNSName: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Canonical text: `www.example.com`, `*.example.com`.
    public let value: String

    /// Parses `raw` as given by a user or by Route53: decodes `\DDD` octal escapes (and `\X`
    /// character escapes), lower-cases ASCII letters and drops one trailing dot.
    public init(_ raw: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        let input = Array(raw.utf8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\\"), index + 1 < input.count {
                if index + 3 < input.count,
                   let a = DNSName.digit(input[index + 1]), let b = DNSName.digit(input[index + 2]),
                   let c = DNSName.digit(input[index + 3]), a <= 3 {
                    bytes.append(UInt8(a * 64 + b * 8 + c))
                    index += 4
                    continue
                }
                bytes.append(input[index + 1])
                index += 2
                continue
            }
            bytes.append(byte)
            index += 1
        }
        if bytes.last == UInt8(ascii: "."), bytes.count > 1 || bytes == [UInt8(ascii: ".")] {
            bytes.removeLast()
        }
        let lowered = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        self.value = String(decoding: lowered, as: UTF8.self)
    }

    public init(stringLiteral value: String) { self.init(value) }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    public var description: String { value }

    /// The name with its trailing dot, as Route53 prints it (unescaped).
    public var fqdn: String { value + "." }

    public var labels: [Substring] { value.isEmpty ? [] : value.split(separator: ".", omittingEmptySubsequences: false) }

    public var isWildcard: Bool { value == "*" || value.hasPrefix("*.") }

    /// True when this name equals `zone` or lies below it.
    public func isWithin(_ zone: DNSName) -> Bool {
        if zone.value.isEmpty { return true }
        return value == zone.value || value.hasSuffix("." + zone.value)
    }

    /// The name as sent to Route53: bytes 0–32 and 127–255 as `\DDD`, a backslash as `\134`,
    /// everything else (including `*`) raw. Route53 treats raw and escaped forms as one name.
    public var route53Wire: String {
        var out = ""
        for byte in value.utf8 {
            if byte <= 32 || byte >= 127 || byte == UInt8(ascii: "\\") {
                let octal = String(byte, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out + "."
    }

    /// Route53's listing order: labels reversed, compared byte-wise.
    public static func < (lhs: DNSName, rhs: DNSName) -> Bool {
        let l = lhs.labels.reversed().joined(separator: "."), r = rhs.labels.reversed().joined(separator: ".")
        return Array(l.utf8).lexicographicallyPrecedes(Array(r.utf8))
    }
}
