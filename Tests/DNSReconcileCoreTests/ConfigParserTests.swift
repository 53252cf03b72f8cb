import Foundation
import Testing
@testable import DNSReconcileCore

/// Helpers shared by the Config*Tests suites.
enum ConfigFixtures {
    static func text(_ name: String) throws -> String {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try String(contentsOf: directory.appendingPathComponent("config/\(name)"), encoding: .utf8)
    }

    /// A cluster from INI text, or the test fails with its errors.
    static func cluster(_ text: String, file: String = "c.ini", main: MainConfig = MainConfig()) throws -> ClusterConfig {
        switch ClusterConfig.load(file: file, text: text, main: main) {
        case .success(let cluster): return cluster
        case .failure(let failure):
            Issue.record("unexpected errors:\n\(failure)")
            throw failure
        }
    }

    /// The errors of a cluster file (empty when it is valid).
    static func errors(_ text: String, file: String = "c.ini", main: MainConfig = MainConfig()) -> [DNSReconcileError] {
        if case .failure(let failure) = ClusterConfig.load(file: file, text: text, main: main) { return failure.errors }
        return []
    }

    static let owner = "[cluster]\nowner-id = test\n"
}

@Suite struct ConfigINIParserTests {
    @Test func readsSectionsKeysAndComments() throws {
        let text = """
        # comment
        ; another comment
        [cluster]
        owner-id = a   ; inline comment
        [source "kubernetes"]
        kubeconfig = /k.yaml # hash comment
          namespace=default
        [endpoint "a \\"b\\""]
        """
        let (sections, errors) = INIParser.parse(file: "f.ini", text: text)
        #expect(errors.isEmpty)
        #expect(sections.map(\.kind) == ["cluster", "source", "endpoint"])
        #expect(sections.map(\.name) == [nil, "kubernetes", "a \"b\""])
        #expect(sections[0].entries == [ConfigEntry(key: "owner-id", value: .text("a"), location: SourceLocation(file: "f.ini", line: 4))])
        #expect(sections[1].entries.map(\.key) == ["kubeconfig", "namespace"])
        #expect(sections[1].entries.map(\.value) == [.text("/k.yaml"), .text("default")])
        #expect(sections[1].entries[1].location.line == 7)
        #expect(sections[1].location == SourceLocation(file: "f.ini", line: 5))
    }

    @Test(arguments: [
        ("plain", "a", "a"),
        ("comment after quotes", "\"a ; b\" ; c", "\"a ; b\""),
        ("no space before sign", "http://x/#frag;x", "http://x/#frag;x"),
        ("comment right after =", "; nothing", ""),
        ("empty", "", ""),
        ("hash comment", "v # c", "v"),
        ("escaped quote", "\"a\\\"b\" # c", "\"a\\\"b\""),
    ])
    func stripsInlineComments(id: String, raw: String, expected: String) throws {
        let (sections, errors) = INIParser.parse(file: "f.ini", text: "[cluster]\nk = \(raw)\n")
        #expect(errors.isEmpty, "\(id)")
        #expect(sections.first?.entries.first?.value == .text(expected), "\(id)")
    }

    @Test func handlesCRLFAndBlankLines() {
        let (sections, errors) = INIParser.parse(file: "f.ini", text: "[cluster]\r\n\r\nowner-id = x\r\n")
        #expect(errors.isEmpty)
        #expect(sections.first?.entries.first?.value == .text("x"))
        #expect(sections.first?.entries.first?.location.line == 3)
    }

    @Test(arguments: [
        ("not key value", "[cluster]\njust words\n", 2, "is neither key = value"),
        ("bad header", "[cluster\n", 1, "is not a section header"),
        ("header trailing text", "[cluster] x\n", 1, "is not a section header"),
        ("empty name", "[source \"\"]\n", 1, "is not a section header"),
        ("key outside section", "owner-id = x\n", 1, "outside any section; put it under a header"),
        ("unterminated quote", "[cluster]\nowner-id = \"abc\n", 2, "double quote is not closed"),
        ("bad escape", "[cluster]\nowner-id = \"a\\nb\"\n", 2, "is not an escape"),
        ("bad key", "[cluster]\nowner id = x\n", 2, "is not a valid key"),
    ])
    func reportsSyntaxErrors(id: String, text: String, line: Int, message: String) {
        let (_, errors) = INIParser.parse(file: "f.ini", text: text)
        #expect(errors.count == 1, "\(id)")
        #expect(errors.first?.code == .configSyntax, "\(id)")
        #expect(errors.first?.location == SourceLocation(file: "f.ini", line: line), "\(id)")
        #expect(errors.first?.message.contains(message) == true, "\(id): \(errors.first?.message ?? "")")
    }

    @Test func reportsDuplicateKeysAndSections() {
        let text = "[cluster]\nowner-id = a\nowner-id = b\n[registry]\ntype = txt\n[cluster]\nname = x\n"
        let (sections, errors) = INIParser.parse(file: "f.ini", text: text)
        #expect(errors.map(\.code) == [.configDuplicateKey, .configDuplicateKey])
        #expect(errors[0].location?.line == 3)
        #expect(errors[0].message == "[cluster] owner-id is already set at line 2; keep only one")
        #expect(errors[1].location?.line == 6)
        #expect(errors[1].message == "section [cluster] is already defined at line 1; merge the two into one section")
        // The first value is kept; the repeated section's keys are dropped with its one error.
        #expect(sections.count == 2)
        #expect(sections[0].entries.map(\.value) == [.text("a")])
    }

    @Test func collectsEveryErrorOfAFile() {
        let (_, errors) = INIParser.parse(file: "f.ini", text: "x\n[cluster]\ny\nowner-id = \"\n")
        #expect(errors.map { $0.location?.line } == [1, 3, 4])
    }
}

@Suite struct ConfigJSONParserTests {
    @Test func mirrorsINISections() throws {
        let text = """
        {"cluster": {"owner-id": "a"},
         "source": {"kubernetes": {"resources": ["service", "ingress"], "ignore-hostname-annotation": true}},
         "endpoint": {"app.example.com": {"ttl": 60, "targets": "1.2.3.4"}},
         "registry": {"txt-prefix": null}}
        """
        let (sections, errors) = JSONConfigParser.parse(file: "f.json", text: text)
        #expect(errors.isEmpty)
        #expect(sections.map(\.header) == ["[cluster]", "[source \"kubernetes\"]", "[endpoint \"app.example.com\"]", "[registry]"])
        #expect(sections[1].entries.map(\.value) == [.list(["service", "ingress"]), .bool(true)])
        #expect(sections[2].entries[0] == ConfigEntry(
            key: "ttl", value: .number("60"),
            location: SourceLocation(file: "f.json", line: 3, path: "endpoint[\"app.example.com\"].ttl")))
        #expect(sections[3].entries[0].value == .null)
        #expect(sections[1].entries[0].location.path == "source.kubernetes.resources")
    }

    @Test func reportsDuplicateKeysWithTheirPath() {
        let text = "{\n \"cluster\": {\"owner-id\": \"a\",\n  \"owner-id\": \"b\"},\n \"cluster\": {}\n}"
        let (sections, errors) = JSONConfigParser.parse(file: "f.json", text: text)
        #expect(errors.map(\.code) == [.configDuplicateKey, .configDuplicateKey])
        #expect(errors[0].location == SourceLocation(file: "f.json", line: 3, path: "cluster.owner-id"))
        #expect(errors[0].message == "\"owner-id\" is already set at line 2; keep only one")
        #expect(errors[1].location == SourceLocation(file: "f.json", line: 4, path: "cluster"))
        #expect(sections.first?.entries.map(\.value) == [.string("a")])
    }

    @Test(arguments: [
        ("trailing comma", "{\"cluster\": {\"a\": 1,}}", 1, "comma before '}'"),
        ("single quotes", "{'cluster': {}}", 1, "expected a key in double quotes"),
        ("comment", "{\n// no\n}", 2, "expected a key"),
        ("unclosed", "{\"cluster\": {\"a\": \"b}}", 1, "not closed"),
        ("leading zero", "{\"run\": {\"deadline\": 01}}", 1, "leading zeros"),
        ("bare word", "{\"run\": {\"deadline\": five}}", 1, "expected a value"),
        ("two documents", "{} {}", 1, "after the end"),
        ("not an object", "[1]", 1, "top level must be an object"),
        ("empty", "", 1, "unexpected end"),
        ("bad escape", "{\"a\\q\": 1}", 1, "is not a JSON escape"),
    ])
    func reportsSyntaxErrors(id: String, text: String, line: Int, message: String) {
        let (_, errors) = JSONConfigParser.parse(file: "f.json", text: text)
        #expect(errors.count == 1, "\(id)")
        #expect(errors.first?.code == .configSyntax, "\(id)")
        #expect(errors.first?.location?.line == line, "\(id)")
        #expect(errors.first?.message.contains(message) == true, "\(id): \(errors.first?.message ?? "")")
    }

    @Test func decodesStringEscapes() {
        let (sections, errors) = JSONConfigParser.parse(
            file: "f.json", text: #"{"cluster": {"name": "a\"b\\c\u00e9\ud83d\ude00\/"}}"#)
        #expect(errors.isEmpty)
        #expect(sections.first?.entries.first?.value == .string("a\"b\\c\u{e9}\u{1F600}/"))
    }

    @Test func refusesObjectsAndNestedListsAsValues() {
        let text = "{\"registry\": {\"type\": {\"x\": 1}, \"managed-record-types\": [[\"A\"]]}}"
        let (_, errors) = JSONConfigParser.parse(file: "f.json", text: text)
        #expect(errors.map(\.code) == [.configBadValue, .configBadValue])
        #expect(errors.map { $0.location?.path } == ["registry.type", "registry.managed-record-types"])
    }

    @Test func namedKindsNeedAnObjectOfSections() {
        let (_, errors) = JSONConfigParser.parse(file: "f.json", text: "{\"source\": {\"kubernetes\": 1}}")
        #expect(errors.first?.code == .configSyntax)
        #expect(errors.first?.location?.path == "source.kubernetes")
    }

    @Test func sameClusterFromINIAndJSON() throws {
        var ini = try ConfigFixtures.cluster(try ConfigFixtures.text("rke2-hk.ini"), file: "rke2-hk.ini")
        var json = try ConfigFixtures.cluster(try ConfigFixtures.text("rke2-hk.json"), file: "rke2-hk.json")
        #expect(ini.name == "rke2-hk" && json.name == "rke2-hk")
        // Locations differ by nature (line vs key path); everything else must be equal.
        for index in ini.endpoints.indices { ini.endpoints[index].origin = nil }
        for index in json.endpoints.indices { json.endpoints[index].origin = nil }
        ini.file = json.file
        ini.sources = []
        json.sources = []
        #expect(ini == json)
    }
}
