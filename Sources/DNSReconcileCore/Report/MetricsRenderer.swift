/// Renders a pass report as a Prometheus textfile-collector file (CONTRACT §6).
///
/// Pure: the previous file's content comes in as text, the new content goes out as text; the
/// CLI does the atomic write. Every metric is a gauge describing the last pass. Families come in
/// a fixed order and samples sorted by label values, so two passes with equal numbers give equal
/// files.
public struct MetricsRenderer: Sendable {
    /// A metric family: name, help text and the label names of its samples.
    struct Family {
        var name: String
        var help: String
    }

    static let perCluster: [Family] = [
        Family(name: "dnsreconcile_run_timestamp_seconds", help: "Start of the last pass, in seconds since the Unix epoch."),
        Family(name: "dnsreconcile_last_success_timestamp_seconds",
               help: "Start of the last pass that reconciled the cluster fully; kept across failed passes."),
        Family(name: "dnsreconcile_run_duration_seconds", help: "Time the last pass spent on the cluster."),
        Family(name: "dnsreconcile_run_success", help: "1 if the last pass reconciled the cluster fully, else 0."),
        Family(name: "dnsreconcile_source_endpoints", help: "Desired endpoints read from the cluster's sources."),
        Family(name: "dnsreconcile_source_invalid_endpoints",
               help: "Endpoints skipped for bad annotations or values; their records are held."),
        Family(name: "dnsreconcile_registry_records", help: "Record sets in the cluster's zones by owner (self, other, none)."),
        Family(name: "dnsreconcile_plan_changes", help: "Changes planned by the last pass, by action."),
        Family(name: "dnsreconcile_applied_changes", help: "Changes Route53 accepted in the last pass, by action."),
        Family(name: "dnsreconcile_failed_changes", help: "Planned changes that could not be applied in the last pass."),
        Family(name: "dnsreconcile_conflicts", help: "Desired names claimed by another owner or cluster."),
    ]

    static let processWide: [Family] = [
        Family(name: "dnsreconcile_api_requests", help: "Route53 API requests of the last pass by operation and result code."),
        Family(name: "dnsreconcile_api_retries", help: "Route53 API requests retried in the last pass by operation and reason."),
        Family(name: "dnsreconcile_build_info", help: "Always 1; the version label names the running build."),
    ]

    static let lastSuccess = "dnsreconcile_last_success_timestamp_seconds"

    public init() {}

    /// The file content for `report`.
    ///
    /// - Parameters:
    ///   - previous: the previous file's content (empty when there is none). A cluster that did
    ///     not succeed keeps its `last_success` sample from it.
    ///   - keepClusters: clusters that are configured but were not part of this pass (`--cluster`
    ///     selected others): their samples are copied from `previous` unchanged, so a hand-run
    ///     pass for one cluster does not make the others' series vanish.
    public func render(_ report: PassReport, previous: String = "", keepClusters: Set<String> = []) -> String {
        let old = previous.split(whereSeparator: \.isNewline).compactMap(MetricSample.init(parsing:))
        var samples: [String: [MetricSample]] = [:]
        func add(_ name: String, _ labels: [MetricSample.Label], _ value: Double) {
            samples[name, default: []].append(MetricSample(name: name, labels: labels, value: value))
        }

        let current = Set(report.clusters.map(\.name))
        for cluster in report.clusters {
            let c = MetricSample.Label("cluster", cluster.name)
            let succeeded = cluster.status == .ok && !report.dryRun
            add("dnsreconcile_run_timestamp_seconds", [c], report.startedAt)
            if succeeded {
                add(MetricsRenderer.lastSuccess, [c], report.startedAt)
            } else if let kept = old.first(where: { $0.name == MetricsRenderer.lastSuccess && $0.label("cluster") == cluster.name }) {
                add(MetricsRenderer.lastSuccess, [c], kept.value)
            }
            add("dnsreconcile_run_duration_seconds", [c], cluster.duration)
            add("dnsreconcile_run_success", [c], cluster.status == .ok ? 1 : 0)
            add("dnsreconcile_source_endpoints", [c], Double(cluster.sourceEndpoints))
            add("dnsreconcile_source_invalid_endpoints", [c], Double(cluster.invalidEndpoints.count))
            for owner in ["none", "other", "self"] {
                add("dnsreconcile_registry_records", [c, .init("owner", owner)], Double(cluster.registryRecords[owner] ?? 0))
            }
            for action in PlannedChange.Action.allCases {
                add("dnsreconcile_plan_changes", [c, .init("action", action.rawValue)], Double(cluster.planned(action)))
            }
            for action in PlannedChange.Action.allCases {
                add("dnsreconcile_applied_changes", [c, .init("action", action.rawValue)], Double(cluster.applied[action] ?? 0))
            }
            add("dnsreconcile_failed_changes", [c], Double(cluster.failedChanges))
            add("dnsreconcile_conflicts", [c], Double(cluster.conflicts))
        }
        let perClusterNames = Set(MetricsRenderer.perCluster.map(\.name))
        for sample in old where perClusterNames.contains(sample.name) {
            guard let cluster = sample.label("cluster"), keepClusters.contains(cluster), !current.contains(cluster) else { continue }
            samples[sample.name, default: []].append(sample)
        }

        for (call, count) in report.apiRequests {
            add("dnsreconcile_api_requests", [.init("operation", call.operation), .init("code", call.detail)], Double(count))
        }
        for (call, count) in report.apiRetries {
            add("dnsreconcile_api_retries", [.init("operation", call.operation), .init("reason", call.detail)], Double(count))
        }
        add("dnsreconcile_build_info", [.init("version", report.version)], 1)

        var out = ""
        for family in MetricsRenderer.perCluster + MetricsRenderer.processWide {
            guard let lines = samples[family.name], !lines.isEmpty else { continue }
            // One HELP/TYPE pair per family: a second TYPE line makes node_exporter drop the file.
            out += "# HELP \(family.name) \(family.help)\n"
            out += "# TYPE \(family.name) gauge\n"
            for sample in lines.sorted(by: { $0.labels.map(\.value).lexicographicallyPrecedes($1.labels.map(\.value)) }) {
                out += sample.line + "\n"
            }
        }
        return out
    }
}
