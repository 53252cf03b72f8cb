import Testing
@testable import DNSReconcileCore

/// Record sets as Route53 lists them, for the registry tests.
enum RegistryFixture {
    static let zone = HostedZone(id: "Z1D633PJN98FT9", name: "test-zone.example.org")

    static func value(_ owner: String, resource: String? = nil) -> String {
        var labels = ["owner": owner]
        if let resource { labels["resource"] = resource }
        return TXTLabels.serialize(labels, quoted: true)
    }

    static func txt(_ name: String, _ value: String, set: String? = nil, routing: RoutingPolicy = .simple) -> RecordSet {
        RecordSet(name: DNSName(name), type: .txt, setIdentifier: set, routing: routing, ttl: 300, values: [value])
    }

    static func record(_ name: String, _ type: RecordType, _ values: [String], set: String? = nil,
                       routing: RoutingPolicy = .simple, healthCheckID: String? = nil) -> RecordSet {
        RecordSet(name: DNSName(name), type: type, setIdentifier: set, routing: routing, ttl: 300, values: values,
                  healthCheckID: healthCheckID)
    }

    static func alias(_ name: String, _ type: RecordType = .a, target: String = "lb-1.elb.amazonaws.com") -> RecordSet {
        RecordSet(name: DNSName(name), type: type,
                  alias: AliasTarget(hostedZoneID: "Z35SXDOTRQ7X7K", dnsName: DNSName(target), evaluateTargetHealth: true))
    }

    static func registry(owner: String = "owner", prefix: String = "", suffix: String = "", wildcard: String = "",
                         key: String? = nil, nonce: [UInt8] = Array(repeating: 7, count: 12)) -> TXTRegistry {
        TXTRegistry(ownerID: owner, prefix: prefix, suffix: suffix, wildcardReplacement: wildcard,
                    encryptionKey: key.map { Array($0.utf8) }, managedTypes: [.a, .aaaa, .cname],
                    nonceSource: { nonce })
    }
}

/// `TXTRegistry.inventory` (reference §1.3).
@Suite struct RegistryInventoryTests {
    typealias F = RegistryFixture

    static func find(_ inventory: ZoneInventory, _ name: String, _ type: RecordType, set: String? = nil) -> OwnedRecordSet? {
        inventory.records.first { $0.record.name == DNSName(name) && $0.record.type == type && $0.record.setIdentifier == set }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var id: String
        var prefix = "", suffix = "", wildcard = ""
        var owner = "owner"
        var zone: [RecordSet]
        var name: String
        var type: RecordType
        var set: String? = nil
        var expected: Owner
        /// Names of the companions expected in `companions`, in listing order.
        var companions: [String]
        var testDescription: String { id }
    }

    static let cases: [Case] = [
        .init(id: "typed", zone: [F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
                                  F.txt("a-foo.test-zone.example.org", F.value("owner"))],
              name: "foo.test-zone.example.org", type: .a, expected: .this, companions: ["a-foo.test-zone.example.org"]),
        .init(id: "typed-foreign", zone: [F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
                                          F.txt("a-foo.test-zone.example.org", F.value("owner-2"))],
              name: "foo.test-zone.example.org", type: .a, expected: .other("owner-2"),
              companions: ["a-foo.test-zone.example.org"]),
        .init(id: "unowned", zone: [F.record("foo.test-zone.example.org", .a, ["1.2.3.4"])],
              name: "foo.test-zone.example.org", type: .a, expected: .none, companions: []),
        .init(id: "companion-without-owner-label",
              zone: [F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
                     F.txt("a-foo.test-zone.example.org", "\"heritage=external-dns,external-dns/resource=x\"")],
              name: "foo.test-zone.example.org", type: .a, expected: .other(""), companions: ["a-foo.test-zone.example.org"]),
        .init(id: "owner-is-case-sensitive", zone: [F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
                                                    F.txt("a-foo.test-zone.example.org", F.value("Owner"))],
              name: "foo.test-zone.example.org", type: .a, expected: .other("Owner"),
              companions: ["a-foo.test-zone.example.org"]),
        .init(id: "legacy-prefix", prefix: "txt.",
              zone: [F.record("bar.test-zone.example.org", .cname, ["my-domain.com"]),
                     F.txt("txt.bar.test-zone.example.org", F.value("owner"))],
              name: "bar.test-zone.example.org", type: .cname, expected: .this, companions: ["txt.bar.test-zone.example.org"]),
        .init(id: "typed-wins-over-legacy", prefix: "txt.",
              zone: [F.record("tar.test-zone.example.org", .cname, ["tar.lb.com"]),
                     F.txt("txt.tar.test-zone.example.org", F.value("owner-2")),
                     F.txt("txt.cname-tar.test-zone.example.org", F.value("owner"))],
              name: "tar.test-zone.example.org", type: .cname, expected: .this,
              companions: ["txt.cname-tar.test-zone.example.org", "txt.tar.test-zone.example.org"]),
        .init(id: "aaaa-ignores-legacy", prefix: "txt.",
              zone: [F.record("dualstack.test-zone.example.org", .aaaa, ["2001:db8::1"]),
                     F.txt("txt.dualstack.test-zone.example.org", F.value("owner"))],
              name: "dualstack.test-zone.example.org", type: .aaaa, expected: .none, companions: []),
        .init(id: "dualstack-a-legacy", prefix: "txt.",
              zone: [F.record("dualstack.test-zone.example.org", .a, ["1.1.1.1"]),
                     F.txt("txt.dualstack.test-zone.example.org", F.value("owner")),
                     F.record("dualstack.test-zone.example.org", .aaaa, ["2001:db8::1"]),
                     F.txt("txt.aaaa-dualstack.test-zone.example.org", F.value("owner-2"))],
              name: "dualstack.test-zone.example.org", type: .a, expected: .this,
              companions: ["txt.dualstack.test-zone.example.org"]),
        .init(id: "dualstack-aaaa-typed", prefix: "txt.",
              zone: [F.record("dualstack.test-zone.example.org", .a, ["1.1.1.1"]),
                     F.txt("txt.dualstack.test-zone.example.org", F.value("owner")),
                     F.record("dualstack.test-zone.example.org", .aaaa, ["2001:db8::1"]),
                     F.txt("txt.aaaa-dualstack.test-zone.example.org", F.value("owner-2"))],
              name: "dualstack.test-zone.example.org", type: .aaaa, expected: .other("owner-2"),
              companions: ["txt.aaaa-dualstack.test-zone.example.org"]),
        .init(id: "a-alias-legacy-cname", zone: [F.alias("new-alias.test-zone.example.org"),
                                                 F.txt("cname-new-alias.test-zone.example.org", F.value("owner"))],
              name: "new-alias.test-zone.example.org", type: .a, expected: .this,
              companions: ["cname-new-alias.test-zone.example.org"]),
        .init(id: "a-alias-typed-preferred", zone: [F.alias("new-alias.test-zone.example.org"),
                                                    F.txt("cname-new-alias.test-zone.example.org", F.value("old")),
                                                    F.txt("a-new-alias.test-zone.example.org", F.value("owner"))],
              name: "new-alias.test-zone.example.org", type: .a, expected: .this,
              companions: ["a-new-alias.test-zone.example.org", "cname-new-alias.test-zone.example.org"]),
        .init(id: "plain-a-ignores-cname-txt", zone: [F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
                                                      F.txt("cname-foo.test-zone.example.org", F.value("owner"))],
              name: "foo.test-zone.example.org", type: .a, expected: .none, companions: []),
        .init(id: "aaaa-alias-never-cname", zone: [F.alias("new-alias.test-zone.example.org", .aaaa),
                                                   F.txt("cname-new-alias.test-zone.example.org", F.value("owner"))],
              name: "new-alias.test-zone.example.org", type: .aaaa, expected: .none, companions: []),
        .init(id: "set-identifier-1", prefix: "txt.",
              zone: [F.record("multiple.test-zone.example.org", .cname, ["lb1.lb.com"], set: "test-set-1"),
                     F.txt("txt.cname-multiple.test-zone.example.org", F.value("owner"), set: "test-set-1"),
                     F.record("multiple.test-zone.example.org", .cname, ["lb2.lb.com"], set: "test-set-2"),
                     F.txt("txt.cname-multiple.test-zone.example.org", F.value("owner-2"), set: "test-set-2")],
              name: "multiple.test-zone.example.org", type: .cname, set: "test-set-1", expected: .this,
              companions: ["txt.cname-multiple.test-zone.example.org"]),
        .init(id: "set-identifier-2", prefix: "txt.",
              zone: [F.record("multiple.test-zone.example.org", .cname, ["lb1.lb.com"], set: "test-set-1"),
                     F.txt("txt.cname-multiple.test-zone.example.org", F.value("owner"), set: "test-set-1"),
                     F.record("multiple.test-zone.example.org", .cname, ["lb2.lb.com"], set: "test-set-2"),
                     F.txt("txt.cname-multiple.test-zone.example.org", F.value("owner-2"), set: "test-set-2")],
              name: "multiple.test-zone.example.org", type: .cname, set: "test-set-2", expected: .other("owner-2"),
              companions: ["txt.cname-multiple.test-zone.example.org"]),
        .init(id: "set-identifier-must-match", zone: [F.record("w.test-zone.example.org", .a, ["1.2.3.4"], set: "eu"),
                                                      F.txt("a-w.test-zone.example.org", F.value("owner"))],
              name: "w.test-zone.example.org", type: .a, set: "eu", expected: .none, companions: []),
        .init(id: "1.7#12-templated-prefix", prefix: "txt-%{record_type}.", wildcard: "wc",
              zone: [F.record("foo.test-zone.example.org", .a, ["1.1.1.1"]),
                     F.txt("txt-a.foo.test-zone.example.org", F.value("owner"))],
              name: "foo.test-zone.example.org", type: .a, expected: .this, companions: ["txt-a.foo.test-zone.example.org"]),
        .init(id: "1.7#12-templated-prefix-mx", prefix: "txt-%{record_type}.",
              zone: [F.record("mail.test-zone.example.org", .mx, ["10 onemail.example.com"]),
                     F.txt("txt-mx.mail.test-zone.example.org", F.value("owner"))],
              name: "mail.test-zone.example.org", type: .mx, expected: .this, companions: ["txt-mx.mail.test-zone.example.org"]),
        .init(id: "1.7#12-templated-suffix-cname", suffix: "txt%{record_type}",
              zone: [F.record("bar.test-zone.example.org", .cname, ["8.8.8.8"]),
                     F.txt("bartxtcname.test-zone.example.org", F.value("owner"))],
              name: "bar.test-zone.example.org", type: .cname, expected: .this,
              companions: ["bartxtcname.test-zone.example.org"]),
        .init(id: "1.7#12-templated-suffix-legacy-mx", suffix: "txt%{record_type}",
              zone: [F.record("mail.test-zone.example.org", .mx, ["10 onemail.example.com"]),
                     F.txt("mailtxt.test-zone.example.org", F.value("owner"))],
              name: "mail.test-zone.example.org", type: .mx, expected: .this, companions: ["mailtxt.test-zone.example.org"]),
        .init(id: "1.7#13-suffix-legacy-cname", suffix: "-txt",
              zone: [F.record("bar.test-zone.example.org", .cname, ["my-domain.com"]),
                     F.txt("bar-txt.test-zone.example.org", F.value("owner")),
                     F.record("bar-txt.test-zone.example.org", .cname, ["baz.test-zone.example.org"])],
              name: "bar.test-zone.example.org", type: .cname, expected: .this, companions: ["bar-txt.test-zone.example.org"]),
        .init(id: "1.7#13-suffix-name-without-suffix", suffix: "-txt",
              zone: [F.record("bar-txt.test-zone.example.org", .cname, ["baz.test-zone.example.org"]),
                     F.txt("bar-txt.test-zone.example.org", F.value("owner"))],
              name: "bar-txt.test-zone.example.org", type: .cname, expected: .none, companions: []),
        .init(id: "1.7#13-suffix-aaaa", suffix: "-txt",
              zone: [F.record("dualstack.test-zone.example.org", .aaaa, ["2001:db8::1"]),
                     F.txt("aaaa-dualstack-txt.test-zone.example.org", F.value("owner-2"))],
              name: "dualstack.test-zone.example.org", type: .aaaa, expected: .other("owner-2"),
              companions: ["aaaa-dualstack-txt.test-zone.example.org"]),
        .init(id: "suffix-srv-legacy", suffix: "-txt",
              zone: [F.record("_sip._udp.sip1.test-zone.example.org", .srv, ["1 50 5060 sip1-n1.test-zone.example.org"]),
                     F.txt("_sip-txt._udp.sip1.test-zone.example.org", F.value("owner"))],
              name: "_sip._udp.sip1.test-zone.example.org", type: .srv, expected: .this,
              companions: ["_sip-txt._udp.sip1.test-zone.example.org"]),
        .init(id: "wildcard-replacement", prefix: "txt.", wildcard: "wc",
              zone: [F.record("*.test-zone.example.org", .a, ["1.2.3.4"]),
                     F.txt("txt.a-wc.test-zone.example.org", F.value("owner"))],
              name: "*.test-zone.example.org", type: .a, expected: .this, companions: ["txt.a-wc.test-zone.example.org"]),
        .init(id: "wildcard-escaped", zone: [F.record("\\052.test-zone.example.org.", .a, ["1.2.3.4"]),
                                             F.txt("a-\\052.test-zone.example.org.", F.value("owner"))],
              name: "*.test-zone.example.org", type: .a, expected: .this, companions: ["a-*.test-zone.example.org"]),
        .init(id: "txt-record-owned-like-any-other", zone: [F.txt("foo.test-zone.example.org", "\"v=spf1 -all\""),
                                                           F.txt("txt-foo.test-zone.example.org", F.value("owner"))],
              name: "foo.test-zone.example.org", type: .txt, expected: .this, companions: ["txt-foo.test-zone.example.org"]),
        .init(id: "multi-cluster-different-type", prefix: "_owner.", owner: "bar",
              zone: [F.record("bar.test-zone.example.org", .a, ["1.2.3.4"]),
                     F.txt("_owner.bar.test-zone.example.org", F.value("cat"))],
              name: "bar.test-zone.example.org", type: .a, expected: .other("cat"),
              companions: ["_owner.bar.test-zone.example.org"]),
        .init(id: "prefix-case-insensitive", prefix: "TxT.",
              zone: [F.record("foo.test-zone.example.org", .cname, ["foo.lb.com"]),
                     F.txt("TXT.cname-foo.test-zone.example.org", F.value("owner"))],
              name: "foo.test-zone.example.org", type: .cname, expected: .this,
              companions: ["txt.cname-foo.test-zone.example.org"]),
    ]

    @Test(arguments: cases)
    func owner(_ row: Case) throws {
        let registry = F.registry(owner: row.owner, prefix: row.prefix, suffix: row.suffix, wildcard: row.wildcard)
        let inventory = registry.inventory(of: row.zone, in: F.zone)
        let owned = try #require(Self.find(inventory, row.name, row.type, set: row.set))
        #expect(owned.owner == row.expected)
        #expect(owned.companions.map(\.name) == row.companions.map { DNSName($0) })
        // Companions are echoed exactly as observed.
        for companion in owned.companions { #expect(row.zone.contains(companion)) }
        #expect(owned.labels.isEmpty == (row.expected == .none))
    }

    @Test func registryTXTsLeaveTheRecordListEvenWhenUnmapped() {
        let zone = [
            F.record("foobar.test-zone.example.org", .cname, ["foobar.lb.com"]),
            F.txt("foobar.test-zone.example.org", F.value("owner")),        // suffix mode: maps to nothing
            F.txt("qux.test-zone.example.org", "\"random\""),               // not a registry TXT
            F.txt("bad.test-zone.example.org", "\"heritage=mate,external-dns/owner=owner\""),
            F.txt("bar-txt.test-zone.example.org", F.value("owner")),
        ]
        let inventory = F.registry(suffix: "-txt").inventory(of: zone, in: F.zone)
        #expect(inventory.registryTXTs == [zone[1], zone[4]])
        #expect(inventory.records.map(\.record) == [zone[0], zone[2], zone[3]])
        #expect(inventory.records.allSatisfy { $0.owner == .none })
        #expect(inventory.zone == F.zone)
    }

    @Test func onlyTheFirstValueOfATXTCounts() {
        let zone = [F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
                    RecordSet(name: "a-foo.test-zone.example.org", type: .txt, ttl: 300,
                              values: ["\"hello\"", F.value("owner")])]
        let inventory = F.registry().inventory(of: zone, in: F.zone)
        #expect(inventory.registryTXTs.isEmpty)
        #expect(Self.find(inventory, "foo.test-zone.example.org", .a)?.owner == Owner.none)
    }

    @Test func labelsExcludeHeritageAndKeepOtherKeys() throws {
        let zone = [F.record("foo.test-zone.example.org", .cname, ["x.lb.com"]),
                    F.txt("cname-foo.test-zone.example.org",
                          "\"heritage=external-dns,external-dns/owner=owner,external-dns/resource=ingress/default/web,external-dns/extra=1\"")]
        let owned = try #require(Self.find(F.registry().inventory(of: zone, in: F.zone), "foo.test-zone.example.org", .cname))
        #expect(owned.labels == ["owner": "owner", "resource": "ingress/default/web", "extra": "1"])
    }

    @Test func sharedLegacyTXTIsNoOnesCompanion() throws {
        // One untyped TXT guards both the A and the MX: deleting either must not delete it.
        let zone = [F.record("mail.test-zone.example.org", .a, ["1.2.3.4"]),
                    F.record("mail.test-zone.example.org", .mx, ["10 mx.example.com"]),
                    F.txt("txt.mail.test-zone.example.org", F.value("owner")),
                    F.txt("txt.a-mail.test-zone.example.org", F.value("owner"))]
        let inventory = F.registry(prefix: "txt.").inventory(of: zone, in: F.zone)
        let a = try #require(Self.find(inventory, "mail.test-zone.example.org", .a))
        let mx = try #require(Self.find(inventory, "mail.test-zone.example.org", .mx))
        #expect(a.owner == .this)
        #expect(mx.owner == .this)
        #expect(a.companions == [zone[3]])
        #expect(mx.companions.isEmpty)
        // Once the A is gone the MX alone stands for it.
        let later = F.registry(prefix: "txt.").inventory(of: [zone[1], zone[2]], in: F.zone)
        #expect(Self.find(later, "mail.test-zone.example.org", .mx)?.companions == [zone[2]])
    }

    @Test func encryptedAndPlainCompanionsMix() throws {
        let encrypted = "\"" + TXTEncryptionTests.vector2Value + "\""
        let zone = [F.record("foobar.test-zone.example.org", .cname, ["foobar.loadbalancer.com"]),
                    F.txt("txt.cname-foobar.test-zone.example.org", encrypted),
                    F.record("plain.test-zone.example.org", .cname, ["plain.loadbalancer.com"]),
                    F.txt("txt.cname-plain.test-zone.example.org", F.value("owner", resource: "service/default/plain"))]
        let inventory = F.registry(prefix: "txt.", key: "12345678901234567890123456789012").inventory(of: zone, in: F.zone)
        #expect(inventory.registryTXTs == [zone[1], zone[3]])
        let foobar = try #require(Self.find(inventory, "foobar.test-zone.example.org", .cname))
        #expect(foobar.owner == .this)
        #expect(foobar.labels == ["owner": "owner"])
        #expect(foobar.companions == [zone[1]])
        #expect(foobar.companions.first?.values == [encrypted])
        let plain = try #require(Self.find(inventory, "plain.test-zone.example.org", .cname))
        #expect(plain.owner == .this)
        #expect(plain.labels["resource"] == "service/default/plain")
    }

    @Test(arguments: [("wrong-key", "passphrasewhichneedstobe32bytes!"), ("no-key", nil)] as [(String, String?)])
    func undecryptableCompanionLeavesTheRecordUnowned(id: String, key: String?) throws {
        let zone = [F.record("foobar.test-zone.example.org", .cname, ["foobar.loadbalancer.com"]),
                    F.txt("txt.cname-foobar.test-zone.example.org", "\"" + TXTEncryptionTests.vector2Value + "\"")]
        let inventory = F.registry(prefix: "txt.", key: key).inventory(of: zone, in: F.zone)
        #expect(inventory.registryTXTs.isEmpty, "\(id)")
        #expect(Self.find(inventory, "foobar.test-zone.example.org", .cname)?.owner == Owner.none, "\(id)")
        // The encrypted TXT is an ordinary unowned record: never touched.
        #expect(Self.find(inventory, "txt.cname-foobar.test-zone.example.org", .txt)?.owner == Owner.none, "\(id)")
    }

    @Test func encryptedValueThatDecryptsToForeignHeritageIsNotARegistryTXT() throws {
        let key = Array("12345678901234567890123456789012".utf8)
        let cipher = try #require(TXTCipher(key: key))
        let sealed = try #require(cipher.encrypt("heritage=mate,external-dns/owner=owner", nonce: Array(repeating: 1, count: 12)))
        let zone = [F.txt("a-foo.test-zone.example.org", "\"" + sealed + "\"")]
        let inventory = F.registry(key: "12345678901234567890123456789012").inventory(of: zone, in: F.zone)
        #expect(inventory.registryTXTs.isEmpty)
    }

    @Test func currentCompanionMissingAsksForMigration() throws {
        let zone = [F.alias("new-alias.test-zone.example.org"),
                    F.txt("cname-new-alias.test-zone.example.org", F.value("owner")),
                    F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
                    F.txt("a-foo.test-zone.example.org", F.value("owner")),
                    F.record("mail.test-zone.example.org", .mx, ["10 mx.example.com"]),
                    F.txt("mail.test-zone.example.org", F.value("owner"))]
        let registry = F.registry()
        let inventory = registry.inventory(of: zone, in: F.zone)
        #expect(registry.isCurrentCompanionMissing(try #require(Self.find(inventory, "new-alias.test-zone.example.org", .a))))
        #expect(!registry.isCurrentCompanionMissing(try #require(Self.find(inventory, "foo.test-zone.example.org", .a))))
        // MX is owned through the legacy TXT but not a managed type.
        #expect(!registry.isCurrentCompanionMissing(try #require(Self.find(inventory, "mail.test-zone.example.org", .mx))))
    }
}
