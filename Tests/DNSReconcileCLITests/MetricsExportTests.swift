import DNSReconcileCore
import Foundation
import Testing
@testable import DNSReconcileCore

/// The metrics file of real passes (one cluster reconciled, one failing) read by a real
/// node_exporter (textfile collector only, loopback) and by promtool: every series the file
/// holds must come out of the exporter unchanged, with `node_textfile_scrape_error 0`.
@Suite("metrics file through node_exporter")
struct MetricsExportTests {
    /// `name{labels} value` sample lines of a text exposition, comments dropped, labels sorted
    /// (node_exporter re-orders them).
    static func samples(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            result[normalized(String(line[..<space]))] = String(line[line.index(after: space)...])
        }
        return result
    }

    /// `name{b="2",a="1"}` as `name{a="1",b="2"}`; label values here never hold `,` or `}`.
    static func normalized(_ series: String) -> String {
        guard let open = series.firstIndex(of: "{"), series.hasSuffix("}") else { return series }
        let labels = series[series.index(after: open)..<series.index(before: series.endIndex)]
            .split(separator: ",").map(String.init).sorted()
        return series[..<open] + "{" + labels.joined(separator: ",") + "}"
    }

    @Test func everySeriesOfThePassIsExportedUnchanged() throws {
        let workspace = try Workspace("export")
        try workspace.writeCluster("rke2-hk", endpoints: [("hk", "hk", "targets = 203.0.113.10")])
        try workspace.writeCluster("k3s-sg", endpoints: [("sg", "sg", "targets = 198.51.100.20")])
        #expect(try workspace.run(["run"]).status == 0)
        // k3s-sg loses its endpoint and rke2-hk gets a new name: both fresh and kept series.
        try workspace.writeCluster("rke2-hk", endpoints: [("hk", "hk", "targets = 203.0.113.10"),
                                                          ("hk2", "hk2", "targets = 203.0.113.11")])
        try workspace.writeCluster("k3s-sg", endpoints: [("sg", "sg", "targets = 198.51.100.20")],
                                   extra: "\n[aws]\nendpoint-url = http://127.0.0.1:\(ExternalTools.freePort())\nmax-retries = 1")
        let result = try workspace.run(["run"])
        #expect(result.status == 1, "k3s-sg cannot reach its endpoint: \(result)")
        let text = workspace.metrics()

        // Every family of CONTRACT §6 is in the file, with HELP and TYPE, and no sample carries
        // a timestamp (node_exporter rejects the whole file for one; promtool does not).
        for family in MetricsRenderer.perCluster + MetricsRenderer.processWide {
            #expect(text.contains("# HELP \(family.name) "), "\(family.name) has no HELP")
            #expect(text.contains("# TYPE \(family.name) gauge"), "\(family.name) has no TYPE")
        }
        for family in MetricsRenderer.perCluster {
            for cluster in ["rke2-hk", "k3s-sg"] {
                #expect(text.contains("\(family.name){cluster=\"\(cluster)\""), "\(family.name) of \(cluster) missing")
            }
        }
        #expect(text.contains("dnsreconcile_api_retries{"), "the failing endpoint was retried")
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let afterLabels = line.lastIndex(of: "}").map { line[$0...] } ?? line
            #expect(afterLabels.split(separator: " ").count == 2, "sample with a timestamp or junk: \(line)")
        }

        let promtool = try #require(ExternalTools.which("promtool"), "promtool is missing: apt-get install prometheus")
        let (status, lint) = try ExternalTools.run(promtool, ["check", "metrics"], input: text)
        #expect(status == 0 && lint.isEmpty, "promtool check metrics: \(lint)")

        let page = try ExternalTools.scrapeNodeExporter(textfileDirectory: workspace.metricsDir)
        let body = page.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        let exported = Self.samples(body)
        #expect(exported["node_textfile_scrape_error"] == "0")
        #expect(exported["node_textfile_mtime_seconds{file=\"\(workspace.metricsFile)\"}"] != nil
                    || exported.keys.contains { $0.hasPrefix("node_textfile_mtime_seconds{file=") && $0.contains("dnsreconcile.prom") },
                "\(exported.keys.filter { $0.hasPrefix("node_textfile") })")
        let written = Self.samples(text)
        #expect(written.count >= 30)
        for (series, value) in written {
            #expect(exported[series].map { Double($0) } == Double(value), "\(series) \(value) -> \(exported[series] ?? "absent")")
        }
    }
}
