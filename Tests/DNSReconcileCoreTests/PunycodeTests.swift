import DNSReconcileCore
import Testing

@Suite struct PunycodeTests {
    /// RFC 3492 §7.1 samples and well-known IDNs.
    @Test(arguments: [
        ("bücher", "bcher-kva"),
        ("münchen", "mnchen-3ya"),
        ("例え", "r8jz45g"),
        ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
        ("pročprostěnemluvíčesky", "proprostnemluvesky-uyb24dma41a"),
        ("3年b組金八先生", "3b-ww4c5e180e575a65lsy2b"),
    ])
    func encodesLabels(_ label: String, _ encoded: String) {
        #expect(Punycode.encode(label) == encoded)
    }

    @Test func encodesOnlyTheNonASCIILabelsOfAName() {
        #expect(Punycode.asciiName("Bücher.Example.com") == "xn--bcher-kva.example.com")
        #expect(Punycode.asciiName("app.example.com") == nil)
    }
}
