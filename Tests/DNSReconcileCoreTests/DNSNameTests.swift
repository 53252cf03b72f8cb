import Testing
import DNSReconcileCore

@Suite struct DNSNameTests {
    @Test(arguments: [
        ("\\052.example.com.", "*.example.com"),
        ("WWW.Example.COM.", "www.example.com"),
        ("www.example.com", "www.example.com"),
        ("caf\\303\\251.example.com.", "caf\u{00E9}.example.com"),
        ("a\\.b.example.com", "a.b.example.com"),
    ])
    func canonicalForm(raw: String, expected: String) {
        #expect(DNSName(raw).value == DNSName(expected).value)
    }

    @Test func decodesOctalEscapes() {
        #expect(DNSName("\\052.example.com.").value == "*.example.com")
        #expect(DNSName("\\100home.example.com.").value == "@home.example.com")
    }

    @Test func wireFormKeepsWildcardRawAndEscapesSpaces() {
        #expect(DNSName("*.example.com").route53Wire == "*.example.com.")
        #expect(DNSName("a b.example.com").route53Wire == "a\\040b.example.com.")
    }

    @Test func listingOrderReversesLabels() {
        let names: [DNSName] = ["b.example.com", "a.example.com", "example.com", "a.b.example.com"]
        #expect(names.sorted().map(\.value) == ["example.com", "a.example.com", "b.example.com", "a.b.example.com"])
    }

    @Test func containment() {
        #expect(DNSName("www.example.com").isWithin("example.com"))
        #expect(DNSName("example.com").isWithin("example.com"))
        #expect(!DNSName("badexample.com").isWithin("example.com"))
    }
}
