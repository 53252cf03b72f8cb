/// Turns the plans of a pass into what `dnsreconcile plan` prints: a readable table per cluster
/// and zone, or (`PlanRenderer+JSON.swift`) a stable JSON document.
///
/// Text layout, one block per cluster and zone:
///
///     rke2-hk: example.com
///          TYPE  NAME             SET-ID  ROUTING            TTL  TARGETS
///       +  A     app.example.com  hk      latency ap-east-1  60   203.0.113.10
///       ~  A     www.example.com  -       simple             60   203.0.113.20
///          was                                               300  203.0.113.19
///       -  A     old.example.com  -       simple             300  203.0.113.30
///       + health check app.example.com A hk: HTTP 203.0.113.10:80 /healthz Host app.example.com
///       ! conflict  api.example.com A: ...
///     Plan for rke2-hk in example.com: 1 to create, 1 to update, 1 to delete
///
/// Rows are sorted by name (Route53 order), type and set identifier; companion TXT records
/// travel with their record and are not shown as rows. Managed health checks follow the table
/// in the order they are sent (children before their parent; deletes last, parents first).
public struct PlanRenderer: Sendable {
    public init() {}

    /// The text form; ends with a newline.
    public func text(_ report: PassReport) -> String {
        var out = ""
        for cluster in report.clusters {
            out += clusterText(cluster)
        }
        return out
    }

    func clusterText(_ cluster: ClusterReport) -> String {
        var out = ""
        var preamble: [String] = []
        for error in cluster.errors {
            preamble.append("  error: \(error)")
        }
        for invalid in cluster.invalidEndpoints {
            var line = "  invalid endpoint: "
            if let location = invalid.location { line += "\(location): " }
            line += invalid.message
            if !invalid.names.isEmpty { line += " (held: \(invalid.names.map(\.value).joined(separator: ", ")))" }
            preamble.append(line)
        }
        for endpoint in cluster.unassigned.sorted(by: { $0.key < $1.key }) {
            var line = "  no zone: \(PlanRenderer.keyText(endpoint.key)) is in none of the cluster's hosted zones"
            if let origin = endpoint.origin { line += " (\(origin))" }
            preamble.append(line)
        }
        if !preamble.isEmpty {
            out += "\(cluster.name):\n" + preamble.joined(separator: "\n") + "\n"
        }
        if cluster.zones.isEmpty, cluster.errors.isEmpty {
            out += "Plan for \(cluster.name): no hosted zone matches\n"
        }
        for zone in cluster.zones {
            out += zoneText(zone, cluster: cluster.name)
        }
        return out
    }

    func zoneText(_ zone: ZoneReport, cluster: String) -> String {
        let plan = zone.plan
        var out = ""
        let changes = plan.allChanges.enumerated().sorted { lhs, rhs in
            if lhs.element.key != rhs.element.key { return lhs.element.key < rhs.element.key }
            return lhs.offset < rhs.offset
        }.map(\.element)

        if !changes.isEmpty || !plan.notices.isEmpty || zone.refusal != nil || !zone.healthChecks.isEmpty {
            out += "\(cluster): \(plan.zone.name.value)\n"
        }
        if !changes.isEmpty {
            var rows: [[String]] = [["", "TYPE", "NAME", "SET-ID", "ROUTING", "TTL", "TARGETS"]]
            for change in changes {
                let symbol: String
                switch change.action {
                case .create: symbol = "+"
                case .update: symbol = "~"
                case .delete: symbol = "-"
                }
                let shown = change.new ?? change.old
                rows.append([symbol, change.key.type.rawValue, change.key.name.value, change.key.setIdentifier ?? "-",
                             shown?.routing.displayText ?? "-", shown?.ttlText ?? "-", shown?.targetsText ?? ""])
                if change.action == .update, let old = change.old, let new = change.new, old != new {
                    rows.append(["", "was", "", "", old.routing.sameRouting(as: new.routing) ? "" : old.routing.displayText,
                                 old.ttl == new.ttl ? "" : old.ttlText,
                                 old.targetsText == new.targetsText ? "" : old.targetsText])
                }
                if let reason = change.reason {
                    rows.append(["", "", "(\(reason))", "", "", "", ""])
                }
            }
            out += PlanRenderer.table(rows, indent: "  ")
        }
        for check in zone.healthChecks {
            out += "  \(check.line)\n"
        }
        for notice in plan.notices.sorted(by: { ($0.key, $0.kind.rawValue) < ($1.key, $1.kind.rawValue) }) {
            var line = "  ! \(notice.kind.rawValue)  \(PlanRenderer.keyText(notice.key)): \(notice.message)"
            if let location = notice.location { line += " (\(location))" }
            out += line + "\n"
        }
        if let refusal = zone.refusal {
            out += "  refused: \(refusal); not applied (use --force to apply)\n"
        }
        if let forced = zone.forcedPast {
            out += "  forced past the safety limits: \(forced)\n"
        }
        out += "Plan for \(cluster) in \(plan.zone.name.value): \(plan.count(.create)) to create, "
            + "\(plan.count(.update)) to update, \(plan.count(.delete)) to delete"
        if !zone.healthChecks.isEmpty {
            let count = { (action: HealthCheckChange.Action) in zone.healthChecks.filter { $0.action == action }.count }
            out += "; health checks: \(count(.create)) to create, \(count(.update)) to update, \(count(.delete)) to delete"
        }
        out += "\n"
        return out
    }

    static func keyText(_ key: RecordKey) -> String {
        "\(key.name.value) \(key.type)" + (key.setIdentifier.map { " [\($0)]" } ?? "")
    }

    /// Left-aligned columns two spaces apart; trailing blanks trimmed.
    static func table(_ rows: [[String]], indent: String) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < row.count - 1 {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var out = ""
        for row in rows {
            var line = indent
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 {
                    line += String(repeating: " ", count: widths[index] - cell.count + 2)
                }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
