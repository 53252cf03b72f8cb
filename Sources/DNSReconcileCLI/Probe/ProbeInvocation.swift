import DNSReconcileCore

/// One `probe` run from validated settings to an exit status: the rounds, their output and log
/// lines, the summary.
struct ProbeInvocation {
    var settings: ProbeSession.Settings
    var watch: Bool
    var output: OutputFormat
    var log: ProbeLogFile?
    var context: ProcessContext
    var shouldStop: () -> Bool

    /// 0 when at least one round got an HTTP response, else 1.
    func execute() -> Int32 {
        let description = ProbeDescription(
            url: settings.target.url, name: settings.target.queryName, type: settings.type,
            resolver: settings.resolver.description, interval: settings.interval, watch: watch)
        if output == .text {
            let rounds = settings.count.map { "\($0) round\($0 == 1 ? "" : "s")" } ?? "until interrupted"
            context.print("PROBE \(description.url): \(description.type) \(description.name) via \(description.resolver), "
                          + "every \(Self.seconds(settings.interval)), \(rounds)\n")
        }
        let dns = DNSResolverClient(server: settings.resolver, timeout: settings.timeout, time: context.time)
        let session = ProbeSession(settings: settings, time: context.time, dns: dns, shouldStop: shouldStop)
        var logFailed = false
        let rounds = session.run { round in
            if output == .text { context.print(round.textLine + "\n") }
            if let log, !logFailed,
               !log.append(round.json(timeText: LineLogHandler.iso8601).rendered(pretty: false)) {
                logFailed = true
                LineLogHandler.standardError("dnsreconcile probe: cannot write to \(log.path) (\(FileSystem.errnoText())); "
                                             + "the log stops here")
            }
        }
        let summary = ProbeSummary(probe: description, rounds: rounds, interrupted: shouldStop())
        context.print(output == .json ? summary.json : "\n" + summary.text)
        guard summary.answered > 0 else {
            let reasons = summary.errorCounts.map { "\($0.kind.rawValue) \($0.count)" }.joined(separator: ", ")
            LineLogHandler.standardError("dnsreconcile probe: nothing answered in \(summary.rounds) round"
                                         + "\(summary.rounds == 1 ? "" : "s")" + (reasons.isEmpty ? "" : " (\(reasons))"))
            return 1
        }
        return 0
    }

    private static func seconds(_ value: Double) -> String {
        (value == value.rounded() ? String(Int(value)) : String(value)) + " s"
    }
}
