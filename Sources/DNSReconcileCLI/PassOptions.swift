import ArgumentParser

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
}

/// `--output` values.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
