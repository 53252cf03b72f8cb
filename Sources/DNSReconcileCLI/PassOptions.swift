import ArgumentParser
import Foundation

/// The options of a pass (`run`, `plan`).
struct PassOptions: ParsableArguments {
    @Flag(help: "Apply a plan that exceeds the safety limits.")
    var force = false

    @Option(help: ArgumentHelp("Textfile-collector directory (overrides [metrics] textfile-dir).", valueName: "dir"))
    var metricsDir: String?

    @Option(help: ArgumentHelp(
        "Lock that keeps two passes from overlapping.",
        discussion: "Default: [run] lock-file, else $RUNTIME_DIRECTORY/dnsreconcile.lock, else $XDG_RUNTIME_DIR/dnsreconcile.lock, else /run/dnsreconcile/dnsreconcile.lock.",
        valueName: "path"))
    var lockFile: String?

    @Option(help: ArgumentHelp("Time budget of the whole pass: 90, 90s, 5m, 1h (default: [run] deadline, 5m).",
                               valueName: "duration"))
    var deadline: DurationArgument?

    @Option(help: ArgumentHelp("Format of the printed plan (plan, and run with --dry-run).", valueName: "format"))
    var output: OutputFormat = .text

    @Option(help: ArgumentHelp(
        "Wait a random time up to this long before starting: 0, 30s, 5m (default: $DNSRECONCILE_JITTER, else 0).",
        discussion: "Spreads the passes of many hosts started by timers or CronJobs at the same second; the deadline counts from the end of the wait.",
        valueName: "duration"))
    var jitter: JitterArgument?
}

/// `--jitter` (and `DNSRECONCILE_JITTER`): a duration that may be 0.
struct JitterArgument: ExpressibleByArgument, Hashable, Sendable {
    var seconds: Double

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if text.allSatisfy({ $0 == "0" || $0 == "s" || $0 == "m" || $0 == "h" }), text.hasPrefix("0") {
            seconds = 0
        } else if let seconds = DurationArgument.parse(text) {
            self.seconds = seconds
        } else {
            return nil
        }
    }
}

/// `--output` values.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
