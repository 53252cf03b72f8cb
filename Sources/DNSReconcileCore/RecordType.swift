/// A DNS record type as Route53 names it (`A`, `AAAA`, `CNAME`, `TXT`, ...). Open-ended so that
/// record sets of types this tool does not manage still round-trip untouched.
public struct RecordType: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) {
        // Types come upper-case from Route53 and mostly from configs: keep the string as it is.
        let isUpper = rawValue.utf8.allSatisfy { !($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) && $0 < 128 }
        self.rawValue = isUpper ? rawValue : rawValue.uppercased()
    }
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public static func < (lhs: RecordType, rhs: RecordType) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let a: RecordType = "A"
    public static let aaaa: RecordType = "AAAA"
    public static let cname: RecordType = "CNAME"
    public static let txt: RecordType = "TXT"
    public static let mx: RecordType = "MX"
    public static let ns: RecordType = "NS"
    public static let soa: RecordType = "SOA"
    public static let srv: RecordType = "SRV"
    public static let ptr: RecordType = "PTR"
    public static let caa: RecordType = "CAA"
    public static let naptr: RecordType = "NAPTR"
    public static let spf: RecordType = "SPF"

    /// Types Route53 accepts in a ChangeResourceRecordSets request.
    public static let route53Types: Set<RecordType> = [
        "SOA", "A", "TXT", "NS", "CNAME", "MX", "NAPTR", "PTR", "SRV", "SPF", "AAAA", "CAA", "DS",
        "TLSA", "SSHFP", "SVCB", "HTTPS",
    ]
}
