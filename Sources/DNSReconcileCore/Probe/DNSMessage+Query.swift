extension DNSMessage {
    /// The EDNS payload size the DNS Flag Day 2020 recommends: large enough for most answers,
    /// small enough to avoid IP fragmentation.
    public static let defaultEDNSPayloadSize: UInt16 = 1232

    /// The bytes of a standard query with one question (class IN).
    ///
    /// - Parameters:
    ///   - id: chosen by the caller from a random source, so queries are not guessable and tests
    ///     can fix it.
    ///   - recursionDesired: RD; a stub asking a recursive resolver sets it, and an authoritative
    ///     server ignores it.
    ///   - ednsPayloadSize: adds an OPT record advertising this UDP payload size; nil sends a
    ///     plain RFC 1035 query (answers over 512 bytes then come back truncated).
    public static func query(id: UInt16, name: String, type: DNSType, recursionDesired: Bool = true,
                             ednsPayloadSize: UInt16? = DNSMessage.defaultEDNSPayloadSize) throws(DNSReconcileError) -> [UInt8] {
        var bytes: [UInt8] = []
        func append16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
        append16(id)
        append16(recursionDesired ? 0x0100 : 0)
        append16(1)
        append16(0)
        append16(0)
        append16(ednsPayloadSize == nil ? 0 : 1)
        bytes += try DNSWireName.encode(name)
        append16(type.rawValue)
        append16(1)
        if let ednsPayloadSize {
            bytes.append(0)
            append16(DNSType.opt.rawValue)
            append16(ednsPayloadSize)
            bytes += [0, 0, 0, 0]
            append16(0)
        }
        return bytes
    }
}
