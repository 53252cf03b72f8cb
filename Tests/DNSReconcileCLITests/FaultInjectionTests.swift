import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing

/// The built binary against the emulator through `FaultProxy`: every fault in every phase.
///
/// Each cell starts from the same zone: a foreign record with its companion, an unowned record,
/// and this cluster's records from a clean first pass. The cluster file then changes (one update,
/// one delete, three creates) and the binary runs with the fault. After it:
/// - the exit status is the one the cell expects, and stderr says why;
/// - no record of this owner is without its companion, and no companion without its record;
/// - the foreign and unowned records are byte-identical;
/// - a clean pass (no fault) reaches the desired state, and the pass after it changes nothing.
///
/// Retries, timeouts and backoff are kept small (max-retries 2, request-timeout 2 s, the stall
/// 4 s) so the suite stays fast; cells run one at a time, so no cell's timing depends on
/// another's load.
@Suite("fault injection: fault × phase against the binary", .serialized)
struct FaultInjectionTests {
    static let faults = ["throttling", "prior-request", "http-500", "http-503", "reset", "stall", "truncated"]
    static let phases = ["list-zones", "list-records", "change"]

    struct Cell: CustomTestStringConvertible, Sendable {
        var phase: String
        var fault: String
        /// -1: every matching call.
        var times: Int
        var testDescription: String { "\(fault) \(times < 0 ? "always" : "once") in \(phase)" }

        /// What the pass must end with.
        var expectedStatus: Int32 {
            if fault == "invalid-change-batch" { return 1 }
            if times > 0 { return 0 }
            // A change that was forwarded before the connection broke was applied; the client
            // finds that out from a fresh listing and does not fail.
            if phase == "change" && (fault == "reset" || fault == "truncated") { return 0 }
            return 1
        }

        var operation: String {
            switch phase {
            case "list-zones": "ListHostedZones"
            case "list-records": "ListResourceRecordSets"
            default: "ChangeResourceRecordSets"
            }
        }

        /// Words the log must contain when the pass fails.
        var failureWords: String {
            switch fault {
            case "throttling": "Throttling"
            case "prior-request": "PriorRequestNotComplete"
            case "http-500": "HTTP 500"
            case "http-503": "ServiceUnavailable"
            case "stall": "timed out"
            case "invalid-change-batch": "rejected by Route53: create A bad."
            default: "failed"
            }
        }
    }

    static let cells: [Cell] = phases.flatMap { phase in
        faults.flatMap { fault in [Cell(phase: phase, fault: fault, times: 1), Cell(phase: phase, fault: fault, times: -1)] }
    } + [Cell(phase: "change", fault: "invalid-change-batch", times: -1)]

    /// Desired endpoints before and after the change of the cluster file.
    static let before = [("keep", "192.0.2.1"), ("upd", "192.0.2.2"), ("del", "192.0.2.3")]
    static let after = [("keep", "192.0.2.1"), ("upd", "192.0.2.22"), ("new1", "192.0.2.4"), ("new2", "192.0.2.5"),
                        ("bad", "192.0.2.6")]
    static let owned = ["keep", "upd", "del", "new1", "new2", "bad"]

    static func writeCluster(_ workspace: Workspace, _ endpoints: [(String, String)]) throws {
        try workspace.writeCluster("faulty", endpoints: endpoints.map { ($0.0, $0.0, "targets = \($0.1)\nttl = 60") })
    }

    /// A workspace whose zone holds foreign, unowned and owned records, with the new cluster
    /// file written; returns it with the foreign and unowned records as they are.
    static func prepare(_ label: String) throws -> (Workspace, [String: String]) {
        let workspace = try Workspace(label)
        let zone = workspace.zoneName
        try workspace.write("dnsreconcile.ini", """
            [metrics]
            textfile-dir = \(workspace.metricsDir)

            [run]
            lock-file = \(workspace.lockFile)
            deadline = 2m
            request-timeout = 2s

            [aws]
            max-retries = 2
            """)
        try workspace.moto.upsertRecordSet(zoneID: workspace.zoneID, name: "foreign.\(zone).", type: "A", values: ["192.0.2.50"])
        try workspace.moto.upsertRecordSet(zoneID: workspace.zoneID, name: "a-foreign.\(zone).", type: "TXT",
                                           values: ["\"heritage=external-dns,external-dns/owner=someone-else,external-dns/resource=service/x/foreign\""])
        try workspace.moto.upsertRecordSet(zoneID: workspace.zoneID, name: "manual.\(zone).", type: "A", ttl: 3600, values: ["192.0.2.60"])
        try workspace.moto.upsertRecordSet(zoneID: workspace.zoneID, name: "spf.\(zone).", type: "TXT",
                                           values: ["\"v=spf1 include:_spf.example.net -all\" \"part2\""])
        try writeCluster(workspace, before)
        let setup = try workspace.run(["run"])
        guard setup.status == 0 else { throw DNSReconcileError(.internal, "the setup pass failed: \(setup)") }
        try writeCluster(workspace, after)
        let untouchable = try workspace.recordSets().filter { key, _ in
            ["foreign.", "a-foreign.", "manual.", "spf."].contains { key.hasPrefix($0) }
        }
        guard untouchable.count == 4 else { throw DNSReconcileError(.internal, "setup: \(untouchable.keys)") }
        return (workspace, untouchable)
    }

    /// The sum of `dnsreconcile_api_retries` samples in a metrics file.
    static func retries(_ metrics: String) -> Int {
        metrics.split(separator: "\n").filter { $0.hasPrefix("dnsreconcile_api_retries{") }
            .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0) { $0 + Int($1) }
    }

    /// Every owned name has both its A record and its companion, or neither.
    static func companionProblems(_ records: [String: String], zone: String) -> [String] {
        owned.compactMap { name in
            let record = records["\(name).\(zone). A"] != nil
            let companion = records["a-\(name).\(zone). TXT"] != nil
            return record == companion ? nil : "\(name): record \(record), companion \(companion)"
        }
    }

    @Test(arguments: cells)
    func cell(_ cell: Cell) throws {
        let (workspace, untouchable) = try Self.prepare("fault")
        let zone = workspace.zoneName
        let proxy = try FaultProxy(upstream: workspace.moto.endpoint, stallSeconds: 4)
        defer { proxy.stop() }
        let throughProxy = ["AWS_ENDPOINT_URL_ROUTE_53": proxy.endpoint]
        try proxy.set([FaultProxy.Rule(phase: cell.phase, fault: cell.fault, times: cell.times,
                                       record: cell.fault == "invalid-change-batch" ? "bad.\(zone)" : nil)])

        let faulty = try workspace.run(["run"], environment: throughProxy)
        let injected = try proxy.injected()
        let calls = try proxy.calls()
        #expect(!injected.isEmpty, "the fault was never served: \(calls)")
        #expect(faulty.status == cell.expectedStatus, "\(faulty)")
        if faulty.status != 0 {
            #expect(faulty.stderr.contains(cell.failureWords), "\(faulty)")
            #expect(workspace.metric("dnsreconcile_run_success{cluster=\"faulty\"}") == 0)
        }
        // A reset change was applied (the client verifies instead of retrying); a reset GET on a
        // kept-alive connection is resent by libcurl itself before the client sees an error.
        if cell.times > 0 && !["invalid-change-batch", "reset"].contains(cell.fault)
            && !(cell.phase == "change" && cell.fault == "truncated") {
            #expect(workspace.metrics().contains("dnsreconcile_api_retries{operation=\"\(cell.operation)\""), "\(workspace.metrics())")
            // Each retry is logged once, as a warning with its count and cause.
            let retryLines = faulty.stderr.split(separator: "\n").filter { $0.contains("retrying \(cell.operation) (1 of 2)") }
            #expect(retryLines.count == 1, "\(faulty)")
        }
        if cell.phase == "change" && ["reset", "truncated"].contains(cell.fault) {
            #expect(faulty.stderr.contains("shows the batch applied, so it is not resent"), "\(faulty)")
        }
        if cell.phase == "change" && cell.fault == "stall" {
            #expect(faulty.stderr.contains("shows the batch not applied, so it may be resent"), "\(faulty)")
        }
        print("fault-matrix: \(cell.testDescription): exit \(faulty.status), served \(injected.count), "
              + "retries \(Self.retries(workspace.metrics()))")
        if cell.fault == "invalid-change-batch" {
            let records = try workspace.recordSets()
            #expect(records["new1.\(zone). A"] != nil && records["bad.\(zone). A"] == nil, "the rest was applied")
            #expect(workspace.metric("dnsreconcile_failed_changes{cluster=\"faulty\"}") == 1)
        }
        let afterFault = try workspace.recordSets()
        #expect(Self.companionProblems(afterFault, zone: zone).isEmpty, "\(Self.companionProblems(afterFault, zone: zone))")
        for (key, xml) in untouchable {
            #expect(afterFault[key] == xml, "\(key) changed")
        }

        try proxy.set([])
        let clean = try workspace.run(["run"], environment: throughProxy)
        #expect(clean.status == 0, "\(clean)")
        let records = try workspace.recordSets()
        for (name, target) in Self.after {
            #expect(records["\(name).\(zone). A"]?.contains("<Value>\(target)</Value>") == true, "\(name) in \(records.keys.sorted())")
            #expect(records["a-\(name).\(zone). TXT"]?.contains("owner=faulty") == true)
        }
        #expect(records["del.\(zone). A"] == nil && records["a-del.\(zone). TXT"] == nil)
        for (key, xml) in untouchable {
            #expect(records[key] == xml, "\(key) changed")
        }

        try proxy.set([])
        let converged = try workspace.run(["run"], environment: throughProxy)
        #expect(converged.status == 0, "\(converged)")
        #expect(!workspace.metrics().contains("operation=\"ChangeResourceRecordSets\""), "\(workspace.metrics())")
        #expect(try proxy.calls().filter { $0 == "change" }.isEmpty)
    }

    /// The deadline runs out while Route53 keeps throttling the change: the pass stops, says so,
    /// exits 1, and nothing half-applied is left.
    @Test func deadlineStopsRetriesAndTheNextCleanPassConverges() throws {
        let (workspace, untouchable) = try Self.prepare("deadline")
        let zone = workspace.zoneName
        let proxy = try FaultProxy(upstream: workspace.moto.endpoint)
        defer { proxy.stop() }
        let throughProxy = ["AWS_ENDPOINT_URL_ROUTE_53": proxy.endpoint]
        try workspace.write("dnsreconcile.ini", """
            [metrics]
            textfile-dir = \(workspace.metricsDir)

            [run]
            lock-file = \(workspace.lockFile)
            request-timeout = 2s

            [aws]
            max-retries = 50
            """)
        try proxy.set([FaultProxy.Rule(phase: "change", fault: "throttling", times: -1)])
        let stopped = try workspace.run(["run", "--deadline", "3s"], environment: throughProxy)
        #expect(stopped.status == 1, "\(stopped)")
        #expect(stopped.stderr.contains("deadline"), "\(stopped)")
        #expect(try proxy.injected().count < 10, "gave up long before 50 retries")
        let records = try workspace.recordSets()
        #expect(Self.companionProblems(records, zone: zone).isEmpty)
        for (key, xml) in untouchable { #expect(records[key] == xml) }

        try proxy.set([])
        #expect(try workspace.run(["run"], environment: throughProxy).status == 0)
        #expect(try workspace.run(["run"], environment: throughProxy).status == 0)
        #expect(!workspace.metrics().contains("operation=\"ChangeResourceRecordSets\""))
    }
}
