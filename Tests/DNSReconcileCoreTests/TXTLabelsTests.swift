import Testing
@testable import DNSReconcileCore

/// The ExternalDNS label codec (reference §1.1).
@Suite struct TXTLabelsTests {
    @Test(arguments: [
        ("owner-only", ["owner": "owner"], "\"heritage=external-dns,external-dns/owner=owner\""),
        ("owner-resource", ["resource": "ingress/default/my-ingress", "owner": "owner"],
         "\"heritage=external-dns,external-dns/owner=owner,external-dns/resource=ingress/default/my-ingress\""),
        ("no-labels", [:], "\"heritage=external-dns\""),
        ("sorted-bytewise", ["b": "2", "B": "1", "a-b": "3", "a": "4"],
         "\"heritage=external-dns,external-dns/B=1,external-dns/a=4,external-dns/a-b=3,external-dns/b=2\""),
        ("nonce-never-serialised", ["owner": "o", "txt-encryption-nonce": "h8UQ6jelUFUsEIn7"],
         "\"heritage=external-dns,external-dns/owner=o\""),
    ] as [(String, [String: String], String)])
    func serializes(id: String, labels: [String: String], expected: String) {
        #expect(TXTLabels.serialize(labels, quoted: true) == expected, "\(id)")
        #expect(TXTLabels.serialize(labels, quoted: false) == String(expected.dropFirst().dropLast()), "\(id)")
    }

    @Test(arguments: [
        ("externaldns-labels-test",
         "heritage=external-dns,,external-dns/owner=bar-owner,external-dns/resource=bar-resource,external-dns/new-key=bar-new-key,random=stuff,no-equal-sign,,",
         ["owner": "bar-owner", "resource": "bar-resource", "new-key": "bar-new-key"]),
        ("quoted", "\"heritage=external-dns,external-dns/owner=owner\"", ["owner": "owner"]),
        ("many-quotes", "\"\"heritage=external-dns,external-dns/owner=owner\"\"", ["owner": "owner"]),
        ("value-with-equals", "heritage=external-dns,external-dns/owner=a=b", ["owner": "a=b"]),
        ("heritage-last", "external-dns/owner=x,heritage=external-dns", ["owner": "x"]),
        ("heritage-only", "\"heritage=external-dns\"", [:]),
        ("prefix-without-slash", "heritage=external-dns,external-dnsfoo=bar", ["external-dnsfoo": "bar"]),
        ("empty-value", "heritage=external-dns,external-dns/owner=", ["owner": ""]),
    ] as [(String, String, [String: String])])
    func parses(id: String, text: String, expected: [String: String]) {
        #expect(TXTLabels.parse(text) == expected, "\(id)")
    }

    @Test(arguments: [
        ("other-heritage", "heritage=mate,external-dns/owner=random-owner"),
        ("other-heritage-then-ours", "heritage=mate,heritage=external-dns,external-dns/owner=random-owner"),
        ("ours-then-other-heritage", "heritage=external-dns,heritage=mate,external-dns/owner=random-owner"),
        ("no-heritage", "external-dns/owner=random-owner"),
        ("spf", "\"v=spf1 include:_spf.example.com ~all\""),
        ("empty", ""),
        ("quotes-only", "\"\""),
        ("heritage-case", "Heritage=external-dns,external-dns/owner=o"),
    ])
    func rejects(id: String, text: String) {
        #expect(TXTLabels.parse(text) == nil, "\(id)")
    }

    @Test func roundTrips() {
        let labels = ["owner": "rke2-cluster", "resource": "service/default/web"]
        #expect(TXTLabels.parse(TXTLabels.serialize(labels, quoted: true)) == labels)
    }
}
