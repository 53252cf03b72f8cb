import Testing
@testable import DNSReconcileCore

/// The DNS wire format: queries byte for byte, real BIND answers, and hostile packets that must
/// end in a clear `.dnsMessage` error, never a trap.
@Suite struct ProbeDNSMessageTests {
    // MARK: - Queries

    @Test func queryWithEDNSByteForByte() throws {
        let bytes = try DNSMessage.query(id: 0xBEEF, name: "app.example.test", type: .a)
        #expect(bytes == hex("""
            beef 0100 0001 0000 0000 0001
            03 617070 07 6578616d706c65 04 74657374 00 0001 0001
            00 0029 04d0 00000000 0000
            """))
    }

    @Test func plainQueryWithoutRecursionOrEDNS() throws {
        let bytes = try DNSMessage.query(id: 7, name: "v6.example.test.", type: .aaaa, recursionDesired: false,
                                         ednsPayloadSize: nil)
        #expect(bytes == hex("0007 0000 0001 0000 0000 0000 02 7636 07 6578616d706c65 04 74657374 00 001c 0001"))
    }

    @Test func aQueryDecodesBackToItsQuestion() throws {
        let message = try DNSMessage(decoding: try DNSMessage.query(id: 42, name: "App.Example.TEST", type: .aaaa))
        #expect(message.id == 42 && !message.isResponse && message.recursionDesired)
        #expect(message.questions == [DNSQuestion(name: "App.Example.TEST", type: .aaaa)])
        #expect(message.edns?.udpPayloadSize == 1232)
    }

    @Test(arguments: [
        ("empty", "", "empty"),
        ("root only", ".", "empty"),
        ("empty label", "a..example.com", "empty label"),
        ("leading dot", ".example.com", "empty label"),
        ("space", "a b.example.com", "\" \""),
        ("non-ASCII", "bücher.example", "xn--"),
        ("label of 64", String(repeating: "a", count: 64) + ".example", "label of 64"),
        ("name of 256", Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: "."), "too long"),
    ])
    func badQueryNames(id: String, name: String, fragment: String) {
        #expect {
            _ = try DNSMessage.query(id: 1, name: name, type: .a)
        } throws: { error in
            let error = error as! DNSReconcileError
            return error.code == .dnsMessage && error.message.contains(fragment)
        }
    }

    // MARK: - Real answers (captured from BIND 9.18.49, query id 0x1234 with EDNS 1232)

    /// `alias.example.test A`: a CNAME to app, then app's two addresses; every owner name and the
    /// CNAME target are compression pointers (c00c, c012, c030).
    static let bindCNAMEAnswer = hex("""
        1234 8500 0001 0003 0000 0001
        05616c696173 076578616d706c65 0474657374 00 0001 0001
        c00c 0005 0001 0000001e 0006 03617070 c012
        c030 0001 0001 0000001e 0004 7f000002
        c030 0001 0001 0000001e 0004 7f000003
        00 0029 04d0 00000000 0000
        """)

    static let bindAAAAAnswer = hex("""
        1234 8500 0001 0001 0000 0001
        027636 076578616d706c65 0474657374 00 001c 0001
        c00c 001c 0001 0000001e 0010 00000000000000000000000000000001
        00 0029 04d0 00000000 0000
        """)

    /// `nope.example.test A`: NXDOMAIN with the zone's SOA in the authority section.
    static let bindNXDOMAINAnswer = hex("""
        1234 8503 0001 0000 0001 0001
        046e6f7065 076578616d706c65 0474657374 00 0001 0001
        c011 0006 0001 0000001e 0026 026e73c011 0a686f73746d6173746572c011
        00000001 00000e10 00000258 00015180 0000001e
        00 0029 04d0 00000000 0000
        """)

    @Test func bindCNAMEChainWithCompression() throws {
        let message = try DNSMessage(decoding: Self.bindCNAMEAnswer)
        #expect(message.id == 0x1234 && message.isResponse && message.isAuthoritative && message.recursionDesired)
        #expect(!message.isTruncated && !message.recursionAvailable && message.responseCode == .noError)
        #expect(message.answers(id: 0x1234, name: "ALIAS.example.test.", type: .a))
        #expect(message.answers == [
            DNSResourceRecord(name: "alias.example.test", type: .cname, ttl: 30, data: .cname("app.example.test")),
            DNSResourceRecord(name: "app.example.test", type: .a, ttl: 30, data: .a([127, 0, 0, 2])),
            DNSResourceRecord(name: "app.example.test", type: .a, ttl: 30, data: .a([127, 0, 0, 3])),
        ])
        #expect(message.addresses(of: .a) == ["127.0.0.2", "127.0.0.3"])
        #expect(message.canonicalNames == ["app.example.test"])
        #expect(message.edns == DNSMessage.EDNS(udpPayloadSize: 1232, version: 0, dnssecOK: false))
        #expect(message.additionals.isEmpty)
    }

    @Test func bindAAAAAnswer() throws {
        let message = try DNSMessage(decoding: Self.bindAAAAAnswer)
        #expect(message.addresses(of: .aaaa) == ["::1"])
        #expect(message.addresses(of: .a).isEmpty)
    }

    @Test func bindNXDOMAINWithSOA() throws {
        let message = try DNSMessage(decoding: Self.bindNXDOMAINAnswer)
        #expect(message.responseCode == .nameError && message.responseCode.description == "NXDOMAIN")
        #expect(message.answers.isEmpty)
        #expect(message.authorities.map(\.name) == ["example.test"])
        #expect(message.authorities.first?.type == .soa)
        #expect(ProbeErrorKind(responseCode: message.responseCode) == .dnsNXDomain)
    }

    @Test func pointerToAPointerDecodes() throws {
        // www.example.com at 12; the answer's CNAME target is "web" + a pointer to example.com (16),
        // and the A record's owner points at that target, which itself ends in a pointer.
        var bytes = header(id: 9, flags: 0x8180, questions: 1, answers: 2)
        bytes += hex("03777777 076578616d706c65 03636f6d 00 0001 0001")   // 12..32
        bytes += hex("c00c 0005 0001 0000003c 0006")                       // 33..44
        bytes += hex("03776562 c010")                                      // target at 45
        bytes += hex("c02d 0001 0001 0000003c 0004 c0000201")
        let message = try DNSMessage(decoding: bytes)
        #expect(message.answers.map(\.name) == ["www.example.com", "web.example.com"])
        #expect(message.canonicalNames == ["web.example.com"])
        #expect(message.addresses(of: .a) == ["192.0.2.1"])
        #expect(message.recursionAvailable)
    }

    @Test func extendedResponseCodeFromOPT() throws {
        var bytes = header(id: 1, flags: 0x8000, additionals: 1)
        bytes += hex("00 0029 1000 01000000 0000")   // extended rcode 1 -> 16 (BADVERS)
        let message = try DNSMessage(decoding: bytes)
        #expect(message.responseCode == .badVersion && message.responseCode.description == "BADVERS")
    }

    @Test func presentationEscapesHostileLabels() throws {
        var bytes = header(id: 1, flags: 0x8000, questions: 1)
        bytes += [4, 0x61, 0x2E, 0x0A, 0x5C, 7] + Array("example".utf8) + [0, 0, 1, 0, 1]
        let message = try DNSMessage(decoding: bytes)
        #expect(message.questions.first?.name == "a\\.\\010\\\\.example")
    }

    // MARK: - Truncation

    @Test func truncatedFlagKeepsWhatWasComplete() throws {
        // TC set and the packet cut inside the third answer: the caller only needs the flag.
        var cut = Self.bindCNAMEAnswer
        cut[2] |= 0x02
        cut = Array(cut[0..<(cut.count - 20)])
        let message = try DNSMessage(decoding: cut)
        #expect(message.isTruncated)
        #expect(message.answers.count == 2)
    }

    @Test func theSameCutWithoutTheFlagIsAnError() {
        let cut = Array(Self.bindCNAMEAnswer[0..<(Self.bindCNAMEAnswer.count - 30)])
        #expect(dnsError(cut)?.contains("truncated DNS message") == true)
    }

    @Test func bindStyleEmptyTruncatedAnswer() throws {
        var bytes = header(id: 5, flags: 0x8700, questions: 1)
        bytes += hex("03617070 076578616d706c65 0474657374 00 0001 0001")
        let message = try DNSMessage(decoding: bytes)
        #expect(message.isTruncated && message.answers.isEmpty)
    }

    // MARK: - Hostile and broken packets

    @Test(arguments: [
        ("short header", hex("1234 8180 0001"), "shorter than the 12-byte header"),
        ("question missing", header(questions: 1), "runs past the end"),
        ("second question missing", header(questions: 2) + hex("00 0001 0001"), "question 2"),
        ("pointer to itself", header(questions: 1) + hex("c00c 0001 0001"), "points to itself"),
        ("two-step loop", header(questions: 1) + hex("0161 c00c 0001 0001"), "compression loop"),
        ("forward pointer", header(questions: 1) + hex("c010 0001 0001 00 00"), "points forward"),
        ("pointer past the end", header(questions: 1) + hex("c0ff 0001 0001"), "past the end of the 18-byte message"),
        ("pointer cut off", header(questions: 1) + hex("c0"), "pointer at offset 12 is cut off"),
        ("label past the end", header(questions: 1) + hex("05 6162"), "5-byte label at offset 12 runs past"),
        ("no terminating zero", header(questions: 1) + hex("0161"), "runs past the end"),
        ("reserved label type", header(questions: 1) + hex("41 61 00 0001 0001"), "unsupported label type 0x40"),
        ("name too long", header(questions: 1) + longName(labels: 5) + hex("0001 0001"), "longer than 255 bytes"),
        ("record header cut", header(answers: 1) + hex("00 0001 0001 0000"), "the TTL of answer record 1"),
        ("data past the end", header(answers: 1) + hex("00 0001 0001 0000001e 0004 7f00"), "4-byte data of answer record 1"),
        ("A of five bytes", header(answers: 1) + hex("00 0001 0001 0000001e 0005 7f00000201"), "5 bytes of data; a A record has 4"),
        ("AAAA of four bytes", header(answers: 1) + hex("00 001c 0001 0000001e 0004 7f000001"), "a AAAA record has 16"),
        ("CNAME data longer than its name", header(answers: 1) + hex("00 0005 0001 0000001e 0005 017800 0000"),
         "takes 3 bytes but the record data is 5"),
        ("CNAME target loops", header(answers: 1) + hex("00 0005 0001 0000001e 0002 c017"), "points to itself"),
        ("two OPT records", header(additionals: 2) + hex("00 0029 04d0 00000000 0000 00 0029 04d0 00000000 0000"),
         "more than one OPT record"),
    ])
    func brokenPacketsGiveClearErrors(id: String, bytes: [UInt8], fragment: String) {
        let message = dnsError(bytes)
        #expect(message?.contains(fragment) == true, "\(id): \(message ?? "decoded without error")")
    }

    /// Every prefix of a real answer, and every single-byte corruption of it, decodes or throws.
    @Test func noPrefixOrCorruptionTraps() {
        for answer in [Self.bindCNAMEAnswer, Self.bindAAAAAnswer, Self.bindNXDOMAINAnswer] {
            for length in 0..<answer.count { _ = try? DNSMessage(decoding: Array(answer[0..<length])) }
            for index in answer.indices {
                for value: UInt8 in [0x00, 0x3F, 0x40, 0xC0, 0xC0 | UInt8(index & 0x3F), 0xFF] {
                    var corrupt = answer
                    corrupt[index] = value
                    _ = try? DNSMessage(decoding: corrupt)
                }
            }
        }
    }

    // MARK: - Matching answers to queries

    @Test(arguments: [
        ("same", UInt16(0x1234), "alias.example.test", DNSType.a, true),
        ("other case and dot", 0x1234, "Alias.Example.Test.", .a, true),
        ("other id", 0x1235, "alias.example.test", .a, false),
        ("other name", 0x1234, "app.example.test", .a, false),
        ("other type", 0x1234, "alias.example.test", .aaaa, false),
    ])
    func answersOnlyItsOwnQuery(id: String, queryID: UInt16, name: String, type: DNSType, expected: Bool) throws {
        let message = try DNSMessage(decoding: Self.bindCNAMEAnswer)
        #expect(message.answers(id: queryID, name: name, type: type) == expected)
    }

    @Test func aQueryIsNotAnAnswer() throws {
        let query = try DNSMessage(decoding: try DNSMessage.query(id: 3, name: "a.example", type: .a))
        #expect(!query.answers(id: 3, name: "a.example", type: .a))
    }

    @Test(arguments: [
        ("loopback", [UInt8](repeating: 0, count: 15) + [1], "::1"),
        ("unspecified", [UInt8](repeating: 0, count: 16), "::"),
        ("documentation", [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1], "2001:db8::1"),
        ("first of equal runs", [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], "2001:db8::1:0:0:1"),
        ("single zero group stays", [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], "2001:db8:0:1:1:1:1:1"),
        ("longest run wins", [0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], "2001:0:0:1::1"),
    ])
    func ipv6Text(id: String, bytes: [UInt8], expected: String) {
        #expect(IPAddress.ipv6Text(bytes) == expected)
    }
}

// MARK: - Helpers

/// Bytes from hex digits; whitespace is ignored.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    return stride(from: 0, to: digits.count - 1, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// A 12-byte header.
private func header(id: UInt16 = 0xABCD, flags: UInt16 = 0x8180, questions: UInt16 = 0, answers: UInt16 = 0,
                    authorities: UInt16 = 0, additionals: UInt16 = 0) -> [UInt8] {
    [id, flags, questions, answers, authorities, additionals].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
}

/// `labels` labels of 63 `a`s and the root.
private func longName(labels: Int) -> [UInt8] {
    (0..<labels).flatMap { _ in [63] + [UInt8](repeating: 0x61, count: 63) } + [0]
}

/// The message of the `.dnsMessage` error decoding `bytes` throws; nil when it decodes.
private func dnsError(_ bytes: [UInt8]) -> String? {
    do {
        _ = try DNSMessage(decoding: bytes)
        return nil
    } catch {
        return error.code == .dnsMessage ? error.message : "wrong code \(error.code): \(error.message)"
    }
}
