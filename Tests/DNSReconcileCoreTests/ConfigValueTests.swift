import Testing
@testable import DNSReconcileCore

@Suite struct ConfigValueTests {
    @Test(arguments: [
        ("90", 90.0), ("90s", 90), ("5m", 300), ("1h", 3600), ("1m30s", 90), ("1h30m", 5400), ("1.5h", 5400),
        ("500ms", 0.5), (" 2m ", 120),
    ])
    func parsesDurations(text: String, seconds: Double) {
        #expect(ConfigValue.parseDuration(text) == seconds)
    }

    @Test(arguments: ["", "m", "5 m", "5x", "30s1m", "1m1m", "-5s", "1d", "five"])
    func refusesMalformedDurations(text: String) {
        #expect(ConfigValue.parseDuration(text) == nil)
    }

    @Test(arguments: [
        ("true", true), ("YES", true), ("on", true), ("1", true), ("false", false), ("No", false), ("off", false), ("0", false),
    ])
    func parsesBooleans(text: String, value: Bool) throws {
        #expect(try ConfigValue.text(text).decode(as: .bool) == .bool(value))
    }

    @Test(arguments: [
        ("a, b ,c", ["a", "b", "c"]),
        ("\"a,b\", c", ["a,b", "c"]),
        ("a,,b,", ["a", "b"]),
        ("\"x \\\"y\\\"\"", ["x \"y\""]),
        ("", []),
    ])
    func splitsINILists(text: String, items: [String]) throws {
        #expect(try ConfigValue.text(text).decode(as: .list) == .list(items))
    }

    @Test func quotedStringsKeepCommasAndEscapes() throws {
        #expect(try ConfigValue.text("\"a, b\"").decode(as: .string) == .string("a, b"))
        #expect(try ConfigValue.text("\"c:\\\\x\"").decode(as: .string) == .string("c:\\x"))
        #expect(try ConfigValue.text("plain text").decode(as: .string) == .string("plain text"))
    }

    @Test func jsonValuesByType() throws {
        #expect(try ConfigValue.string("a, b").decode(as: .list) == .list(["a", "b"]))
        #expect(try ConfigValue.list([" a ", "b"]).decode(as: .list) == .list(["a", "b"]))
        #expect(try ConfigValue.number("30").decode(as: .duration(0...100)) == .number(30))
        #expect(try ConfigValue.number("10").decode(as: .choice(["10", "30"])) == .string("10"))
        #expect(throws: ConfigValueProblem.self) { try ConfigValue.bool(true).decode(as: .integer(0...1)) }
        #expect(throws: ConfigValueProblem.self) { try ConfigValue.list(["a"]).decode(as: .string) }
        #expect(throws: ConfigValueProblem.self) { try ConfigValue.number("1.5").decode(as: .integer(0...9)) }
    }

    @Test func sectionAccessorsReportLocatedErrors() throws {
        let location = SourceLocation(file: "f.ini", line: 7)
        let section = ConfigSection(kind: "source", name: "kubernetes", entries: [
            ConfigEntry(key: "namespace", value: .text("web"), location: location),
            ConfigEntry(key: "ignore-hostname-annotation", value: .text("perhaps"), location: location),
            ConfigEntry(key: "context", value: .text(""), location: location),
        ], location: location)
        #expect(try section.string("namespace") == "web")
        #expect(try section.string("context") == nil)
        #expect(try section.string("absent") == nil)
        let error = #expect(throws: DNSReconcileError.self) { try section.bool("ignore-hostname-annotation") }
        #expect(error?.code == .configBadValue)
        #expect(error?.location == location)
        #expect(error?.message == "[source \"kubernetes\"] ignore-hostname-annotation: 'perhaps' is not valid; write true or false (also yes/no, on/off, 1/0)")
    }

    @Test(arguments: [
        ("192.0.2.1", true), ("0.0.0.0", true), ("255.255.255.255", true), ("256.1.1.1", false), ("1.2.3", false),
        ("01.2.3.4", false), ("1.2.3.4.5", false), ("a.b.c.d", false), ("", false),
    ])
    func ipv4Syntax(text: String, valid: Bool) {
        #expect(AddressSyntax.isIPv4(text) == valid)
    }

    @Test(arguments: [
        ("::", true), ("::1", true), ("2001:db8::1", true), ("2001:0db8:0000:0000:0000:0000:0000:0001", true),
        ("::ffff:192.0.2.1", true), ("1:2:3:4:5:6:192.0.2.1", true), ("fe80::1%eth0", false), ("1::2::3", false),
        ("1:2:3:4:5:6:7:8:9", false), ("12345::", false), ("g::1", false), ("1:2:3:4:5:6:7", false), (":::", false),
        ("192.0.2.1", false),
    ])
    func ipv6Syntax(text: String, valid: Bool) {
        #expect(AddressSyntax.isIPv6(text) == valid)
    }

    @Test func suggestionsByEditDistance() {
        #expect(ConfigSuggestion.nearest(to: "onwer-id", in: ["name", "owner-id"]) == "owner-id")
        #expect(ConfigSuggestion.nearest(to: "qqqq", in: ["name", "owner-id"]) == nil)
        #expect(ConfigSuggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
    }
}
