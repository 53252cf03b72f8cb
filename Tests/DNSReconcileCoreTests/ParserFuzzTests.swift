import DNSReconcileTestSupport
import Foundation
import Testing
@testable import DNSReconcileCore

/// Seeded random-input runs over the config parsers and the TXT label codec (see `Fuzzer`).
/// Besides not crashing or hanging, every output must be sane: errors located on a real line,
/// labels that survive a round trip.
@Suite("fuzzing: config parsers and TXT labels")
struct ParserFuzzTests {
    static var configSeeds: [[UInt8]] {
        let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("config")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.sorted().compactMap { try? Data(contentsOf: directory.appendingPathComponent($0)) }.map(Array.init)
            + [Array("[endpoint \"a\"]\nname = \"x\\\"y\" ; c\ntargets = 1.2.3.4, 5.6.7.8 # c\n".utf8)]
    }

    @Test func iniAndJSONParsersNeverCrashAndLocateEveryError() {
        var fuzzer = Fuzzer(defaultIterations: 4000, dictionary: ["[cluster]", "[endpoint \"x\"]", "owner-id", " = ", "{", "}",
                                                                   "\"a\":", "[1,", "\\u00e9", "\\ud800"])
        var problems: [String] = []
        let ran = fuzzer.run(seeds: Self.configSeeds) { input, iteration in
            for format in [ConfigFileFormat.ini, .json] {
                let text: String
                switch ConfigFileFormat.decode(file: "fuzz", bytes: input) {
                case .success(let decoded): text = decoded
                case .failure(let error):
                    if error.location == nil { problems.append("\(iteration): undecodable input without a location") }
                    continue
                }
                let lineCount = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.count
                let result = format.parse(file: "fuzz", text: text)
                for error in result.errors {
                    guard let location = error.location, location.file == "fuzz" else {
                        problems.append("\(iteration) \(format): unlocated error \(error)")
                        continue
                    }
                    if let line = location.line, !(1...max(lineCount, 1)).contains(line) {
                        problems.append("\(iteration) \(format): line \(line) outside 1...\(lineCount): \(error)")
                    }
                }
                // Whatever parsed also validates without crashing.
                _ = ClusterConfig.load(file: "fuzz.\(format.rawValue)", text: text)
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(ran == fuzzer.iterations)
    }

    @Test func txtLabelParserNeverCrashesAndRoundTripsWhatItWrites() {
        var fuzzer = Fuzzer(defaultIterations: 20000, dictionary: ["heritage=external-dns", "external-dns/owner=",
                                                                    "external-dns/resource=", "\"", ",", "=", "external-dns"])
        let seeds = [
            "\"heritage=external-dns,external-dns/owner=rke2,external-dns/resource=service/default/web\"",
            "heritage=external-dns,external-dns/owner=a=b",
            "\"v=spf1 include:_spf.example.net -all\"",
            "\"heritage=external-dns,external-dns/owner=x\" \"part2\"",
        ].map { Array($0.utf8) }
        var problems: [String] = []
        fuzzer.run(seeds: seeds) { input, iteration in
            let text = String(decoding: input, as: UTF8.self)
            guard let labels = TXTLabels.parse(text) else { return }
            // What we would write back reads back the same, for labels a value can carry (no
            // `,` anywhere, no `"` at either end of the value, no `=` in a key).
            let clean = labels.allSatisfy { key, value in
                !key.isEmpty && !key.contains(",") && !key.contains("=") && !value.contains(",")
                    && !value.hasPrefix("\"") && !value.hasSuffix("\"") && !key.hasPrefix("\"")
            }
            guard clean else { return }
            let written = TXTLabels.serialize(labels, quoted: true)
            let reread = TXTLabels.parse(written)?.filter { $0.key != TXTLabels.nonceKey }
            if reread != labels.filter({ $0.key != TXTLabels.nonceKey }) {
                problems.append("\(iteration): \(text.debugDescription) -> \(labels) -> \(written) -> \(reread as Any)")
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")

        // Generated labels round-trip exactly.
        var random = Fuzzer(defaultIterations: 0)
        for _ in 0..<2000 {
            var labels: [String: String] = [:]
            for _ in 0..<(1 + random.next(4)) {
                let key = String((0..<(1 + random.next(10))).map { _ in "abcdefghijklmnopqrstuvwxyz-/._".randomElement(using: &random)! })
                let value = String((0..<random.next(20)).map { _ in "abcXYZ019-/._=:@ é".randomElement(using: &random)! })
                labels[key] = value
            }
            #expect(TXTLabels.parse(TXTLabels.serialize(labels, quoted: true)) == labels.filter { $0.key != TXTLabels.nonceKey })
        }
    }

    /// Edge inputs of the label grammar, kept as fixed cases next to the random ones.
    @Test(arguments: ["", "\"", "\"\"", "=", ",=,", "heritage=", "heritage=external-dns,=", "\u{FF}heritage=external-dns"])
    func txtLabelRegressions(_ text: String) {
        _ = TXTLabels.parse(text)
        _ = TXTLabels.stripQuotes(text)
    }
}
