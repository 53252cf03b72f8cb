import Testing
@testable import DNSReconcileCore

/// Companion names (reference §1.2, §1.7 and ExternalDNS mapper_test.go).
@Suite struct TXTNameMapperTests {
    struct Forward: Sendable, CustomTestStringConvertible {
        var id: String
        var prefix = "", suffix = "", wildcard = ""
        var name: String
        var type: RecordType
        var expected: String
        var testDescription: String { id }
    }

    static let forward: [Forward] = [
        // §1.7 rows.
        .init(id: "1.7#1-no-affix-cname", name: "new-record-1.test-zone.example.org", type: .cname,
              expected: "cname-new-record-1.test-zone.example.org"),
        .init(id: "1.7#2-prefix-txt.", prefix: "txt.", name: "new-record-1.test-zone.example.org", type: .cname,
              expected: "txt.cname-new-record-1.test-zone.example.org"),
        .init(id: "1.7#3-prefix-set-id", prefix: "txt.", name: "multiple.test-zone.example.org", type: .cname,
              expected: "txt.cname-multiple.test-zone.example.org"),
        .init(id: "1.7#4-single-label", prefix: "txt.", name: "example", type: .cname, expected: "txt.cname-example"),
        .init(id: "1.7#5-templated-prefix", prefix: "prefix%{record_type}.", name: "new-record-1.test-zone.example.org",
              type: .cname, expected: "prefixcname.new-record-1.test-zone.example.org"),
        .init(id: "1.7#6-templated-suffix", suffix: "-%{record_type}suffix", name: "new-record-1.test-zone.example.org",
              type: .cname, expected: "new-record-1-cnamesuffix.test-zone.example.org"),
        .init(id: "1.7#7-suffix-wildcard", suffix: "-txt", wildcard: "wildcard", name: "*.wildcard.test-zone.example.org",
              type: .cname, expected: "cname-wildcard-txt.wildcard.test-zone.example.org"),
        .init(id: "1.7#8-wildcard-a", prefix: "txt-", wildcard: "wild", name: "*.example.com", type: .a,
              expected: "txt-a-wild.example.com"),
        .init(id: "1.7#8-wildcard-mx", prefix: "txt-", wildcard: "wild", name: "*.example.com", type: .mx,
              expected: "txt-mx-wild.example.com"),
        .init(id: "1.7#8-wildcard-txt", prefix: "txt-", wildcard: "wild", name: "*.example.com", type: .txt,
              expected: "txt-txt-wild.example.com"),
        .init(id: "1.7#9-aaaa", name: "foo.test-zone.example.org", type: .aaaa, expected: "aaaa-foo.test-zone.example.org"),
        .init(id: "1.7#10-a-alias-is-a", name: "new-alias.test-zone.example.org", type: .a,
              expected: "a-new-alias.test-zone.example.org"),
        .init(id: "1.7#11-a", name: "foo.test-zone.example.org", type: .a, expected: "a-foo.test-zone.example.org"),
        .init(id: "1.7#14-encrypted-prefix", prefix: "txt.", name: "foobar.test-zone.example.org", type: .cname,
              expected: "txt.cname-foobar.test-zone.example.org"),
        .init(id: "1.7-mapper-no-affix-txt", name: "foo.example.com", type: .txt, expected: "txt-foo.example.com"),
        // mapper_test.go ToTXTName.
        .init(id: "template-prefix-a", prefix: "%{record_type}-", name: "foo.example.com", type: .a, expected: "a-foo.example.com"),
        .init(id: "template-prefix-ptr", prefix: "%{record_type}-", name: "2.49.168.192.in-addr.arpa", type: .ptr,
              expected: "ptr-2.49.168.192.in-addr.arpa"),
        .init(id: "template-prefix-dname", prefix: "%{record_type}-", name: "foo.example.com", type: "DNAME",
              expected: "dname-foo.example.com"),
        .init(id: "template-suffix-a", suffix: "-%{record_type}", name: "foo.example.com", type: .a, expected: "foo-a.example.com"),
        .init(id: "template-suffix-txt", suffix: "-%{record_type}", name: "foo.example.com", type: .txt,
              expected: "foo-txt.example.com"),
        .init(id: "no-affix-srv", name: "foo.example.com", type: .srv, expected: "srv-foo.example.com"),
        .init(id: "no-affix-naptr", name: "foo.example.com", type: .naptr, expected: "naptr-foo.example.com"),
        // §1.8 apex and wildcard.
        .init(id: "1.8-apex-no-affix", name: "example.com", type: .a, expected: "a-example.com"),
        .init(id: "1.8-apex-prefix", prefix: "txt.", name: "example.com", type: .a, expected: "txt.a-example.com"),
        .init(id: "1.8-apex-templated-dot", prefix: "someprefix-%{record_type}.", name: "ex.com", type: .cname,
              expected: "someprefix-cname.ex.com"),
        .init(id: "1.8-apex-templated-abc", prefix: "%{record_type}-abc-.", name: "ex.com", type: .cname,
              expected: "cname-abc-.ex.com"),
        .init(id: "1.8-apex-suffix-broken", suffix: "-.%{record_type}", name: "ex.com", type: .a, expected: "ex-.a.com"),
        .init(id: "1.8-wildcard-no-replacement", name: "*.example.com", type: .a, expected: "a-*.example.com"),
        .init(id: "1.8-wildcard-replacement", wildcard: "wc", name: "*.example.com", type: .a, expected: "a-wc.example.com"),
        .init(id: "affixes-lowercased", prefix: "TxT.", wildcard: "WC", name: "*.example.com", type: .a,
              expected: "txt.a-wc.example.com"),
        .init(id: "template-twice", prefix: "%{record_type}.%{record_type}-", name: "foo.example.com", type: .a,
              expected: "a.a-foo.example.com"),
    ]

    @Test(arguments: forward)
    func txtName(_ row: Forward) {
        let mapper = TXTNameMapper(prefix: row.prefix, suffix: row.suffix, wildcardReplacement: row.wildcard)
        #expect(mapper.txtName(for: row.name, type: row.type) == row.expected)
    }

    struct Reverse: Sendable, CustomTestStringConvertible {
        var id: String
        var prefix = "", suffix = ""
        var txtName: String
        /// nil: the name does not map to a record.
        var name: String?
        /// nil: a legacy untyped name.
        var type: RecordType?
        var testDescription: String { id }
    }

    static let reverse: [Reverse] = [
        // §1.7 rows 12 and 13.
        .init(id: "1.7#12-templated-prefix-a", prefix: "txt-%{record_type}.", txtName: "txt-a.foo.test-zone.example.org",
              name: "foo.test-zone.example.org", type: .a),
        .init(id: "1.7#12-templated-prefix-mx", prefix: "txt-%{record_type}.", txtName: "txt-mx.mail.test-zone.example.org",
              name: "mail.test-zone.example.org", type: .mx),
        .init(id: "1.7#12-templated-prefix-case", prefix: "TxT-%{record_type}.", txtName: "txt-a.foo.test-zone.example.org",
              name: "foo.test-zone.example.org", type: .a),
        .init(id: "1.7#12-templated-prefix-legacy", prefix: "txt-%{record_type}.", txtName: "txt-.foo.test-zone.example.org",
              name: "foo.test-zone.example.org", type: nil),
        .init(id: "1.7#12-templated-suffix-cname", suffix: "txt%{record_type}", txtName: "bartxtcname.test-zone.example.org",
              name: "bar.test-zone.example.org", type: .cname),
        .init(id: "1.7#12-templated-suffix-legacy", suffix: "txt%{record_type}", txtName: "mailtxt.test-zone.example.org",
              name: "mail.test-zone.example.org", type: nil),
        .init(id: "1.7#13-suffix-legacy", suffix: "-txt", txtName: "bar-txt.test-zone.example.org",
              name: "bar.test-zone.example.org", type: nil),
        .init(id: "1.7#13-suffix-typed-aaaa", suffix: "-txt", txtName: "aaaa-dualstack-txt.test-zone.example.org",
              name: "dualstack.test-zone.example.org", type: .aaaa),
        .init(id: "1.7#13-suffix-typed-mx", suffix: "-txt", txtName: "mx-mail-txt.test-zone.example.org",
              name: "mail.test-zone.example.org", type: .mx),
        .init(id: "1.7#13-suffix-case", suffix: "-TxT", txtName: "tar-txt.test-zone.example.org",
              name: "tar.test-zone.example.org", type: nil),
        .init(id: "1.7#13-suffix-srv-legacy", suffix: "-txt", txtName: "_sip-txt._udp.sip1.test-zone.example.org",
              name: "_sip._udp.sip1.test-zone.example.org", type: nil),
        .init(id: "1.7#13-suffix-missing", suffix: "-txt", txtName: "foobar.test-zone.example.org", name: nil, type: nil),
        // §1.7 mapper rows.
        .init(id: "1.7-mapper-ptr", prefix: "%{record_type}-", txtName: "ptr-2.49.168.192.in-addr.arpa",
              name: "2.49.168.192.in-addr.arpa", type: .ptr),
        .init(id: "1.7-mapper-suffix-cname", suffix: "-%{record_type}", txtName: "foo-cname.example.com",
              name: "foo.example.com", type: .cname),
        .init(id: "1.7-mapper-dotted-suffix", suffix: ".foo.bar", txtName: "a-example.foo.bar.com", name: "example.com", type: .a),
        .init(id: "1.7-mapper-dotted-suffix-too-few", suffix: ".foo.bar", txtName: "a-example.foo", name: nil, type: nil),
        .init(id: "mapper-dotted-suffix-no-tail", suffix: ".foo.bar", txtName: "a-example.foo.bar", name: "example", type: .a),
        // mapper_test.go ToEndpointName and the legacy schemes.
        .init(id: "no-affix-a", txtName: "a-foo.example.com", name: "foo.example.com", type: .a),
        .init(id: "no-affix-aaaa", txtName: "aaaa-foo.example.com", name: "foo.example.com", type: .aaaa),
        .init(id: "no-affix-cname", txtName: "cname-foo.example.com", name: "foo.example.com", type: .cname),
        .init(id: "no-affix-ns", txtName: "ns-foo.example.com", name: "foo.example.com", type: .ns),
        .init(id: "no-affix-mx", txtName: "mx-foo.example.com", name: "foo.example.com", type: .mx),
        .init(id: "no-affix-srv", txtName: "srv-foo.example.com", name: "foo.example.com", type: .srv),
        .init(id: "no-affix-ptr", txtName: "ptr-2.49.168.192.in-addr.arpa", name: "2.49.168.192.in-addr.arpa", type: .ptr),
        .init(id: "no-affix-naptr", txtName: "naptr-foo.example.com", name: "foo.example.com", type: .naptr),
        .init(id: "no-affix-txt", txtName: "txt-foo.example.com", name: "foo.example.com", type: .txt),
        .init(id: "no-affix-dname", txtName: "dname-foo.example.com", name: "foo.example.com", type: "DNAME"),
        .init(id: "no-affix-legacy-same-name", txtName: "foo.example.com", name: "foo.example.com", type: nil),
        .init(id: "legacy-ambiguous-a-team", txtName: "a-team.example.com", name: "team.example.com", type: .a),
        .init(id: "unknown-marker-is-legacy", txtName: "caa-foo.example.com", name: "caa-foo.example.com", type: nil),
        .init(id: "marker-is-text-before-first-dash", txtName: "a.example.com", name: "a.example.com", type: nil),
        .init(id: "bare-type-label", txtName: "a", name: "a", type: .a),
        .init(id: "prefix-legacy", prefix: "txt.", txtName: "txt.bar.test-zone.example.org", name: "bar.test-zone.example.org", type: nil),
        .init(id: "prefix-typed", prefix: "txt.", txtName: "txt.cname-bar.test-zone.example.org",
              name: "bar.test-zone.example.org", type: .cname),
        .init(id: "prefix-case", prefix: "TxT.", txtName: "txt.cname-bar.test-zone.example.org",
              name: "bar.test-zone.example.org", type: .cname),
        .init(id: "prefix-missing", prefix: "txt.", txtName: "bar.test-zone.example.org", name: nil, type: nil),
        .init(id: "prefix-owner-underscore", prefix: "_owner.", txtName: "_owner.bar.test-zone.example.org",
              name: "bar.test-zone.example.org", type: nil),
        .init(id: "wildcard-unreplaced", txtName: "a-*.example.com", name: "*.example.com", type: .a),
        .init(id: "prefix-and-suffix-map-nothing", prefix: "pre-", suffix: "-suf", txtName: "pre-a-foo-suf.example.com",
              name: nil, type: nil),
    ]

    @Test(arguments: reverse)
    func endpoint(_ row: Reverse) {
        let mapper = TXTNameMapper(prefix: row.prefix, suffix: row.suffix)
        let result = mapper.endpoint(forTXTName: row.txtName)
        #expect(result?.name == row.name)
        #expect(result?.type == row.type)
    }

    @Test(arguments: [
        ("no-affix", "", ""), ("prefix", "txt.", ""), ("prefix-dash", "txt-", ""), ("suffix", "", "-txt"),
        ("templated-prefix", "txt-%{record_type}.", ""), ("templated-suffix", "", "-%{record_type}"),
        ("dotted-suffix", "", ".foo.bar"),
    ])
    func typedNamesRoundTrip(id: String, prefix: String, suffix: String) {
        let mapper = TXTNameMapper(prefix: prefix, suffix: suffix)
        for type in TXTNameMapper.supportedTypes {
            let txt = mapper.txtName(for: "web.example.com", type: type)
            let back = mapper.endpoint(forTXTName: txt)
            #expect(back?.name == "web.example.com", "\(id) \(type)")
            #expect(back?.type == type, "\(id) \(type)")
        }
    }

    @Test(arguments: [
        ("no-affix", "", "", "web.example.com"), ("prefix", "txt.", "", "txt.web.example.com"),
        ("suffix", "", "-txt", "web-txt.example.com"), ("templated-prefix", "txt-%{record_type}.", "", "txt-.web.example.com"),
    ])
    func legacyNamesReadBackUntyped(id: String, prefix: String, suffix: String, legacy: String) {
        let mapper = TXTNameMapper(prefix: prefix, suffix: suffix)
        #expect(mapper.legacyTXTName(for: "web.example.com") == legacy)
        let back = mapper.endpoint(forTXTName: legacy)
        #expect(back?.name == "web.example.com")
        #expect(back?.type == nil)
    }
}
