import DNSReconcileCore
import DNSReconcileXML
import Testing

@Suite("XMLReader")
struct XMLReaderTests {
    /// Collects `path=text` for every leaf, to check the walk and the skipping.
    private func leaves(_ xml: String) throws -> [String] {
        var found: [String] = []
        func walk(_ reader: XMLReader, _ path: String) throws(DNSReconcileError) {
            try reader.children { name throws(DNSReconcileError) in
                if name.hasPrefix("Skip") { return }
                if name.hasPrefix("Leaf") {
                    found.append("\(path)/\(name)=\(try reader.text())")
                } else {
                    try walk(reader, path + "/" + name)
                }
            }
        }
        try XMLReader.parse(Array(xml.utf8)) { reader, root throws(DNSReconcileError) in
            try walk(reader, root)
        }
        return found
    }

    @Test func walksByLocalNameIgnoringNamespacesAndSkipsUnread() throws {
        let xml = """
        <?xml version="1.0"?>
        <r:Root xmlns:r="urn:x" xmlns="urn:default"><A><Leaf1>one</Leaf1><Skip><Leaf9>no</Leaf9><Deep><Leaf9/></Deep></Skip>\
        <Leaf2/><r:Leaf3>a &amp; b &lt;c&gt; &quot;d&quot; &#233;</r:Leaf3></A><Leaf4><![CDATA[<raw> & ]]>tail</Leaf4>\
        <Skip2/><Leaf5> spaced </Leaf5></r:Root>
        """
        #expect(try leaves(xml) == [
            "Root/A/Leaf1=one", "Root/A/Leaf2=", "Root/A/Leaf3=a & b <c> \"d\" é", "Root/Leaf4=<raw> & tail",
            "Root/Leaf5= spaced ",
        ])
    }

    @Test func whitespaceOnlyTextIsKeptDespiteNoBlanks() throws {
        let xml = "<R>\n  <V>  </V>\n  <V>\t</V>\n</R>"
        var values: [String] = []
        try XMLReader.parse(Array(xml.utf8)) { reader, _ throws(DNSReconcileError) in
            try reader.children { _ throws(DNSReconcileError) in values.append(try reader.text()) }
        }
        #expect(values == ["  ", "\t"])
    }

    @Test func textJoinsNestedText() throws {
        let value = try XMLReader.parse(Array("<a>x<b>y</b>z</a>".utf8)) { reader, _ throws(DNSReconcileError) in
            try reader.text()
        }
        #expect(value == "xyz")
    }

    @Test(arguments: [
        ("mismatched tag", "<a>\n<b>\n</a>", 3),
        ("truncated", "<a><b>text", 1),
        ("garbage after root", "<a/>\n<b/>", 2),
        ("not XML", "{\"__type\": \"InvalidToken\"}", 1),
        ("undefined entity", "<a>\n&nope;</a>", 2),
    ])
    func malformedXMLIsAnXMLErrorWithTheLine(_ label: String, _ xml: String, _ line: Int) {
        #expect {
            try XMLReader.parse(Array(xml.utf8), documentName: "test body") { reader, _ throws(DNSReconcileError) in
                try reader.children { _ in }
            }
        } throws: { error in
            guard let error = error as? DNSReconcileError else { return false }
            return error.code == .xml && error.message.contains("test body") && error.message.contains("line \(line)")
        }
    }

    @Test func emptyInputIsAnXMLError() {
        #expect(throws: DNSReconcileError(.xml, "")) { try XMLReader([]) }
    }

    @Test func externalEntitiesAreNotLoaded() throws {
        // Without entity substitution the reference stays unexpanded: the file is never read.
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE a [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
        <a>[&secret;]</a>
        """
        let text = try XMLReader.parse(Array(xml.utf8)) { reader, _ throws(DNSReconcileError) in try reader.text() }
        #expect(text == "[]")
    }

    @Test func fixtureMalformedResponseReportsLine() throws {
        let bytes = try Fixtures.bytes("malformed.xml")
        #expect {
            try XMLReader.parse(bytes) { reader, _ throws(DNSReconcileError) in try reader.children { _ in } }
        } throws: { error in
            (error as? DNSReconcileError)?.message.contains("line 4") == true
        }
    }
}

@Suite("XMLWriter")
struct XMLWriterTests {
    @Test func escapesTextAndAttributes() {
        #expect(XMLWriter.escape("plain") == "plain")
        #expect(XMLWriter.escape("a & b <c> \"d\" 'e'") == "a &amp; b &lt;c&gt; &quot;d&quot; 'e'")
        #expect(XMLWriter.escape("cr\rlf\ntab\t\u{1}") == "cr&#13;lf\ntab\t&#1;")
        #expect(XMLWriter.escape("café ✓") == "café ✓")
    }

    @Test func writesNestedElementsInCallOrder() {
        var xml = XMLWriter()
        xml.element("Root", namespace: "urn:a&b") { xml in
            xml.element("B", "2")
            xml.element("A", ifPresent: nil)
            xml.element("A", ifPresent: "<1>")
            xml.start("Open")
            xml.end()
        }
        #expect(xml.text == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<Root xmlns=\"urn:a&amp;b\"><B>2</B><A>&lt;1&gt;</A><Open></Open></Root>")
        #expect(XMLWriter(declaration: false).text.isEmpty)
    }

    @Test func writtenTextReadsBack() throws {
        let value = "\"a & b <c>\" \"x\\\"y\" é \n"
        var xml = XMLWriter()
        xml.element("V", value)
        let back = try XMLReader.parse(xml.bytes) { reader, _ throws(DNSReconcileError) in try reader.text() }
        #expect(back == value)
    }
}
