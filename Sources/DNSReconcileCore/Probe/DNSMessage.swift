/// A DNS message (RFC 1035 §4.1) decoded as far as a probe needs: the header flags, the
/// question, and the records of every section with A, AAAA and CNAME data decoded.
///
/// Decoding never traps: a short packet, a label running past the end, a compression pointer
/// that points outside the message or loops, or record data of the wrong size throws
/// `.dnsMessage` with the offset and what was being read. One exception keeps retries working:
/// a message with the TC (truncated) flag whose sections do not decode is returned with the
/// records that were complete, because the caller only needs the flag to retry over TCP.
public struct DNSMessage: Hashable, Sendable {
    /// The EDNS OPT pseudo-record (RFC 6891), kept apart from the additional records.
    public struct EDNS: Hashable, Sendable {
        /// The largest UDP payload the sender accepts.
        public var udpPayloadSize: UInt16
        public var version: UInt8
        public var dnssecOK: Bool
    }

    public var id: UInt16
    public var isResponse: Bool
    public var opcode: UInt8
    public var isAuthoritative: Bool
    /// TC: the answer did not fit the UDP payload; ask again over TCP.
    public var isTruncated: Bool
    public var recursionDesired: Bool
    public var recursionAvailable: Bool
    /// The full response code, extended by the OPT record when there is one.
    public var responseCode: DNSResponseCode
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]
    public var edns: EDNS?

    public init(id: UInt16, isResponse: Bool = true, opcode: UInt8 = 0, isAuthoritative: Bool = false,
                isTruncated: Bool = false, recursionDesired: Bool = true, recursionAvailable: Bool = false,
                responseCode: DNSResponseCode = .noError, questions: [DNSQuestion] = [],
                answers: [DNSResourceRecord] = [], authorities: [DNSResourceRecord] = [],
                additionals: [DNSResourceRecord] = [], edns: EDNS? = nil) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.responseCode = responseCode
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
        self.edns = edns
    }

    /// Decodes one message, as received over UDP or without its two-byte TCP length prefix.
    public init(decoding bytes: [UInt8]) throws(DNSReconcileError) {
        guard bytes.count >= 12 else {
            throw DNSReconcileError(.dnsMessage, "truncated DNS message: \(bytes.count) bytes, shorter than the "
                                        + "12-byte header")
        }
        var reader = DNSWireReader(bytes)
        let id = try reader.u16("the id")
        let flags = try reader.u16("the flags")
        let counts = [try reader.u16("the question count"), try reader.u16("the answer count"),
                      try reader.u16("the authority count"), try reader.u16("the additional count")]
        self.init(id: id, isResponse: flags & 0x8000 != 0, opcode: UInt8(flags >> 11 & 0xF),
                  isAuthoritative: flags & 0x0400 != 0, isTruncated: flags & 0x0200 != 0,
                  recursionDesired: flags & 0x0100 != 0, recursionAvailable: flags & 0x0080 != 0,
                  responseCode: DNSResponseCode(rawValue: flags & 0xF))
        do throws(DNSReconcileError) {
            for index in 0..<Int(counts[0]) {
                let what = "question \(index + 1)"
                let name = try reader.name(what)
                questions.append(DNSQuestion(name: name, type: DNSType(rawValue: try reader.u16("the type of \(what)")),
                                             dnsClass: try reader.u16("the class of \(what)")))
            }
            for index in 0..<Int(counts[1]) { answers.append(try Self.record(&reader, "answer record \(index + 1)")) }
            for index in 0..<Int(counts[2]) { authorities.append(try Self.record(&reader, "authority record \(index + 1)")) }
            for index in 0..<Int(counts[3]) {
                let record = try Self.record(&reader, "additional record \(index + 1)")
                guard record.type == .opt else { additionals.append(record); continue }
                guard edns == nil else {
                    throw DNSReconcileError(.dnsMessage, "the message carries more than one OPT record (RFC 6891 §6.1.1)")
                }
                edns = EDNS(udpPayloadSize: record.dnsClass, version: UInt8(record.ttl >> 16 & 0xFF),
                            dnssecOK: record.ttl & 0x8000 != 0)
                responseCode = DNSResponseCode(rawValue: UInt16(record.ttl >> 24) << 4 | responseCode.rawValue)
            }
        } catch {
            // A server may cut a truncated answer anywhere; keep what was complete, the TC flag
            // tells the caller to ask again over TCP.
            guard isTruncated else { throw error }
        }
    }

    private static func record(_ reader: inout DNSWireReader, _ what: String) throws(DNSReconcileError) -> DNSResourceRecord {
        let name = try reader.name("the owner of \(what)")
        let type = DNSType(rawValue: try reader.u16("the type of \(what)"))
        let dnsClass = try reader.u16("the class of \(what)")
        let ttl = try reader.u32("the TTL of \(what)")
        let length = Int(try reader.u16("the data length of \(what)"))
        let dataStart = reader.offset
        let raw = try reader.take(length, "the \(length)-byte data of \(what) (\(type) \(name))")
        func wrongSize(_ expected: Int) -> DNSReconcileError {
            DNSReconcileError(.dnsMessage, "\(what) (\(type) \(name)) has \(length) bytes of data; a \(type) record "
                                  + "has \(expected)")
        }
        let data: DNSResourceRecord.Data
        switch type {
        case .a:
            guard length == 4 else { throw wrongSize(4) }
            data = .a(raw)
        case .aaaa:
            guard length == 16 else { throw wrongSize(16) }
            data = .aaaa(raw)
        case .cname:
            // The target may point back into earlier parts of the message, but its own labels
            // must end exactly where the record data ends.
            var target = DNSWireReader(reader.bytes, offset: dataStart)
            let name = try target.name("the target of \(what)")
            guard target.offset == dataStart + length else {
                throw DNSReconcileError(.dnsMessage, "\(what) (CNAME \(name)): the target name takes "
                                            + "\(target.offset - dataStart) bytes but the record data is \(length)")
            }
            data = .cname(name)
        default:
            data = .other(raw)
        }
        return DNSResourceRecord(name: name, type: type, dnsClass: dnsClass, ttl: ttl, data: data)
    }

    /// True when this is the answer to the query `id` for `name` and `type`: a response with the
    /// same id whose question (when it echoes one) is that name and type. Anything else is a
    /// stray or spoofed packet and must be ignored.
    public func answers(id expectedID: UInt16, name: String, type: DNSType) -> Bool {
        guard isResponse, id == expectedID, questions.count <= 1 else { return false }
        guard let question = questions.first else { return true }
        return question.type == type && question.dnsClass == 1 && DNSWireName.same(question.name, name)
    }

    /// The addresses of the answer section's records of `type`, in the order the server sent them.
    public func addresses(of type: DNSType) -> [String] {
        answers.filter { $0.type == type }.compactMap(\.address)
    }

    /// The CNAME targets the answer section walks through, in order.
    public var canonicalNames: [String] {
        answers.compactMap { record in
            if case .cname(let target) = record.data { target } else { nil }
        }
    }
}
