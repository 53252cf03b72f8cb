/// A resource record type as it travels on the wire (RFC 1035 §3.2.2, IANA registry).
public struct DNSType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSType(rawValue: 1)
    public static let ns = DNSType(rawValue: 2)
    public static let cname = DNSType(rawValue: 5)
    public static let soa = DNSType(rawValue: 6)
    public static let ptr = DNSType(rawValue: 12)
    public static let txt = DNSType(rawValue: 16)
    public static let aaaa = DNSType(rawValue: 28)
    public static let opt = DNSType(rawValue: 41)

    private static let names: [UInt16: String] = [
        1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 16: "TXT", 28: "AAAA", 41: "OPT",
    ]

    /// The mnemonic, or `TYPE<n>` (RFC 3597) for the types this tool has no name for.
    public var description: String { DNSType.names[rawValue] ?? "TYPE\(rawValue)" }

    /// The wire type of an address record type; nil for every other type.
    public init?(addressType: RecordType) {
        switch addressType {
        case .a: self = .a
        case .aaaa: self = .aaaa
        default: return nil
        }
    }
}
