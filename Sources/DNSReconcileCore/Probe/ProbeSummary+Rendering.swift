extension ProbeSummary {
    /// The summary for `--output text`: one aligned block, the down windows only with `--watch`.
    public var text: String {
        let f = ProbeNumberFormat.self
        var lines: [String] = []
        var heading = "--- \(probe.url): \(rounds) round\(rounds == 1 ? "" : "s"), \(probe.type) \(probe.name) "
            + "via \(probe.resolver)"
        if interrupted { heading += ", interrupted" }
        lines.append(heading + " ---")
        func row(_ title: String, _ value: String) { lines.append(f.padded(title, 10) + value) }
        func timing(_ stats: LatencyStatistics?) -> String {
            guard let stats else { return "-" }
            return "avg \(f.fixed(stats.average, 2)) ms, median \(f.fixed(stats.median, 2)) ms, "
                + "p95 \(f.fixed(stats.p95, 2)) ms (\(stats.count))"
        }
        row("answered", "\(answered) of \(rounds)")
        row("dns", timing(dns))
        row("http", timing(http))
        if clusters.isEmpty {
            row("clusters", "-")
        } else {
            let width = clusters.map(\.label.count).max()!
            let countWidth = String(clusters.map(\.count).max()!).count
            for (index, share) in clusters.enumerated() {
                row(index == 0 ? "clusters" : "", f.padded(share.label, width) + "  "
                    + f.leftPadded(String(share.count), countWidth) + "  " + f.leftPadded(f.fixed(share.percent, 1), 5) + "%")
            }
        }
        row("statuses", statuses.isEmpty ? "-" : statusCounts.map { "\($0.status): \($0.count)" }.joined(separator: ", "))
        row("errors", errors.isEmpty ? "none" : errorCounts.map { "\($0.kind.rawValue): \($0.count)" }.joined(separator: ", "))
        if probe.watch {
            if windows.isEmpty {
                row("down", "no down window")
            } else {
                var text = "\(windows.count) event\(windows.count == 1 ? "" : "s")"
                text += ", mean downtime " + (meanDowntime.map { f.fixed($0, 2) + " s" } ?? "-")
                text += ", total \(f.fixed(totalDowntime, 2)) s"
                row("down", text)
                for (index, window) in windows.enumerated() {
                    var line = "\(index + 1). +\(f.fixed(window.start, 3))s to "
                    line += window.end.map { "+" + f.fixed($0, 3) + "s" } ?? "end (still down)"
                    line += "  " + (window.isOpen ? ">= " : "") + f.fixed(window.duration, 2) + " s"
                    line += "  \(window.failedRounds) failed round\(window.failedRounds == 1 ? "" : "s")"
                    line += "  \(window.cause)  \(window.addressBefore ?? "-") -> \(window.addressAfter ?? "-")"
                    row("", line)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The document of `--output json`, keys sorted, ending with a newline:
    /// `{"format": 1, "probe", "interrupted", "rounds", "answered", "dns_ms", "http_ms", "clusters",
    /// "statuses", "errors", "down": {"events", "mean_seconds", "total_seconds", "windows"}}`.
    public var json: String {
        func timing(_ stats: LatencyStatistics?) -> JSONValue {
            guard let stats else { return .null }
            let r = { (value: Double) in JSONValue.double(ProbeNumberFormat.rounded(value, 3)) }
            return .object(["count": .int(stats.count), "average": r(stats.average), "median": r(stats.median),
                            "p95": r(stats.p95), "min": r(stats.minimum), "max": r(stats.maximum)])
        }
        let seconds = { (value: Double) in JSONValue.double(ProbeNumberFormat.rounded(value, 3)) }
        let document: JSONValue = .object([
            "format": .int(1),
            "probe": .object([
                "url": .string(probe.url),
                "name": .string(probe.name),
                "type": .string(probe.type.rawValue),
                "resolver": .string(probe.resolver),
                "interval_seconds": .double(probe.interval),
                "watch": .bool(probe.watch),
            ]),
            "interrupted": .bool(interrupted),
            "rounds": .int(rounds),
            "answered": .int(answered),
            "dns_ms": timing(dns),
            "http_ms": timing(http),
            "clusters": .array(clusters.map { share in
                .object(["label": .string(share.label), "count": .int(share.count),
                         "percent": .double(ProbeNumberFormat.rounded(share.percent, 2))])
            }),
            "statuses": .object(Dictionary(uniqueKeysWithValues: statuses.map { (String($0.key), JSONValue.int($0.value)) })),
            "errors": .object(Dictionary(uniqueKeysWithValues: errors.map { ($0.key.rawValue, JSONValue.int($0.value)) })),
            "down": .object([
                "events": .int(windows.count),
                "mean_seconds": meanDowntime.map(seconds) ?? .null,
                "total_seconds": seconds(totalDowntime),
                "windows": .array(windows.map { window in
                    .object([
                        "start_seconds": seconds(window.start),
                        "end_seconds": window.end.map(seconds) ?? .null,
                        "duration_seconds": seconds(window.duration),
                        "open": .bool(window.isOpen),
                        "failed_rounds": .int(window.failedRounds),
                        "cause": .string(window.cause),
                        "address_before": .optional(window.addressBefore),
                        "address_after": .optional(window.addressAfter),
                    ])
                }),
            ]),
        ])
        return document.rendered() + "\n"
    }
}
