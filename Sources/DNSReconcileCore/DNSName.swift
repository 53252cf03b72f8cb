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
        // Fast path, the common case of names from Route53 and configs: lower-case ASCII
        // without escapes needs at most its trailing dot dropped, no byte copy.
        var plain = true
        var count = 0
        for byte in raw.utf8 {
            count += 1
            if byte == UInt8(ascii: "\\") || (byte >= 65 && byte <= 90) || byte >= 128 {
                plain = false
                break
            }
        }
        if plain {
            if count > 1, raw.utf8.last == UInt8(ascii: ".") {
                self.value = String(raw.utf8.dropLast())!
            } else {
                self.value = count == 1 && raw == "." ? "" : raw
            }
            return
        }
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

    /// A `value` read back from where it was kept: canonical already, so taken byte for byte.
    init(verbatim value: String) { self.value = value }

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
        let suffix = zone.value.utf8, name = value.utf8
        if suffix.isEmpty { return true }
        if name.count == suffix.count { return value == zone.value }
        guard name.count > suffix.count else { return false }
        // Byte-wise: a dot, then the zone's bytes, at the end (no "." + zone string per call);
        // on the contiguous bytes when both have them, as every plan asks this per record set.
        if let result = name.withContiguousStorageIfAvailable({ name in
            suffix.withContiguousStorageIfAvailable { suffix in
                let start = name.count - suffix.count
                guard name[start - 1] == UInt8(ascii: ".") else { return false }
                return UnsafeBufferPointer(rebasing: name[start...]).elementsEqual(suffix)
            }
        }), let result {
            return result
        }
        let start = name.index(name.endIndex, offsetBy: -suffix.count)
        return name[name.index(before: start)] == UInt8(ascii: ".") && name[start...].elementsEqual(suffix)
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
    ///
    /// Compares `com.example.www` with `com.example.api` without building either: plans and
    /// listings of 50,000 record sets sort by this, and allocating two strings per comparison
    /// dominated their cost.
    public static func < (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.order(rhs) < 0
    }

    /// -1, 0 or 1 as `self` sorts before, with or after `other` in Route53's listing order.
    public func order(_ other: DNSName) -> Int {
        if let result = value.utf8.withContiguousStorageIfAvailable({ a in
            other.value.utf8.withContiguousStorageIfAvailable { b in DNSName.reversedLabelOrder(a, b) }
        }), let result {
            return result
        }
        let a = Array(value.utf8), b = Array(other.value.utf8)
        return a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in DNSName.reversedLabelOrder(a, b) } }
    }

    /// -1, 0 or 1 as the labels-reversed, dot-joined forms of `a` and `b` compare byte-wise.
    static func reversedLabelOrder(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let dot = UInt8(ascii: ".")
        if a.isEmpty || b.isEmpty { return a.isEmpty ? (b.isEmpty ? 0 : -1) : 1 }
        // Each side's current label is [start, end); start is found by scanning back to a dot.
        var aEnd = a.count, bEnd = b.count
        while true {
            var aStart = aEnd, bStart = bEnd
            while aStart > 0 && a[aStart - 1] != dot { aStart -= 1 }
            while bStart > 0 && b[bStart - 1] != dot { bStart -= 1 }
            var i = aStart, j = bStart
            while i < aEnd && j < bEnd {
                if a[i] != b[j] { return a[i] < b[j] ? -1 : 1 }
                i += 1
                j += 1
            }
            let aMore = aStart > 0, bMore = bStart > 0
            if i < aEnd {
                // b's label ended first: b continues with "." (or ends), a with a[i].
                guard bMore else { return 1 }
                return a[i] < dot ? -1 : 1
            }
            if j < bEnd {
                guard aMore else { return -1 }
                return dot < b[j] ? -1 : 1
            }
            // Both labels ended together; both continue with "." if they continue at all.
            if !aMore || !bMore { return aMore == bMore ? 0 : (aMore ? 1 : -1) }
            aEnd = aStart - 1
            bEnd = bStart - 1
        }
    }
}
