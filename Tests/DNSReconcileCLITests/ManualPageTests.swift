import DNSReconcileCore
import Foundation
import Testing
@testable import DNSReconcileCLI
@testable import DNSReconcileCore

/// The manual pages against the code: every subcommand and option of the argument-parser
/// tree, every section and key of `ConfigSchema` (with its default), every annotation and every
/// metric must be documented. A failure lists what is missing and where to add it.
@Suite struct ManualPageTests {
    /// The repository's `man/` directory (the pages are read from the checkout, like the sources).
    static let manDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("man").path

    static func page(_ name: String) throws -> ManualPage {
        try ManualPage(path: manDirectory + "/" + name)
    }

    /// A subcommand's own page, `man/dnsreconcile-NAME.8`, when there is one.
    static func ownPage(of subcommand: String) -> ManualPage? {
        try? ManualPage(path: manDirectory + "/dnsreconcile-\(subcommand).8")
    }

    /// Subcommands and their long options, from argument-parser's own description of the tree.
    static func commandTree() throws -> [(name: String, options: [String])] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(DNSReconcileCommand._dumpHelp().utf8))
            as? [String: Any])
        let root = try #require(json["command"] as? [String: Any])
        func options(_ command: [String: Any]) -> [String] {
            var names: [String] = []
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                guard argument["shouldDisplay"] as? Bool ?? true else { continue }
                for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                    if let text = name["name"] as? String, text != "help", !names.contains(text) { names.append(text) }
                }
            }
            return names
        }
        var result = [(name: "", options: options(root))]
        for sub in root["subcommands"] as? [[String: Any]] ?? [] {
            guard let name = sub["commandName"] as? String, name != "help" else { continue }
            result.append((name, options(sub)))
        }
        return result
    }

    @Test func everySubcommandAndOptionIsDocumented() throws {
        let main = try Self.page("dnsreconcile.8")
        var missing: [String] = []
        for (name, options) in try Self.commandTree() {
            let own = name.isEmpty ? nil : Self.ownPage(of: name)
            let page = own ?? main
            if !name.isEmpty && own == nil && !main.documentsCommand(name) {
                missing.append("subcommand `\(name)`: add `.It Cm \(name)` with a description under COMMANDS in man/dnsreconcile.8 "
                                   + "(or write man/dnsreconcile-\(name).8)")
            }
            if !name.isEmpty && own != nil && !main.section("SEE ALSO").contains("dnsreconcile-\(name) 8") {
                missing.append("subcommand `\(name)` has man/dnsreconcile-\(name).8: add `.Xr dnsreconcile-\(name) 8` to SEE ALSO "
                                   + "in man/dnsreconcile.8")
            }
            for option in options where !page.documentsOption(option) {
                missing.append("option --\(option) of `dnsreconcile\(name.isEmpty ? "" : " " + name)`: add "
                                   + "`.It Fl \\-\(option)` with a description under OPTIONS in man/\(page.name)")
            }
        }
        #expect(missing.isEmpty, "The manual is behind the command line:\n\(missing.joined(separator: "\n"))")
    }

    @Test func everyConfigSectionKeyAndDefaultIsDocumented() throws {
        let page = try Self.page("dnsreconcile.conf.5")
        var missing: [String] = []
        for section in ConfigSchema.sections {
            guard let documented = page.configSections[section.header] else {
                missing.append("section \(section.header): add `.Ss \(ManualPage.escaped(section.header))` with its keys "
                                   + "to man/dnsreconcile.conf.5")
                continue
            }
            for key in section.keys {
                guard let entry = documented[key.name] else {
                    missing.append("key \(key.name) of \(section.header): add `.It Cm \(key.name)` (\(key.summary)) "
                                       + "under `.Ss \(ManualPage.escaped(section.header))` in man/dnsreconcile.conf.5")
                    continue
                }
                if let value = key.defaultValue, !entry.contains("Default: \(value)") {
                    missing.append("key \(key.name) of \(section.header): its entry must say `Default:` followed by "
                                       + "`.Ql \(value)` (ConfigSchema's default)")
                }
            }
        }
        #expect(missing.isEmpty, "The manual is behind ConfigSchema:\n\(missing.joined(separator: "\n"))")
    }

    /// CONTRACT §4: ExternalDNS's suffixes under both prefixes, our own `dnsreconcile.io/` keys.
    static let annotationSuffixes = ["hostname", "target", "ttl", "set-identifier", "access", "alias", "controller",
                                     "internal-hostname", "ingress-hostname-source"]

    @Test func everyAnnotationIsDocumented() throws {
        let page = try Self.page("dnsreconcile.conf.5")
        let endpointKeys = try #require(ConfigSchema.section(kind: "endpoint", name: nil)).keys.map(\.name)
        var expected = Self.annotationSuffixes.map { "external-dns.alpha.kubernetes.io/" + $0 }
        expected += endpointKeys.filter { $0.hasPrefix("aws-") }.map { "external-dns.alpha.kubernetes.io/" + $0 }
        expected += endpointKeys.filter { $0.hasPrefix("health-check") }.map { "dnsreconcile.io/" + $0 }
        // The page lists suffixes in a table under each prefix; an annotation is documented when
        // its suffix appears as a literal of the ANNOTATIONS section and its prefix is named there.
        let section = page.section("ANNOTATIONS")
        var missing: [String] = []
        for annotation in expected {
            let prefix = String(annotation[...annotation.lastIndex(of: "/")!])
            let suffix = String(annotation[annotation.index(after: annotation.lastIndex(of: "/")!)...])
            if !section.contains(prefix) || !section.containsWord(suffix) {
                missing.append("\(annotation): add `.It Cm \(suffix)` to ANNOTATIONS in man/dnsreconcile.conf.5")
            }
        }
        #expect(missing.isEmpty, "Annotations missing from the manual:\n\(missing.joined(separator: "\n"))")
    }

    @Test func everyMetricIsDocumented() throws {
        let page = try Self.page("dnsreconcile.conf.5")
        let section = page.section("METRICS")
        let names = (MetricsRenderer.perCluster + MetricsRenderer.processWide).map(\.name)
        #expect(names.count >= 14)
        let missing = names.filter { !section.containsWord($0) }
        #expect(missing.isEmpty, "Metrics missing from METRICS in man/dnsreconcile.conf.5 (add `.It Va NAME`):\n\(missing.joined(separator: "\n"))")
    }

    @Test func exitStatusesAreDocumented() throws {
        let section = try Self.page("dnsreconcile.8").section("EXIT STATUS")
        for status in ["0", "1", "2", "64", "75"] {
            #expect(section.contains(".It \(status)") || section.contains(".It Li \(status)"),
                    "exit status \(status) missing from EXIT STATUS in man/dnsreconcile.8")
        }
    }

    /// The checker itself: a page without an option or key must be reported.
    @Test func checkerReportsWhatIsMissing() {
        let page = ManualPage(name: "x.5", source: """
            .Sh OPTIONS
            .Bl -tag -width Ds
            .It Fl \\-config Ar file
            .El
            .Sh SECTIONS
            .Ss [source \\(dqkubernetes\\(dq]
            .Bl -tag -width Ds
            .It Cm resources
            Kinds.
            Default:
            .Ql service, ingress .
            .It Cm namespace
            .El
            """)
        #expect(page.documentsOption("config"))
        #expect(!page.documentsOption("config-dir"))
        #expect(!page.documentsOption("conf"))
        let section = page.configSections["[source \"kubernetes\"]"]
        #expect(section?["resources"]?.contains("Default: service, ingress") == true)
        #expect(section?["namespace"] != nil)
        #expect(section?["label-selector"] == nil)
    }
}

/// An mdoc(7) page read as source, with the few queries the tests need.
struct ManualPage: Equatable {
    let name: String
    let text: String
    let lines: [String]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        self.init(name: URL(fileURLWithPath: path).lastPathComponent, source: text)
    }

    init(name: String, source: String) {
        self.name = name
        self.text = source
        self.lines = source.components(separatedBy: "\n")
    }

    /// roff escapes as plain text: `\-` and `\(dq` and `\&` and `\e`.
    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\(dq", with: "\"")
            .replacingOccurrences(of: "\\&", with: "").replacingOccurrences(of: "\\e", with: "\\")
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "\\(dq")
    }

    /// A source line as words: macro names (a leading `.Xx`, `Ns`, `Ar`, `Ql`, …) dropped.
    static func words(_ line: String) -> String {
        let macros: Set<String> = ["Ns", "Ar", "Cm", "Ql", "Dq", "Sq", "Sy", "Li", "Pa", "Ev", "Fl", "No", "Pf", "Va",
                                   "Em", "Ic", "Op", "Xo", "Xc", "Nm", "Xr", "Dv", "Brq", "Bq", "Aq", "Qq", "Oo", "Oc"]
        var tokens = plain(line).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if let first = tokens.first, first.hasPrefix(".") { tokens.removeFirst() }
        return tokens.filter { !macros.contains($0) }.joined(separator: " ")
    }

    /// The source between `.Sh TITLE` and the next `.Sh`.
    func section(_ title: String) -> String {
        var collecting = false
        var result: [String] = []
        for line in lines {
            if line.hasPrefix(".Sh ") {
                collecting = Self.plain(String(line.dropFirst(4))).trimmingCharacters(in: .whitespaces) == title
                continue
            }
            if collecting { result.append(Self.plain(line)) }
        }
        return result.joined(separator: "\n")
    }

    /// `.It Fl \-NAME` (with or without arguments after it), or `--NAME` in an `.It` of a
    /// man(7) page.
    func documentsOption(_ option: String) -> Bool {
        lines.contains { line in
            let tokens = Self.plain(line).split(separator: " ").map(String.init)
            guard tokens.first == ".It" else { return false }
            for (index, token) in tokens.enumerated() where token == "Fl" && index + 1 < tokens.count {
                if tokens[index + 1] == "-\(option)" { return true }
            }
            return tokens.contains("--\(option)")
        }
    }

    /// `.It Cm NAME` anywhere (COMMANDS lists them).
    func documentsCommand(_ name: String) -> Bool {
        lines.contains { Self.plain($0).split(separator: " ").prefix(3).map(String.init) == [".It", "Cm", name] }
    }

    /// `.Ss [header]` sections and, in each, `.It Cm key` entries with their text as words.
    var configSections: [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        var header: String?
        var key: String?
        for line in lines {
            if line.hasPrefix(".Sh ") || line.hasPrefix(".Ss ") {
                header = line.hasPrefix(".Ss ") ? Self.plain(String(line.dropFirst(4))).trimmingCharacters(in: .whitespaces) : nil
                key = nil
                if let header, result[header] == nil { result[header] = [:] }
                continue
            }
            guard let current = header else { continue }
            let tokens = Self.plain(line).split(separator: " ").map(String.init)
            if tokens.count >= 3, tokens[0] == ".It", tokens[1] == "Cm" {
                key = tokens[2]
                result[current]![tokens[2]] = ""
                continue
            }
            if line.hasPrefix(".El") { key = nil; continue }
            if let key {
                let words = Self.words(line)
                if !words.isEmpty { result[current]![key]! += (result[current]![key]!.isEmpty ? "" : " ") + words }
            }
        }
        return result
    }
}

extension String {
    /// True when `word` occurs delimited by non-name characters (so `dnsreconcile_conflicts`
    /// is not found inside `dnsreconcile_conflicts_total`).
    func containsWord(_ word: String) -> Bool {
        var searchRange = startIndex..<endIndex
        while let found = range(of: word, range: searchRange) {
            let before = found.lowerBound == startIndex ? nil : self[index(before: found.lowerBound)]
            let after = found.upperBound == endIndex ? nil : self[found.upperBound]
            let isName: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } ?? false }
            if !isName(before) && !isName(after) { return true }
            searchRange = found.upperBound..<endIndex
        }
        return false
    }
}
