import DNSReconcileCore
import Testing

@Suite struct MetricsRendererTests {
    static func cluster(_ name: String, failed: Bool = false) -> ClusterReport {
        let zone = HostedZone(id: "Z1", name: "example.com")
        let set = RecordSet(name: "a.example.com", type: .a, ttl: 60, values: ["192.0.2.1"])
        var report = ClusterReport(
            name: name, startedAt: 1_700_000_000, duration: 1.25, sourceEndpoints: 3,
            invalidEndpoints: [InvalidEndpoint(names: [], message: "bad")],
            registryRecords: ["self": 2, "none": 1],
            zones: [ZoneReport(plan: ZonePlan(zone: zone, changes: [
                PlannedChange(action: .create, key: set.key, old: nil, new: set, changes: [Change(.create, set)]),
            ], notices: [PlanNotice(kind: .conflict, key: set.key, message: "taken")]))],
            applied: [.create: 1])
        if failed { report.errors = [DNSReconcileError(.route53, "boom")] }
        return report
    }

    static let report = PassReport(
        version: "0.1.0", startedAt: 1_700_000_100, clusters: [cluster("rke2-hk")],
        apiRequests: [.init(operation: "ListHostedZones", detail: "200"): 1,
                      .init(operation: "ChangeResourceRecordSets", detail: "200"): 2],
        apiRetries: [.init(operation: "ChangeResourceRecordSets", detail: "Throttling"): 1])

    @Test func snapshot() {
        let expected = """
            # HELP dnsreconcile_run_timestamp_seconds Start of the last pass, in seconds since the Unix epoch.
            # TYPE dnsreconcile_run_timestamp_seconds gauge
            dnsreconcile_run_timestamp_seconds{cluster="rke2-hk"} 1700000100
            # HELP dnsreconcile_last_success_timestamp_seconds Start of the last pass that reconciled the cluster fully; kept across failed passes.
            # TYPE dnsreconcile_last_success_timestamp_seconds gauge
            dnsreconcile_last_success_timestamp_seconds{cluster="rke2-hk"} 1700000100
            # HELP dnsreconcile_run_duration_seconds Time the last pass spent on the cluster.
            # TYPE dnsreconcile_run_duration_seconds gauge
            dnsreconcile_run_duration_seconds{cluster="rke2-hk"} 1.25
            # HELP dnsreconcile_run_success 1 if the last pass reconciled the cluster fully, else 0.
            # TYPE dnsreconcile_run_success gauge
            dnsreconcile_run_success{cluster="rke2-hk"} 1
            # HELP dnsreconcile_source_endpoints Desired endpoints read from the cluster's sources.
            # TYPE dnsreconcile_source_endpoints gauge
            dnsreconcile_source_endpoints{cluster="rke2-hk"} 3
            # HELP dnsreconcile_source_invalid_endpoints Endpoints skipped for bad annotations or values; their records are held.
            # TYPE dnsreconcile_source_invalid_endpoints gauge
            dnsreconcile_source_invalid_endpoints{cluster="rke2-hk"} 1
            # HELP dnsreconcile_registry_records Record sets in the cluster's zones by owner (self, other, none).
            # TYPE dnsreconcile_registry_records gauge
            dnsreconcile_registry_records{cluster="rke2-hk",owner="none"} 1
            dnsreconcile_registry_records{cluster="rke2-hk",owner="other"} 0
            dnsreconcile_registry_records{cluster="rke2-hk",owner="self"} 2
            # HELP dnsreconcile_plan_changes Changes planned by the last pass, by action.
            # TYPE dnsreconcile_plan_changes gauge
            dnsreconcile_plan_changes{cluster="rke2-hk",action="create"} 1
            dnsreconcile_plan_changes{cluster="rke2-hk",action="delete"} 0
            dnsreconcile_plan_changes{cluster="rke2-hk",action="update"} 0
            # HELP dnsreconcile_applied_changes Changes Route53 accepted in the last pass, by action.
            # TYPE dnsreconcile_applied_changes gauge
            dnsreconcile_applied_changes{cluster="rke2-hk",action="create"} 1
            dnsreconcile_applied_changes{cluster="rke2-hk",action="delete"} 0
            dnsreconcile_applied_changes{cluster="rke2-hk",action="update"} 0
            # HELP dnsreconcile_failed_changes Planned changes that could not be applied in the last pass.
            # TYPE dnsreconcile_failed_changes gauge
            dnsreconcile_failed_changes{cluster="rke2-hk"} 0
            # HELP dnsreconcile_conflicts Desired names claimed by another owner or cluster.
            # TYPE dnsreconcile_conflicts gauge
            dnsreconcile_conflicts{cluster="rke2-hk"} 1
            # HELP dnsreconcile_api_requests Route53 API requests of the last pass by operation and result code.
            # TYPE dnsreconcile_api_requests gauge
            dnsreconcile_api_requests{operation="ChangeResourceRecordSets",code="200"} 2
            dnsreconcile_api_requests{operation="ListHostedZones",code="200"} 1
            # HELP dnsreconcile_api_retries Route53 API requests retried in the last pass by operation and reason.
            # TYPE dnsreconcile_api_retries gauge
            dnsreconcile_api_retries{operation="ChangeResourceRecordSets",reason="Throttling"} 1
            # HELP dnsreconcile_build_info Always 1; the version label names the running build.
            # TYPE dnsreconcile_build_info gauge
            dnsreconcile_build_info{version="0.1.0"} 1

            """
        let actual = MetricsRenderer().render(MetricsRendererTests.report)
        #expect(actual == expected, "\n--- actual ---\n\(actual)")
    }

    @Test func noSampleCarriesATimestamp() {
        // node_exporter drops a whole file whose samples have client-side timestamps.
        for line in MetricsRenderer().render(MetricsRendererTests.report).split(separator: "\n") where !line.hasPrefix("#") {
            let afterLabels = line.split(separator: "}").last ?? line
            #expect(afterLabels.split(separator: " ").count == (line.contains("}") ? 1 : 2), "\(line)")
        }
    }

    @Test func failedClusterKeepsItsPreviousLastSuccess() {
        let previous = """
            # TYPE dnsreconcile_last_success_timestamp_seconds gauge
            dnsreconcile_last_success_timestamp_seconds{cluster="k3s-sg"} 1699990000
            dnsreconcile_last_success_timestamp_seconds{cluster="rke2-hk"} 1699999000.5
            """
        let report = PassReport(version: "0.1.0", startedAt: 1_700_000_100,
                                clusters: [Self.cluster("rke2-hk", failed: true), Self.cluster("k3s-sg")])
        let text = MetricsRenderer().render(report, previous: previous)
        #expect(text.contains("dnsreconcile_last_success_timestamp_seconds{cluster=\"rke2-hk\"} 1699999000.5\n"))
        #expect(text.contains("dnsreconcile_last_success_timestamp_seconds{cluster=\"k3s-sg\"} 1700000100\n"))
        #expect(text.contains("dnsreconcile_run_success{cluster=\"rke2-hk\"} 0\n"))
    }

    @Test func failedClusterWithoutHistoryHasNoLastSuccess() {
        let report = PassReport(version: "0.1.0", startedAt: 5, clusters: [Self.cluster("new", failed: true)])
        #expect(!MetricsRenderer().render(report).contains("dnsreconcile_last_success_timestamp_seconds{"))
    }

    @Test func dryRunDoesNotRecordASuccess() {
        let previous = "dnsreconcile_last_success_timestamp_seconds{cluster=\"rke2-hk\"} 42\n"
        var report = MetricsRendererTests.report
        report.dryRun = true
        let text = MetricsRenderer().render(report, previous: previous)
        #expect(text.contains("dnsreconcile_last_success_timestamp_seconds{cluster=\"rke2-hk\"} 42\n"))
        #expect(text.contains("dnsreconcile_run_success{cluster=\"rke2-hk\"} 1\n"))
    }

    @Test func clustersOutsideThePassAreKeptOnlyWhenAsked() {
        let previous = """
            dnsreconcile_run_success{cluster="k3s-sg"} 1
            dnsreconcile_plan_changes{cluster="k3s-sg",action="create"} 4
            dnsreconcile_run_success{cluster="gone"} 1
            dnsreconcile_build_info{version="0.0.9"} 1
            """
        let text = MetricsRenderer().render(MetricsRendererTests.report, previous: previous, keepClusters: ["k3s-sg"])
        #expect(text.contains("dnsreconcile_run_success{cluster=\"k3s-sg\"} 1\n"))
        #expect(text.contains("dnsreconcile_plan_changes{cluster=\"k3s-sg\",action=\"create\"} 4\n"))
        #expect(!text.contains("gone"))
        #expect(!text.contains("0.0.9"))
        // Exactly one TYPE line per family, even with kept samples merged in.
        #expect(text.components(separatedBy: "# TYPE dnsreconcile_run_success gauge").count == 2)
    }

    @Test(arguments: [
        ("plain", "rke2-hk", "rke2-hk"),
        ("quote", "a\"b", "a\\\"b"),
        ("backslash", "a\\b", "a\\\\b"),
        ("newline", "a\nb", "a\\nb"),
    ])
    func labelValuesAreEscapedAndParsedBack(id: String, raw: String, escaped: String) {
        let sample = MetricSample(name: "m", labels: [.init("cluster", raw)], value: 1)
        #expect(sample.line == "m{cluster=\"\(escaped)\"} 1", "case \(id)")
        #expect(MetricSample(parsing: Substring(sample.line)) == sample, "case \(id)")
    }

    @Test(arguments: [
        (1.0, "1"), (0.5, "0.5"), (1_700_000_000.25, "1700000000.25"), (Double.nan, "NaN"), (Double.infinity, "+Inf"),
    ])
    func valueFormat(value: Double, expected: String) {
        #expect(MetricSample.format(value) == expected)
    }

    @Test(arguments: ["", "# HELP x y", "garbage{", "m{a=\"unterminated} 1", "m notanumber"])
    func malformedLinesAreIgnored(line: String) {
        #expect(MetricSample(parsing: Substring(line)) == nil)
    }

    @Test func exitStatusPrefersFailureOverRefusal() {
        var refused = ClusterReport(name: "r")
        refused.zones = [ZoneReport(plan: ZonePlan(zone: HostedZone(id: "Z", name: "x")), refusal: "too many")]
        let failed = Self.cluster("f", failed: true)
        #expect(PassReport(version: "", startedAt: 0, clusters: [refused]).exitStatus == 2)
        #expect(PassReport(version: "", startedAt: 0, clusters: [refused, failed]).exitStatus == 1)
        #expect(PassReport(version: "", startedAt: 0, clusters: [Self.cluster("ok")]).exitStatus == 0)
        #expect(PassReport(version: "", startedAt: 0, clusters: []).exitStatus == 0)
    }
}
