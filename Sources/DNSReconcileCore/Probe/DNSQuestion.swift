/// One entry of a message's question section.
public struct DNSQuestion: Hashable, Sendable {
    /// Presentation form without the trailing dot (`app.example.com`; the root is `.`).
    public var name: String
    public var type: DNSType
    /// 1 (IN) for everything this tool asks.
    public var dnsClass: UInt16

    public init(name: String, type: DNSType, dnsClass: UInt16 = 1) {
        self.name = name
        self.type = type
        self.dnsClass = dnsClass
    }
}
