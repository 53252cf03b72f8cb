import DNSReconcileCore
@testable import DNSReconcileRoute53
import DNSReconcileTestSupport
import Foundation
import Testing

/// The bad-input corpus of Route53 answers: odd but valid data (escaped, upper-case and
/// undotted names, split TXT strings, IDNs) and malformed or truncated XML, one body per file
/// under `Fixtures/corpus/route53`, each with a `.expect`, driven by this one table test.
///
/// Each body is the answer to one call of the real client (through a scripted transport, no
/// retries). Valid data must parse to the listed record sets; bad data must fail that call with
/// the expected code, a message naming the operation (and, for XML, the line), and never crash or
/// hang. One failed listing fails only its zone; the pass tests cover that the rest goes on.
///
/// `.expect` lines: `operation: ListResourceRecordSets` (or `ListHostedZones`,
/// `ChangeResourceRecordSets[:status]`), `expect: ok|error`, `code:`, `message:` (a fragment),
/// `record: name|type|set id or -|values joined by " ; "` (alias: `alias <target> ttl none`),
/// `wire: <first record's name as sent back to Route53>`, `zone: id|name|public or private`.
@Suite("bad input corpus: Route53 answers")
struct Route53CorpusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var lines: [String: [String]]
        var testDescription: String { name }
        func value(_ key: String) -> String? { lines[key]?.first }
    }

    static let cases: [Case] = {
        let directory = Fixtures.directory.appendingPathComponent("corpus/route53")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted().map { file in
            let stem = String(file.dropLast(4))
            let text = (try? String(contentsOf: directory.appendingPathComponent(stem + ".expect"), encoding: .utf8)) ?? ""
            var lines: [String: [String]] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = String(line[..<colon])
                let value = String(line[line.index(after: colon)...].dropFirst(line[line.index(after: colon)...].hasPrefix(" ") ? 1 : 0))
                lines[key, default: []].append(value)
            }
            return Case(name: stem, lines: lines)
        }
    }()

    static func body(_ testCase: Case) throws -> [UInt8] {
        try Fixtures.bytes("corpus/route53/\(testCase.name).xml")
    }

    static func describe(_ set: RecordSet) -> String {
        var text = "\(set.name.value)|\(set.type)|\(set.setIdentifier ?? "-")|"
        if let alias = set.alias {
            text += "alias \(alias.dnsName.value) ttl \(set.ttl.map(String.init) ?? "none")"
        } else {
            text += set.values.joined(separator: " ; ")
        }
        return text
    }

    @Test(arguments: cases)
    func answer(_ testCase: Case) throws {
        let zone = HostedZone(id: "ZCORPUS", name: "example.com")
        let operation = testCase.value("operation") ?? ""
        let parts = operation.split(separator: ":")
        let status = parts.count > 1 ? Int(parts[1]) ?? 200 : 200
        let transport = ReplayTransport([.response(HTTPResponse(status: status, body: try Self.body(testCase)))])
        let client = makeTestClient(transport, maxRetries: 0)

        var records: [RecordSet] = []
        var zones: [HostedZone] = []
        var failure: DNSReconcileError?
        do throws(DNSReconcileError) {
            switch parts.first.map(String.init) {
            case "ListResourceRecordSets": records = try client.listRecordSets(in: zone, subtree: nil)
            case "ListHostedZones": zones = try client.listZones()
            case "ChangeResourceRecordSets":
                _ = try client.apply([Change(.create, RecordSet(name: "a.example.com", type: .a, ttl: 60, values: ["192.0.2.1"]))],
                                     in: zone, comment: nil)
            default: Issue.record("\(testCase): unknown operation '\(operation)'")
            }
        } catch {
            failure = error
        }

        if testCase.value("expect") == "ok" {
            #expect(failure == nil, "\(testCase): \(failure.map { "\($0)" } ?? "")")
            if let expected = testCase.lines["record"] {
                #expect(records.map(Self.describe) == expected, "\(testCase)")
            }
            if let wire = testCase.value("wire") {
                #expect(records.first?.name.route53Wire == wire)
            }
            if let expected = testCase.lines["zone"] {
                #expect(zones.map { "\($0.id)|\($0.name.value)|\($0.isPrivate ? "private" : "public")" } == expected)
            }
        } else {
            let failure = try #require(failure, "\(testCase) parsed without an error: \(records) \(zones)")
            #expect(failure.code.rawValue == testCase.value("code"), "\(testCase): \(failure)")
            #expect(failure.message.contains(testCase.value("message") ?? "\u{0}"), "\(testCase): \(failure)")
            // Located: the message names the call, and a parse error its line.
            #expect(failure.message.contains(parts[0]), "\(testCase): \(failure)")
            if failure.message.contains("not well-formed") {
                #expect(failure.message.contains("at line "), "\(testCase): \(failure)")
            }
        }
    }

    @Test func corpusIsLargeEnough() {
        #expect(Self.cases.filter { $0.value("expect") == "ok" }.count >= 15)
        #expect(Self.cases.filter { $0.value("expect") == "error" }.count >= 20)
    }
}
