import DNSReconcileCore
@testable import DNSReconcileRoute53
import DNSReconcileTestSupport
import Foundation
import Testing

/// Seeded random-input runs over the Route53 answer parsers (see `Fuzzer`): every mutated body
/// parses or fails with an `.xml` error, never anything else, and never crashes or hangs.
@Suite("fuzzing: Route53 XML answers")
struct ResponseParserFuzzTests {
    static var seeds: [[UInt8]] {
        let names = ["list-rrsets-routing.xml", "list-hosted-zones-page1.xml", "list-hosted-zones-page2.xml",
                     "change-rrsets-response.xml", "get-change.xml", "list-tags.xml", "error-throttling.xml",
                     "invalid-change-batch.xml", "error-iam-shape.xml"]
        return names.compactMap { try? Fixtures.bytes($0) }
    }

    @Test func everyParserFailsOnlyWithXMLErrors() {
        var fuzzer = Fuzzer(defaultIterations: 3000, dictionary: [
            "<ResourceRecordSet>", "</ResourceRecordSet>", "<Name>", "</Name>", "<TTL>", "<![CDATA[", "]]>", "&amp;", "&#0;",
            "&#xD800;", "<!DOCTYPE x [<!ENTITY e \"&e;\">]>", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "\\052",
            "<IsTruncated>true</IsTruncated>", "xmlns=\"urn:x\"",
        ])
        var problems: [String] = []
        let ran = fuzzer.run(seeds: Self.seeds) { input, iteration in
            func check(_ what: String, _ parse: () throws(DNSReconcileError) -> Void) {
                do throws(DNSReconcileError) {
                    try parse()
                } catch {
                    if error.code != .xml {
                        problems.append("\(iteration) \(what): \(error.code) \(error)")
                    }
                }
            }
            check("records") { () throws(DNSReconcileError) in _ = try Route53ResponseParser.recordSetsPage(input) }
            check("zones") { () throws(DNSReconcileError) in _ = try Route53ResponseParser.hostedZonesPage(input) }
            check("change") { () throws(DNSReconcileError) in
                _ = try Route53ResponseParser.changeInfo(input, operation: "ChangeResourceRecordSets")
            }
            check("tags") { () throws(DNSReconcileError) in _ = try Route53ResponseParser.resourceTags(input) }
            // The error parser never fails; it must still give a bounded label and a message.
            let answer = Route53ErrorResponse(status: 400, body: input)
            if answer.metricCode.isEmpty { problems.append("\(iteration): empty error code") }
            _ = answer.error("fuzz")
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(ran == fuzzer.iterations)
    }

    /// Found by a libFuzzer run by hand: a body declaring an encoding its bytes do not hold made
    /// libxml2 print "encoding error" lines on stderr (around its structured handler), which would
    /// break the one-line-per-event log. It must fail quietly, with an `.xml` error.
    @Test func undecodableDeclaredEncodingFailsWithoutWritingToStderr() throws {
        let body = Array("<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?>\n<ListResourceRecordSetsResponse>".utf8)
            + [0x85, 0x6F, 0x75, 0x72, 0xFF, 0xFE] + Array("</ListResourceRecordSetsResponse>".utf8)
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: capture, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let saved = dup(2)
        let file = open(capture, O_WRONLY)
        dup2(file, 2)
        var code: DNSReconcileError.Code?
        do throws(DNSReconcileError) {
            _ = try Route53ResponseParser.recordSetsPage(body)
        } catch {
            code = error.code
        }
        _ = Route53ErrorResponse(status: 400, body: body)
        dup2(saved, 2)
        close(file)
        close(saved)
        #expect(code == .xml)
        // Other tests run meanwhile and may write to the same stderr: look for libxml2's lines,
        // not for an empty file.
        let captured = try String(contentsOfFile: capture, encoding: .utf8)
        for line in ["encoding error", "input conversion failed", "parser error"] {
            #expect(!captured.contains(line), "libxml2 wrote to stderr: \(captured.prefix(300))")
        }
    }
}
