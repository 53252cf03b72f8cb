import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCore

/// `TXTRegistry.companion` (reference §1.4, §1.7, Traps 6, 7, 9, 10) and `NoopRegistry`.
@Suite struct RegistryCompanionTests {
    typealias F = RegistryFixture

    struct Row: Sendable, CustomTestStringConvertible {
        var id: String
        var prefix = "", suffix = "", wildcard = ""
        var owner = "owner"
        var key: String? = nil
        var nonce: [UInt8] = Array(repeating: 7, count: 12)
        var zone: HostedZone = RegistryFixture.zone
        var record: RecordSet
        var resource: String? = nil
        var name: String
        var value: String
        var testDescription: String { id }
    }

    static let myIngress = "ingress/default/my-ingress"
    static let withResource = "\"heritage=external-dns,external-dns/owner=owner,external-dns/resource=ingress/default/my-ingress\""

    /// Reference §1.7 rows that produce a companion (12 and 13 are read-only: see RegistryInventoryTests).
    static let rows: [Row] = [
        .init(id: "1.7#1", record: F.record("new-record-1.test-zone.example.org", .cname, ["new-loadbalancer-1.lb.com"]),
              name: "cname-new-record-1.test-zone.example.org", value: "\"heritage=external-dns,external-dns/owner=owner\""),
        .init(id: "1.7#2", prefix: "txt.", record: F.record("new-record-1.test-zone.example.org", .cname, ["lb.com"]),
              resource: myIngress, name: "txt.cname-new-record-1.test-zone.example.org", value: withResource),
        .init(id: "1.7#3", prefix: "txt.",
              record: F.record("multiple.test-zone.example.org", .cname, ["lb.com"], set: "test-set-3",
                               routing: .weighted(weight: 10)),
              resource: myIngress, name: "txt.cname-multiple.test-zone.example.org", value: withResource),
        .init(id: "1.7#4", prefix: "txt.", zone: HostedZone(id: "ZROOT", name: ""),
              record: F.record("example", .cname, ["lb.com"]), resource: myIngress, name: "txt.cname-example",
              value: withResource),
        .init(id: "1.7#5", prefix: "prefix%{record_type}.", owner: "owner-1",
              record: F.record("new-record-1.test-zone.example.org", .cname, ["lb.com"]), resource: myIngress,
              name: "prefixcname.new-record-1.test-zone.example.org",
              value: "\"heritage=external-dns,external-dns/owner=owner-1,external-dns/resource=ingress/default/my-ingress\""),
        .init(id: "1.7#6", suffix: "-%{record_type}suffix", owner: "owner-2",
              record: F.record("new-record-1.test-zone.example.org", .cname, ["lb.com"]), resource: myIngress,
              name: "new-record-1-cnamesuffix.test-zone.example.org",
              value: "\"heritage=external-dns,external-dns/owner=owner-2,external-dns/resource=ingress/default/my-ingress\""),
        .init(id: "1.7#7", suffix: "-txt", wildcard: "wildcard",
              record: F.record("*.wildcard.test-zone.example.org", .cname, ["lb.com"]), resource: myIngress,
              name: "cname-wildcard-txt.wildcard.test-zone.example.org", value: withResource),
        .init(id: "1.7#8-a", prefix: "txt-", wildcard: "wild", zone: HostedZone(id: "Z2", name: "example.com"),
              record: F.record("*.example.com", .a, ["1.2.3.4"]), name: "txt-a-wild.example.com",
              value: "\"heritage=external-dns,external-dns/owner=owner\""),
        .init(id: "1.7#8-mx", prefix: "txt-", wildcard: "wild", zone: HostedZone(id: "Z2", name: "example.com"),
              record: F.record("*.example.com", .mx, ["10 mx.example.com"]), name: "txt-mx-wild.example.com",
              value: "\"heritage=external-dns,external-dns/owner=owner\""),
        .init(id: "1.7#8-txt", prefix: "txt-", wildcard: "wild", zone: HostedZone(id: "Z2", name: "example.com"),
              record: F.record("*.example.com", .txt, ["\"hello\""]), name: "txt-txt-wild.example.com",
              value: "\"heritage=external-dns,external-dns/owner=owner\""),
        .init(id: "1.7#9", record: F.record("foo.test-zone.example.org", .aaaa, ["2001:DB8::1"]),
              name: "aaaa-foo.test-zone.example.org", value: "\"heritage=external-dns,external-dns/owner=owner\""),
        .init(id: "1.7#10", record: F.alias("new-alias.test-zone.example.org"),
              name: "a-new-alias.test-zone.example.org", value: "\"heritage=external-dns,external-dns/owner=owner\""),
        .init(id: "1.7#11", owner: "foobar", record: F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
              name: "a-foo.test-zone.example.org", value: "\"heritage=external-dns,external-dns/owner=foobar\""),
        .init(id: "1.7#14", prefix: "txt.", key: "12345678901234567890123456789012",
              nonce: Base64.decode("h8UQ6jelUFUsEIn7") ?? [],
              record: F.record("foobar.test-zone.example.org", .cname, ["foobar.loadbalancer.com"]),
              name: "txt.cname-foobar.test-zone.example.org", value: "\"" + TXTEncryptionTests.vector2Value + "\""),
        .init(id: "1.8-apex-templated-prefix", prefix: "txt-%{record_type}.",
              record: F.record("test-zone.example.org", .a, ["1.2.3.4"]), name: "txt-a.test-zone.example.org",
              value: "\"heritage=external-dns,external-dns/owner=owner\""),
    ]

    @Test(arguments: rows)
    func companion(_ row: Row) throws {
        let registry = F.registry(owner: row.owner, prefix: row.prefix, suffix: row.suffix, wildcard: row.wildcard,
                                  key: row.key, nonce: row.nonce)
        let inventory = registry.inventory(of: [row.record], in: row.zone)
        let companion = try #require(try registry.companion(for: row.record, resource: row.resource, existing: nil,
                                                            inventory: inventory))
        #expect(companion.name == DNSName(row.name))
        #expect(companion.type == .txt)
        #expect(companion.values == [row.value])
        #expect(companion.ttl == 300)
        #expect(companion.setIdentifier == row.record.setIdentifier)
        #expect(companion.routing == row.record.routing)
        #expect(companion.alias == nil)
    }

    @Test(arguments: [
        ("weighted", RoutingPolicy.weighted(weight: 50), "hc-1"),
        ("latency", .latency(region: "eu-west-1"), nil),
        ("failover-primary", .failover(.primary), "hc-primary"),
        ("geolocation", .geolocation(GeoLocation(countryCode: "HK")), nil),
        ("geoproximity", .geoproximity(GeoProximity(awsRegion: "ap-east-1", bias: 10)), nil),
        ("multivalue", .multiValue, "hc-2"),
    ] as [(String, RoutingPolicy, String?)])
    func companionCopiesRoutingAndHealthCheck(id: String, routing: RoutingPolicy, healthCheck: String?) throws {
        let record = F.record("web.test-zone.example.org", .a, ["1.2.3.4"], set: "hk", routing: routing,
                              healthCheckID: healthCheck)
        let registry = F.registry()
        let companion = try #require(try registry.companion(for: record, resource: "service/default/web", existing: nil,
                                                            inventory: registry.inventory(of: [record], in: F.zone)))
        #expect(companion.setIdentifier == "hk")
        #expect(companion.routing == routing)
        #expect(companion.healthCheckID == healthCheck)
        #expect(companion.name == "a-web.test-zone.example.org")
    }

    // MARK: refusals

    struct Refusal: Sendable, CustomTestStringConvertible {
        var id: String
        var prefix = ""
        var zone: [RecordSet] = []
        var record: RecordSet
        var resource: String? = nil
        var owner = "owner"
        /// Text the message must contain.
        var mentions: [String]
        var testDescription: String { id }
    }

    static let refusals: [Refusal] = [
        .init(id: "label-over-63",
              record: F.record("foo-some-really-big-name-not-supported-and-will-fail-000000000000000000.test-zone.example.org",
                               .cname, ["new-foo.loadbalancer.com"]),
              mentions: ["label of 77 bytes", "at most 63", "cname-foo-some-really-big-name"]),
        .init(id: "label-over-63-by-prefix", prefix: "ownership-record-for-",
              record: F.record(String(repeating: "x", count: 41) + ".test-zone.example.org", .a, ["1.2.3.4"]),
              mentions: ["label of 64 bytes", "txt-prefix"]),
        .init(id: "name-over-253",
              record: F.record(Array(repeating: String(repeating: "n", count: 60), count: 4).joined(separator: ".")
                               + ".test-zone.example.org", .a, ["1.2.3.4"]),
              mentions: ["at most 253"]),
        .init(id: "apex-no-affix", record: F.record("test-zone.example.org", .a, ["1.2.3.4"]),
              mentions: ["a-test-zone.example.org.", "outside the zone", "zone apex", "`txt-prefix = txt-%{record_type}.`"]),
        .init(id: "apex-plain-prefix", prefix: "txt.", record: F.record("test-zone.example.org", .cname, ["lb.com"]),
              mentions: ["txt.cname-test-zone.example.org.", "`txt-prefix = txt-%{record_type}.`"]),
        .init(id: "foreign-companion",
              zone: [F.txt("a-foo.test-zone.example.org", F.value("owner-2"))],
              record: F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
              mentions: ["a-foo.test-zone.example.org.", "belongs to owner 'owner-2'"]),
        .init(id: "foreign-companion-of-deleted-record", prefix: "txt.",
              zone: [F.txt("txt.cname-gone.test-zone.example.org", F.value("cluster-b", resource: "ingress/x/y"))],
              record: F.record("gone.test-zone.example.org", .cname, ["lb.com"]), owner: "cluster-a",
              mentions: ["cluster-b"]),
        .init(id: "unparsed-txt-at-name",
              zone: [F.txt("a-foo.test-zone.example.org", "\"v=spf1 -all\"")],
              record: F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
              mentions: ["a-foo.test-zone.example.org.", "not an ownership record"]),
        .init(id: "cname-at-name",
              zone: [F.record("a-foo.test-zone.example.org", .cname, ["x.example.com"])],
              record: F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
              mentions: ["CNAME already exists"]),
        .init(id: "value-over-255",
              record: F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
              resource: "service/default/" + String(repeating: "r", count: 230),
              mentions: ["255", "label `resource` is 246 characters"]),
        .init(id: "owner-over-255",
              record: F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]), owner: String(repeating: "o", count: 240),
              mentions: ["label `owner` is 240 characters"]),
        .init(id: "empty-owner", record: F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]), owner: "",
              mentions: ["owner-id"]),
    ]

    @Test(arguments: refusals)
    func refuses(_ row: Refusal) {
        let registry = F.registry(owner: row.owner, prefix: row.prefix)
        let inventory = registry.inventory(of: row.zone + [row.record], in: F.zone)
        do {
            _ = try registry.companion(for: row.record, resource: row.resource, existing: nil, inventory: inventory)
            Issue.record("companion written")
        } catch {
            #expect(error.code == .registry)
            for text in row.mentions { #expect(error.description.contains(text), "\(error.description)") }
        }
    }

    @Test func ownCompanionAtTheNameIsFine() throws {
        let record = F.record("foo.test-zone.example.org", .a, ["1.2.3.4"])
        let zone = [record, F.txt("a-foo.test-zone.example.org", F.value("owner"))]
        let registry = F.registry()
        let inventory = registry.inventory(of: zone, in: F.zone)
        let existing = inventory.records.first
        let companion = try registry.companion(for: record, resource: nil, existing: existing, inventory: inventory)
        #expect(companion == zone[1])
    }

    @Test func foreignHolderWithAnotherSetIdentifierDoesNotBlock() throws {
        let record = F.record("foo.test-zone.example.org", .a, ["1.2.3.4"], set: "hk", routing: .weighted(weight: 1))
        let zone = [F.txt("a-foo.test-zone.example.org", F.value("owner-2"), set: "eu", routing: .weighted(weight: 1))]
        let registry = F.registry()
        let companion = try registry.companion(for: record, resource: nil, existing: nil,
                                               inventory: registry.inventory(of: zone, in: F.zone))
        #expect(companion?.setIdentifier == "hk")
    }

    @Test func encryptedValueOverTheLimitIsRefused() {
        let registry = F.registry(key: "12345678901234567890123456789012")
        let record = F.record("foo.test-zone.example.org", .a, ["1.2.3.4"])
        // Compresses badly: the ciphertext outgrows 255 characters before the plaintext does.
        var generator = SplitMix64(seed: 42)
        let noise = String((0..<200).map { _ in Character(Unicode.Scalar(UInt8(97 + generator.next() % 26))) })
        #expect(throws: DNSReconcileError(.registry, "")) {
            _ = try registry.companion(for: record, resource: "service/default/" + noise, existing: nil,
                                       inventory: registry.inventory(of: [record], in: F.zone))
        }
    }

    @Test func encryptedCompressibleValueMayExceedThePlainLimit() throws {
        // Only the stored (encrypted) text counts against Route53's limit.
        let registry = F.registry(key: "12345678901234567890123456789012")
        let record = F.record("foo.test-zone.example.org", .a, ["1.2.3.4"])
        let companion = try registry.companion(for: record, resource: "service/default/" + String(repeating: "r", count: 230),
                                               existing: nil, inventory: registry.inventory(of: [record], in: F.zone))
        let value = try #require(companion?.values.first)
        #expect(value.utf8.count - 2 <= 255)
    }

    // MARK: encryption and nonces

    @Test func unchangedEncryptedCompanionIsReusedByteForByte() throws {
        let key = "12345678901234567890123456789012"
        let record = F.record("foobar.test-zone.example.org", .cname, ["foobar.loadbalancer.com"])
        let stored = F.txt("txt.cname-foobar.test-zone.example.org", "\"" + TXTEncryptionTests.vector2Value + "\"")
        // A nonce source that must not be used.
        let registry = F.registry(prefix: "txt.", key: key, nonce: [])
        let inventory = registry.inventory(of: [record, stored], in: F.zone)
        let existing = try #require(inventory.records.first)
        let companion = try #require(try registry.companion(for: record, resource: nil, existing: existing, inventory: inventory))
        #expect(companion == stored)
    }

    @Test func unchangedCompanionIsReusedEvenWhenItCannotBeReproduced() throws {
        // Another writer's gzip (here: a stored block, OS byte 3) decrypts to the same labels, but
        // re-encrypting with its nonce would give other bytes: the stored value must be kept.
        let key = "12345678901234567890123456789012"
        let cipher = try #require(TXTCipher(key: Array(key.utf8)))
        let labels = Array("heritage=external-dns,external-dns/owner=owner".utf8)
        let nonce: [UInt8] = Array(repeating: 0x42, count: 12)
        let foreignGzip = StoredGzip.member(labels)
        #expect(GoGzip.decompress(foreignGzip) == labels)
        let sealed = try #require(cipher.seal(foreignGzip, nonce: nonce))
        #expect(cipher.encrypt(String(decoding: labels, as: UTF8.self), nonce: nonce) != sealed)

        let record = F.record("foo.test-zone.example.org", .a, ["1.2.3.4"])
        let stored = F.txt("a-foo.test-zone.example.org", "\"" + sealed + "\"")
        let registry = F.registry(key: key, nonce: [])
        let inventory = registry.inventory(of: [record, stored], in: F.zone)
        #expect(inventory.records.first?.owner == .this)
        let companion = try registry.companion(for: record, resource: nil, existing: inventory.records.first,
                                               inventory: inventory)
        #expect(companion?.values == stored.values)
    }

    @Test func changedLabelsGetAFreshNonce() throws {
        let key = "12345678901234567890123456789012"
        let fresh: [UInt8] = Array(repeating: 0xAB, count: 12)
        let record = F.record("foobar.test-zone.example.org", .cname, ["foobar.loadbalancer.com"])
        let stored = F.txt("txt.cname-foobar.test-zone.example.org", "\"" + TXTEncryptionTests.vector2Value + "\"")
        let registry = F.registry(prefix: "txt.", key: key, nonce: fresh)
        let inventory = registry.inventory(of: [record, stored], in: F.zone)
        let companion = try #require(try registry.companion(for: record, resource: "service/default/foobar",
                                                            existing: inventory.records.first, inventory: inventory))
        let value = try #require(companion.values.first)
        #expect(value != stored.values.first)
        let opened = try #require(TXTCipher(key: Array(key.utf8))?.decrypt(value))
        #expect(opened.nonce == fresh)
        #expect(opened.plaintext == "heritage=external-dns,external-dns/owner=owner,external-dns/resource=service/default/foobar")
    }

    @Test func newEncryptedCompanionUsesTheInjectedNonceAndReadsBack() throws {
        let key = "passphrasewhichneedstobe32bytes!"
        let nonce: [UInt8] = Array(1...12)
        let registry = F.registry(key: key, nonce: nonce)
        let record = F.record("web.test-zone.example.org", .a, ["1.2.3.4"])
        let companion = try #require(try registry.companion(for: record, resource: "service/default/web", existing: nil,
                                                            inventory: registry.inventory(of: [record], in: F.zone)))
        let value = try #require(companion.values.first)
        #expect(value.hasPrefix("\"" + Base64.encode(nonce)))
        #expect(!value.contains("heritage"))
        let back = registry.inventory(of: [record, companion], in: F.zone)
        #expect(back.records.first?.owner == .this)
        #expect(back.records.first?.labels == ["owner": "owner", "resource": "service/default/web"])
    }

    @Test func keyNeverShowsInDescriptions() {
        let key = "passphrasewhichneedstobe32bytes!"
        let registry = F.registry(key: key)
        var dumped = ""
        dump(registry, to: &dumped)
        for text in [String(describing: registry), String(reflecting: registry), "\(registry)", dumped] {
            #expect(!text.contains("passphrase"))
            #expect(!text.contains("112, 97, 115, 115"))   // "pass" as bytes
        }
    }

    @Test func randomNonceIsTwelveBytes() {
        #expect(TXTRegistry.randomNonce().count == 12)
    }

    // MARK: noop

    @Test func noopOwnsEverythingAndWritesNothing() throws {
        let zone = [F.record("foo.test-zone.example.org", .a, ["1.2.3.4"]),
                    F.txt("a-foo.test-zone.example.org", F.value("owner-2")),
                    F.record("bar.test-zone.example.org", .cname, ["lb.com"])]
        let registry = NoopRegistry()
        let inventory = registry.inventory(of: zone, in: F.zone)
        #expect(inventory.records.map(\.record) == zone)
        #expect(inventory.records.allSatisfy { $0.owner == .this && $0.companions.isEmpty && $0.labels.isEmpty })
        #expect(inventory.registryTXTs.isEmpty)
        #expect(try registry.companion(for: zone[0], resource: "service/a/b", existing: inventory.records.first,
                                       inventory: inventory) == nil)
    }
}

/// A gzip member as other writers may produce it: one stored block, OS byte 3 (Unix).
private enum StoredGzip {
    static func member(_ data: [UInt8]) -> [UInt8] {
        let length = UInt16(data.count)
        var out: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]
        out += [0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        out += data
        let crc = crc32(data)
        out += [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)]
        out += [UInt8(length & 0xFF), UInt8(length >> 8), 0, 0]
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
