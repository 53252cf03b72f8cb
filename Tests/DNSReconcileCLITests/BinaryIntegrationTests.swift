import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built binary against the Route53 emulator: what a timer on an edge host would see.
@Suite("dnsreconcile binary against moto")
struct BinaryIntegrationTests {
    static let latencyHK = "targets = 203.0.113.10, 203.0.113.11\nttl = 60\nset-identifier = hk\naws-region = ap-east-1"
    static let latencySG = "targets = 198.51.100.20\nttl = 60\nset-identifier = sg\naws-region = ap-southeast-1"

    /// The seed's two clusters, in the workspace's zone.
    func writeTwoClusters(_ workspace: Workspace) throws {
        try workspace.writeCluster("rke2-hk", endpoints: [("app-hk", "app", Self.latencyHK), ("hk", "hk", "targets = 203.0.113.10")])
        try workspace.writeCluster("k3s-sg", endpoints: [("app-sg", "app", Self.latencySG), ("sg", "sg", "targets = 198.51.100.20")])
    }

    @Test func firstPassCreatesRecordsAndCompanionsSecondChangesNothingForeignRecordsUntouched() throws {
        let workspace = try Workspace("pass")
        let zone = workspace.zoneName
        try writeTwoClusters(workspace)
        // Someone else's record with its companion, and a hand-made record without one.
        try workspace.moto.upsertRecordSet(zoneID: workspace.zoneID, name: "foreign.\(zone).", type: "A", values: ["192.0.2.50"])
        try workspace.moto.upsertRecordSet(zoneID: workspace.zoneID, name: "a-foreign.\(zone).", type: "TXT",
                                           values: ["\"heritage=external-dns,external-dns/owner=someone-else,external-dns/resource=service/default/foreign\""])
        try workspace.moto.upsertRecordSet(zoneID: workspace.zoneID, name: "manual.\(zone).", type: "A", ttl: 3600, values: ["192.0.2.60"])
        let before = try workspace.recordSets()

        let first = try workspace.run(["run"])
        #expect(first.status == 0, "\(first)")
        let records = try workspace.recordSets()
        for key in ["app.\(zone). A [hk]", "app.\(zone). A [sg]", "hk.\(zone). A", "sg.\(zone). A",
                    "a-app.\(zone). TXT [hk]", "a-app.\(zone). TXT [sg]", "a-hk.\(zone). TXT", "a-sg.\(zone). TXT"] {
            #expect(records[key] != nil, "missing \(key) in \(records.keys.sorted())")
        }
        #expect(records["a-hk.\(zone). TXT"]?.contains("external-dns/owner=rke2-hk") == true)
        #expect(records["a-app.\(zone). TXT [sg]"]?.contains("external-dns/owner=k3s-sg") == true)
        #expect(records["app.\(zone). A [hk]"]?.contains("<Region>ap-east-1</Region>") == true)
        #expect(first.stderr.contains("create A app.\(zone) [hk]"), "\(first)")
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"create\"}") == 2)

        let second = try workspace.run(["run"])
        #expect(second.status == 0, "\(second)")
        let metrics = workspace.metrics()
        #expect(!metrics.contains("operation=\"ChangeResourceRecordSets\""), "\(metrics)")
        #expect(workspace.metric("dnsreconcile_api_requests{operation=\"ListHostedZones\",code=\"200\"}") == 1)
        #expect(workspace.metric("dnsreconcile_api_requests{operation=\"ListResourceRecordSets\",code=\"200\"}") == 1)
        #expect(workspace.metric("dnsreconcile_plan_changes{cluster=\"k3s-sg\",action=\"create\"}") == 0)
        #expect(workspace.metric("dnsreconcile_run_success{cluster=\"rke2-hk\"}") == 1)
        #expect(workspace.metric("dnsreconcile_registry_records{cluster=\"rke2-hk\",owner=\"other\"}") == 3)
        #expect(workspace.metric("dnsreconcile_registry_records{cluster=\"rke2-hk\",owner=\"none\"}") == 3, "manual + apex NS and SOA")

        let after = try workspace.recordSets()
        for key in ["foreign.\(zone). A", "a-foreign.\(zone). TXT", "manual.\(zone). A"] {
            #expect(after[key] != nil && after[key] == before[key], "\(key) changed: \(before[key] ?? "nil") -> \(after[key] ?? "nil")")
        }
    }

    @Test func removedEndpointIsDeletedWithItsCompanion() throws {
        let workspace = try Workspace("remove")
        let zone = workspace.zoneName
        try workspace.writeCluster("rke2-hk", endpoints: [("a", "keep", "targets = 192.0.2.1"), ("b", "gone", "targets = 192.0.2.2")])
        #expect(try workspace.run(["run"]).status == 0)
        #expect(try workspace.recordSets()["a-gone.\(zone). TXT"] != nil)

        try workspace.writeCluster("rke2-hk", endpoints: [("a", "keep", "targets = 192.0.2.1")])
        let result = try workspace.run(["run"])
        #expect(result.status == 0, "\(result)")
        let records = try workspace.recordSets()
        #expect(records["gone.\(zone). A"] == nil)
        #expect(records["a-gone.\(zone). TXT"] == nil)
        #expect(records["keep.\(zone). A"] != nil && records["a-keep.\(zone). TXT"] != nil)
        #expect(result.stderr.contains("delete A gone.\(zone)"), "\(result)")
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"delete\"}") == 1)
    }

    @Test func upsertOnlyNeverDeletes() throws {
        let workspace = try Workspace("upsert")
        let zone = workspace.zoneName
        let policy = "policy = upsert-only"
        try workspace.writeCluster("rke2-hk", endpoints: [("a", "keep", "targets = 192.0.2.1"), ("b", "stays", "targets = 192.0.2.2")],
                                   extra: policy)
        #expect(try workspace.run(["run"]).status == 0)
        try workspace.writeCluster("rke2-hk", endpoints: [("a", "keep", "targets = 192.0.2.9")], extra: policy)
        let result = try workspace.run(["run"])
        #expect(result.status == 0, "\(result)")
        let records = try workspace.recordSets()
        #expect(records["stays.\(zone). A"] != nil && records["a-stays.\(zone). TXT"] != nil)
        #expect(records["keep.\(zone). A"]?.contains("192.0.2.9") == true, "the update is still made")
    }

    @Test func tooLargeDeleteIsRefusedWithStatus2AndAppliedWithForce() throws {
        let workspace = try Workspace("safety")
        let zone = workspace.zoneName
        let all = (1...12).map { ("r\($0)", "r\($0)", "targets = 192.0.2.\($0)") }
        try workspace.writeCluster("rke2-hk", endpoints: all)
        #expect(try workspace.run(["run"]).status == 0)

        try workspace.writeCluster("rke2-hk", endpoints: Array(all.prefix(4)))
        let refused = try workspace.run(["run"])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("would delete 8 of 12"), "\(refused)")
        #expect(try workspace.recordSets()["r12.\(zone). A"] != nil)
        #expect(workspace.metric("dnsreconcile_run_success{cluster=\"rke2-hk\"}") == 0)
        #expect(workspace.metric("dnsreconcile_plan_changes{cluster=\"rke2-hk\",action=\"delete\"}") == 8)

        let forced = try workspace.run(["run", "--force"])
        #expect(forced.status == 0, "\(forced)")
        let records = try workspace.recordSets()
        #expect(records["r12.\(zone). A"] == nil && records["a-r12.\(zone). TXT"] == nil)
        #expect(records["r4.\(zone). A"] != nil)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"delete\"}") == 8)
    }

    @Test func invalidMainConfigExits64WithFileAndLine() throws {
        let workspace = try Workspace("main64")
        try writeTwoClusters(workspace)
        try workspace.write("dnsreconcile.ini", "[metrics]\ntextfile-dir = \(workspace.metricsDir)\n\n[run]\ndeadlin = 5m")
        let result = try workspace.run(["run"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("\(workspace.mainConfig):5"), "\(result)")
        #expect(result.stderr.contains("deadline"), "suggests the nearest key: \(result)")
        #expect(try workspace.recordSets().isEmpty, "nothing was contacted")
        #expect(!FileManager.default.fileExists(atPath: workspace.metricsFile), "no metrics on status 64")
    }

    @Test func invalidClusterFileSkipsThatClusterWithStatus1() throws {
        let workspace = try Workspace("cluster1")
        let zone = workspace.zoneName
        try writeTwoClusters(workspace)
        try workspace.write("conf.d/rke2-hk.ini", "[cluster]\nname = rke2-hk\nowner-id = rke2-hk\n\n[endpoint \"x\"]\nname = x.\(zone)\ntargetz = 192.0.2.1")
        let result = try workspace.run(["run"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("\(workspace.confDir)/rke2-hk.ini:7"), "\(result)")
        #expect(try workspace.recordSets()["sg.\(zone). A"] != nil, "the other cluster still ran")
        #expect(workspace.metric("dnsreconcile_run_success{cluster=\"rke2-hk\"}") == 0)
        #expect(workspace.metric("dnsreconcile_run_success{cluster=\"k3s-sg\"}") == 1)
    }

    @Test func heldLockExits75AndDoesNothing() throws {
        let workspace = try Workspace("lock")
        try writeTwoClusters(workspace)
        try FileManager.default.createDirectory(atPath: workspace.root + "/run", withIntermediateDirectories: true)
        let fd = open(workspace.lockFile, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let result = try workspace.run(["run"])
        #expect(result.status == 75, "\(result)")
        #expect(result.stderr.contains("lock"), "\(result)")
        #expect(try workspace.recordSets().isEmpty)
    }

    @Test func lockDirectoryIsCreatedWhenMissing() throws {
        let workspace = try Workspace("lockdir")
        try workspace.writeCluster("rke2-hk", endpoints: [])
        let nested = workspace.root + "/deep/er/dnsreconcile.lock"
        let result = try workspace.run(["run", "--lock-file", nested])
        #expect(result.status == 0, "\(result)")
        #expect(FileManager.default.fileExists(atPath: nested))
    }

    @Test func checkConfigAcceptsGoodFilesAndRejectsBadOnesWith64() throws {
        let workspace = try Workspace("check")
        try writeTwoClusters(workspace)
        let good = try workspace.run(["check-config"])
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.contains("rke2-hk.ini (cluster rke2-hk"), "\(good)")

        try workspace.write("conf.d/zz-bad.json", "{\"cluster\": {\"name\": \"bad\", \"owner-id\": \"bad\"}, \"registry\": {\"typ\": \"txt\"}}")
        let bad = try workspace.run(["check-config"])
        #expect(bad.status == 64, "\(bad)")
        #expect(bad.stderr.contains("zz-bad.json"), "\(bad)")
        #expect(bad.stderr.contains("registry.typ"), "JSON errors name the key path: \(bad)")
    }

    @Test func planJSONIsPrintedAndNothingChanges() throws {
        let workspace = try Workspace("planjson")
        let zone = workspace.zoneName
        try writeTwoClusters(workspace)
        let result = try workspace.run(["plan", "--output", "json"])
        #expect(result.status == 0, "\(result)")
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let clusters = document?["clusters"] as? [[String: Any]] ?? []
        #expect(clusters.compactMap { $0["name"] as? String } == ["k3s-sg", "rke2-hk"])
        let zones = clusters.first?["zones"] as? [[String: Any]] ?? []
        #expect(zones.first?["zone"] as? String == zone)
        #expect((zones.first?["summary"] as? [String: Int])?["create"] == 2)
        #expect(try workspace.recordSets().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: workspace.metricsFile), "plan meters only with --metrics-dir")

        let again = try workspace.run(["plan", "--output", "json"])
        #expect(again.stdout == result.stdout, "stable output")
        let text = try workspace.run(["plan"])
        #expect(text.stdout.contains("Plan for rke2-hk in \(zone): 2 to create, 0 to update, 0 to delete"), "\(text)")
    }

    @Test func failingClusterKeepsItsLastSuccessAndDoesNotStopTheOthers() throws {
        let workspace = try Workspace("fail")
        try writeTwoClusters(workspace)
        #expect(try workspace.run(["run"]).status == 0)
        let success = try #require(workspace.metric("dnsreconcile_last_success_timestamp_seconds{cluster=\"rke2-hk\"}"))

        // rke2-hk now talks to an endpoint where nothing listens.
        try workspace.writeCluster("rke2-hk", endpoints: [("hk", "hk", "targets = 203.0.113.10")],
                                   extra: "\n[aws]\nendpoint-url = http://127.0.0.1:\(ExternalTools.freePort())\nmax-retries = 0")
        try workspace.writeCluster("k3s-sg", endpoints: [("sg", "sg", "targets = 198.51.100.99")])
        let result = try workspace.run(["run"])
        #expect(result.status == 1, "\(result)")
        #expect(workspace.metric("dnsreconcile_run_success{cluster=\"rke2-hk\"}") == 0)
        #expect(workspace.metric("dnsreconcile_last_success_timestamp_seconds{cluster=\"rke2-hk\"}") == success)
        #expect(workspace.metric("dnsreconcile_run_success{cluster=\"k3s-sg\"}") == 1)
        #expect(try workspace.recordSets()["sg.\(workspace.zoneName). A"]?.contains("198.51.100.99") == true)
        #expect(workspace.metrics().contains("code=\"transport\""), "\(workspace.metrics())")
    }

    @Test func metricsFilePassesPromtoolAndNodeExporter() throws {
        let workspace = try Workspace("metrics")
        try writeTwoClusters(workspace)
        #expect(try workspace.run(["run"]).status == 0)
        let text = workspace.metrics()
        #expect(!text.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: workspace.metricsDir + "/.dnsreconcile.prom.tmp"))
        let promtool = try #require(ExternalTools.which("promtool"), "promtool is missing: apt-get install prometheus")
        let (status, output) = try ExternalTools.run(promtool, ["check", "metrics"], input: text)
        #expect(status == 0, "promtool: \(output)")

        let page = try ExternalTools.scrapeNodeExporter(textfileDirectory: workspace.metricsDir)
        #expect(page.contains("node_textfile_scrape_error 0"), "\(page.split(separator: "\n").filter { $0.contains("textfile") })")
        #expect(page.contains("dnsreconcile_run_success{cluster=\"rke2-hk\"} 1"))
        #expect(page.contains("dnsreconcile_build_info{version="))
    }

    @Test func usageErrorsExit64() throws {
        let workspace = try Workspace("usage")
        #expect(try workspace.run(["run", "--no-such-option"]).status == 64)
        #expect(try workspace.run(["plan", "--output", "yaml"]).status == 64)
        #expect(try workspace.run(["run", "--deadline", "soon"]).status == 64)
        let unknown = try workspace.run(["run", "--cluster", "nope"])
        #expect(unknown.status == 64, "\(unknown)")
    }

    @Test func versionAndHelp() throws {
        let workspace = try Workspace("version")
        let version = try workspace.run(["version"], plain: true)
        #expect(version.status == 0 && version.stdout == "dnsreconcile 0.1.0\n", "\(version)")
        #expect(try workspace.run(["--version"], plain: true).stdout == "dnsreconcile 0.1.0\n")
        let help = try workspace.run(["--help"], plain: true)
        #expect(help.status == 0 && help.stdout.contains("check-config"), "\(help)")
    }

    @Test func dryRunMetersButChangesNothing() throws {
        let workspace = try Workspace("dry")
        try writeTwoClusters(workspace)
        let result = try workspace.run(["run", "--dry-run", "--log-format", "json"])
        #expect(result.status == 0, "\(result)")
        #expect(try workspace.recordSets().isEmpty)
        #expect(result.stdout.contains("2 to create"))
        #expect(workspace.metric("dnsreconcile_plan_changes{cluster=\"rke2-hk\",action=\"create\"}") == 2)
        #expect(workspace.metric("dnsreconcile_last_success_timestamp_seconds{cluster=\"rke2-hk\"}") == nil)
        for line in result.stderr.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil && object?["message"] != nil, "\(line)")
        }
    }
}
