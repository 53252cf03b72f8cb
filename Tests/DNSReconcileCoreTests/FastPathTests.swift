@testable import DNSReconcileCore
import Testing

/// The allocation-free code written for large plans (name order, name parsing, address parsing,
/// the name index) agrees with the plain definitions it replaced.
@Suite struct FastPathTests {
    /// Route53's order as first written: reversed labels joined with dots, compared byte-wise.
    static func referenceLess(_ lhs: DNSName, _ rhs: DNSName) -> Bool {
        let l = lhs.labels.reversed().joined(separator: "."), r = rhs.labels.reversed().joined(separator: ".")
        return Array(l.utf8).lexicographicallyPrecedes(Array(r.utf8))
    }

    static let names: [DNSName] = [
        "", "com", "example.com", "a.example.com", "a-b.example.com", "a.b.example.com", "ab.example.com",
        "b.example.com", "example.org", "www.example.com", "x.www.example.com", "www-1.example.com",
        "*.example.com", "!x.example.com", "example.com.x", "a..b", "a", "ab", "a.b", "b.a", "xn--caf-dma.example",
        "sub.example.com", "sub-x.example.com", "sub0.example.com", "a.sub.example.com", "zzz",
    ]

    @Test func nameOrderMatchesTheReversedLabelDefinition() {
        for lhs in Self.names {
            for rhs in Self.names {
                #expect((lhs < rhs) == Self.referenceLess(lhs, rhs), "\(lhs.value) < \(rhs.value)")
            }
        }
        let pseudoRandom = (0..<400).map { i in
            DNSName((0..<(i % 4 + 1)).map { j in ["a", "b", "a-b", "ab", "b0", "", "x"][(i * 7 + j * 3) % 7] }
                .joined(separator: "."))
        }
        for (lhs, rhs) in zip(pseudoRandom, pseudoRandom.reversed()) {
            #expect((lhs < rhs) == Self.referenceLess(lhs, rhs), "\(lhs.value) < \(rhs.value)")
        }
    }

    @Test(arguments: [
        ("www.example.com.", "www.example.com"), ("www.example.com", "www.example.com"), (".", ""), ("", ""),
        ("..", "."), ("a.", "a"), ("WWW.Example.COM.", "www.example.com"), ("\\052.example.com.", "*.example.com"),
        ("caf\\351.example.com", "caf\u{FFFD}.example.com"), ("*.example.com", "*.example.com"),
    ])
    func nameParsingKeepsItsRules(_ row: (String, String)) {
        #expect(DNSName(row.0).value == row.1, "\(row.0)")
    }

    @Test(arguments: [
        ("sub.example.com", "example.com", true), ("example.com", "example.com", true), ("xexample.com", "example.com", false),
        ("example.com", "sub.example.com", false), ("a.b", "", true), ("", "", true), ("com", "example.com", false),
    ])
    func isWithinComparesLabels(_ row: (DNSName, DNSName, Bool)) {
        #expect(row.0.isWithin(row.1) == row.2)
    }

    @Test(arguments: [
        ("192.0.2.1", [192, 0, 2, 1] as [UInt8]?), ("0.0.0.0", [0, 0, 0, 0]), ("255.255.255.255", [255, 255, 255, 255]),
        ("256.0.0.1", nil), ("01.2.3.4", nil), ("1.2.3", nil), ("1.2.3.4.5", nil), ("1..2.3", nil), ("", nil),
        ("1.2.3.4 ", nil), ("a.b.c.d", nil), ("1234.1.1.1", nil), ("1.2.3.", nil),
    ])
    func ipv4(_ row: (String, [UInt8]?)) {
        #expect(IPAddress.ipv4(row.0) == row.1, "\(row.0)")
    }

    @Test(arguments: [
        ("2001:db8::1", "20010db8000000000000000000000001"), ("::", "00000000000000000000000000000000"),
        ("::1", "00000000000000000000000000000001"), ("1::", "00010000000000000000000000000000"),
        ("2001:DB8:0:0:0:0:0:1", "20010db8000000000000000000000001"), ("::ffff:192.0.2.1", "00000000000000000000ffffc0000201"),
        ("1:2:3:4:5:6:192.0.2.1", "000100020003000400050006c0000201"), ("1:2:3:4:5:6:7:8", "00010002000300040005000600070008"),
        ("1:2:3:4:5:6:7::", "00010002000300040005000600070000"),
    ])
    func ipv6Accepts(_ row: (String, String)) {
        #expect(IPAddress.normalisedIPv6(row.0) == row.1, "\(row.0)")
    }

    @Test(arguments: ["", ":", ":::", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "g::", "fe80::1%eth0",
                      "1:2:3:4:5:6:7:8::", "::1.2.3.4:5", "1.2.3.4::", "1:", ":1", "1:2:3:4:5:6:7:1.2.3.4", "::256.0.0.1"])
    func ipv6Refuses(_ text: String) {
        #expect(IPAddress.ipv6(text) == nil, "\(text)")
    }

    @Test(arguments: [
        ("app.example.com", false, true), ("app.example.com.", false, true), ("a", false, true), (".", false, false),
        ("", false, false), ("a..b", false, false), ("a.b..", false, false), (".a", false, false), ("-a_b.c", false, true),
        ("*.example.com", false, false), ("*.example.com", true, true), ("a.*.example.com", true, false),
        ("caf\u{E9}.example", false, false), ("a b.example", false, false),
        (String(repeating: "a", count: 63) + ".x", false, true), (String(repeating: "a", count: 64) + ".x", false, false),
        (Array(repeating: String(repeating: "a", count: 62), count: 4).joined(separator: ".") + ".bcd", false, false),
        (Array(repeating: String(repeating: "a", count: 62), count: 4).joined(separator: ".") + ".", false, true),
    ])
    func hostNames(_ row: (String, Bool, Bool)) {
        #expect(AddressSyntax.isHostName(row.0, wildcard: row.1) == row.2, "\(row.0)")
    }

    @Test(arguments: [("192.0.2.1", true), ("01.2.3.4", false), ("1.2.3", false), ("256.1.1.1", false), ("a.b.c.d", false),
                      ("1.2.3.4x", false), ("host", false), ("", false), ("2001:db8::1", false)])
    func addressSyntaxIPv4(_ row: (String, Bool)) {
        #expect(AddressSyntax.isIPv4(row.0) == row.1, "\(row.0)")
        #expect(AddressSyntax.isIPv6("2001:db8::1") && !AddressSyntax.isIPv6("lb.example.net"))
    }

    @Test func nameIndexFindsEveryPositionInOrder() {
        let names: [DNSName] = ["a", "b", "a", "c", "a", "b"]
        let index = NameIndex(names)
        #expect(Array(index.positions(of: "a")) == [0, 2, 4])
        #expect(Array(index.positions(of: "b")) == [1, 5])
        #expect(Array(index.positions(of: "z")) == [])
        let inventory = ZoneInventory(
            zone: HostedZone(id: "Z", name: "example.com"),
            records: [OwnedRecordSet(record: RecordSet(name: "a.example.com", type: .a), owner: .none),
                      OwnedRecordSet(record: RecordSet(name: "b.example.com", type: .a), owner: .none),
                      OwnedRecordSet(record: RecordSet(name: "a.example.com", type: .mx), owner: .this)],
            registryTXTs: [RecordSet(name: "a-a.example.com", type: .txt)])
        #expect(inventory.records(named: "a.example.com").map(\.record.type) == [.a, .mx])
        #expect(Array(inventory.registryTXTs(named: "a-a.example.com")).count == 1)
        #expect(Array(inventory.records(named: "c.example.com")).isEmpty)
    }
}
