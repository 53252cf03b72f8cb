/// DNS names between presentation text and wire labels (RFC 1035 §3.1).
enum DNSWireName {
    /// The longest name on the wire, length octets and the root's zero included.
    static let maximumWireLength = 255
    static let maximumLabelLength = 63

    /// The uncompressed wire form of a host name such as `app.example.com` or `app.example.com.`.
    ///
    /// Only host-name characters (letters, digits, `-`, `_`) are accepted: a probe asks for names
    /// users type, and refusing the rest early gives a clear message instead of a query for a name
    /// nobody meant. Internationalised names must be given in their `xn--` form.
    static func encode(_ text: String) throws(DNSReconcileError) -> [UInt8] {
        var name = Substring(text)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty else {
            throw DNSReconcileError(.dnsMessage, "the name to query is empty; give a host name such as app.example.com")
        }
        var wire: [UInt8] = []
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else {
                throw DNSReconcileError(.dnsMessage, "\(text) has an empty label (two dots in a row, or a leading dot)")
            }
            if let bad = label.unicodeScalars.first(where: { !isHostNameCharacter($0) }) {
                let hint = bad.isASCII ? "" : "; give an internationalised name in its xn-- form"
                throw DNSReconcileError(.dnsMessage, "\(text) contains \"\(bad)\", which is not allowed in a host name\(hint)")
            }
            guard label.utf8.count <= maximumLabelLength else {
                throw DNSReconcileError(.dnsMessage, "\(text) has a label of \(label.utf8.count) characters; "
                                            + "the limit is \(maximumLabelLength)")
            }
            wire.append(UInt8(label.utf8.count))
            wire.append(contentsOf: label.utf8)
        }
        wire.append(0)
        guard wire.count <= maximumWireLength else {
            throw DNSReconcileError(.dnsMessage, "\(text) is too long for DNS (\(wire.count) bytes on the wire, "
                                        + "at most \(maximumWireLength))")
        }
        return wire
    }

    private static func isHostNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": true
        default: false
        }
    }

    /// Presentation text of decoded labels: no trailing dot, the root as `.`; a dot or backslash
    /// inside a label is escaped with a backslash and bytes outside printable ASCII as `\DDD`, so
    /// a hostile name can never smuggle control characters into a terminal or a log line.
    static func presentation(_ labels: [ArraySlice<UInt8>]) -> String {
        guard !labels.isEmpty else { return "." }
        var out = ""
        for (index, label) in labels.enumerated() {
            if index > 0 { out += "." }
            for byte in label {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "\\"):
                    out += "\\"
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                case 0x21...0x7E:
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                default:
                    let decimal = String(byte)
                    out += "\\" + String(repeating: "0", count: 3 - decimal.count) + decimal
                }
            }
        }
        return out
    }

    /// Compares two presentation names as DNS does: ASCII case-insensitively, ignoring one
    /// trailing dot.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        func key(_ text: String) -> [UInt8] {
            var bytes = Array(text.utf8)
            if bytes.count > 1, bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
            return bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        }
        return key(lhs) == key(rhs)
    }
}
