/// One resource record of an answer, authority or additional section.
public struct DNSResourceRecord: Hashable, Sendable {
    /// The decoded data of the record types a probe reads; everything else stays raw bytes.
    public enum Data: Hashable, Sendable {
        /// Four bytes.
        case a([UInt8])
        /// Sixteen bytes.
        case aaaa([UInt8])
        /// The target name, decompressed, in presentation form.
        case cname(String)
        case other([UInt8])
    }

    /// Presentation form without the trailing dot.
    public var name: String
    public var type: DNSType
    public var dnsClass: UInt16
    public var ttl: UInt32
    public var data: Data

    public init(name: String, type: DNSType, dnsClass: UInt16 = 1, ttl: UInt32, data: Data) {
        self.name = name
        self.type = type
        self.dnsClass = dnsClass
        self.ttl = ttl
        self.data = data
    }

    /// The address of an A or AAAA record in its usual text form; nil for other records.
    public var address: String? {
        switch data {
        case .a(let bytes): IPAddress.ipv4Text(bytes)
        case .aaaa(let bytes): IPAddress.ipv6Text(bytes)
        case .cname, .other: nil
        }
    }
}
