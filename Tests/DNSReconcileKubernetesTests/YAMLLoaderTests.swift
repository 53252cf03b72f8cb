import DNSReconcileCore
@testable import DNSReconcileKubernetes
import Testing

@Suite("YAML loader (libyaml)")
struct YAMLLoaderTests {
    func one(_ text: String) throws -> YAMLValue {
        let documents = try YAMLLoader.load(text, file: "t.yaml")
        try #require(documents.count == 1)
        return documents[0].value
    }

    @Test(arguments: [
        ("a: 1", YAMLValue.int(1)),
        ("a: -0x1F", .int(-31)),
        ("a: 0o17", .int(15)),
        ("a: 1.5", .double(1.5)),
        ("a: 1e3", .double(1000)),
        ("a: .inf", .double(.infinity)),
        ("a: true", .bool(true)),
        ("a: yes", .bool(true)),
        ("a: Off", .bool(false)),
        ("a: ~", .null),
        ("a:", .null),
        ("a: null", .null),
        ("a: '1'", .string("1")),
        ("a: \"true\"", .string("true")),
        ("a: 1.2.3.4", .string("1.2.3.4")),
        ("a: 10m", .string("10m")),
        ("a: !!str 60", .string("60")),
        ("a: ! 60", .string("60")),
        ("a: !!int \"60\"", .int(60)),
        ("a: 99999999999999999999", .double(1e20)),
        ("a: |\n  two\n  lines\n", .string("two\nlines\n")),
        ("a: >-\n  folded\n  text\n", .string("folded text")),
    ])
    func scalarsAreTypedAsKubernetesReadsThem(_ text: String, _ expected: YAMLValue) throws {
        #expect(try one(text)["a"] == expected)
    }

    @Test func jsonIsReadByTheSameLoader() throws {
        let value = try one(#"{"kind":"List","items":[{"a":"x\/y \u00e9 \"q\"","n":-2,"f":0.5,"t":true,"z":null}],"e":{}}"#)
        #expect(value["kind"] == .string("List"))
        guard case .sequence(let items)? = value["items"] else {
            Issue.record("items is not a list: \(value)")
            return
        }
        #expect(items[0]["a"] == .string("x/y é \"q\""))
        #expect(items[0]["n"] == .int(-2))
        #expect(items[0]["f"] == .double(0.5))
        #expect(items[0]["t"] == .bool(true))
        #expect(items[0]["z"] == .null)
        #expect(value["e"] == .mapping([:]))
    }

    @Test func multipleDocumentsWithTheirLines() throws {
        let documents = try YAMLLoader.load("a: 1\n---\nb: 2\n---\n# only a comment\n---\nc: 3\n", file: "m.yaml")
        #expect(documents.map(\.value) == [.mapping(["a": .int(1)]), .mapping(["b": .int(2)]), .null, .mapping(["c": .int(3)])])
        // Each document's content line; an empty document reports where it ends.
        #expect(documents.map(\.line) == [1, 3, 6, 7])
        #expect(try YAMLLoader.load("", file: "e.yaml").isEmpty)
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let value = try one("""
            base: &base {x: 1, y: 2}
            list: &l [a, b]
            copy: *base
            again: *l
            merged:
              <<: *base
              y: 3
            many:
              <<: [*base, {z: 4, x: 9}]
            """)
        #expect(value["copy"] == .mapping(["x": .int(1), "y": .int(2)]))
        #expect(value["again"] == .sequence([.string("a"), .string("b")]))
        #expect(value["merged"] == .mapping(["x": .int(1), "y": .int(3)]))
        #expect(value["many"] == .mapping(["x": .int(1), "y": .int(2), "z": .int(4)]))
    }

    @Test func billionLaughsIsRefused() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [" + Array(repeating: previous, count: 10).joined(separator: ", ") + "]\n"
        }
        let error = #expect(throws: DNSReconcileError.self) { try YAMLLoader.load(text, file: "lol.yaml") }
        #expect(error?.message.contains("more than 1000000 values") == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("a: 1\na: 2\n", "duplicate key 'a'", 2),
        ("a: *nope\n", "refers to no anchor", 1),
        ("? [a, b]\n: 1\n", "complex mapping keys", 1),
        ("a: !custom x\n", "tag !custom is not supported", 1),
        ("a: [1, 2\n", "did not find expected", 2),
        ("a: b: c\n", "mapping values are not allowed", 1),
        ("a: !!int abc\n", "does not fit its tag", 1),
    ])
    func errorsNameTheProblemAndLine(_ text: String, _ fragment: String, _ line: Int) throws {
        let error = #expect(throws: DNSReconcileError.self) { try YAMLLoader.load(text, file: "bad.yaml") }
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        #expect(error?.location?.file == "bad.yaml")
        #expect(error?.location?.line == line, "\(String(describing: error))")
    }

    @Test func invalidUTF8IsAnError() throws {
        let error = #expect(throws: DNSReconcileError.self) { try YAMLLoader.load([0x61, 0x3A, 0x20, 0xFF, 0xFE], file: "b.yaml") }
        #expect(error?.message.contains("UTF-8") == true, "\(String(describing: error))")
    }
}
