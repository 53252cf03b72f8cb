import ArgumentParser
import Logging

/// `--log-format`, `--log-level`.
struct LogOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Log format on stderr, one line per event.", valueName: "format"))
    var logFormat: LineLogHandler.Format = .text

    @Option(help: ArgumentHelp("Lowest level logged.", valueName: "level"))
    var logLevel: LogLevelArgument = .info

    /// The logger every part of the command writes to.
    func makeLogger(environment: [String: String]) -> Logger {
        let handler = LineLogHandler(format: logFormat, level: logLevel.level,
                                     colored: logFormat == .text && LineLogHandler.wantsColor(environment: environment))
        return Logger(label: "dnsreconcile") { _ in handler }
    }
}

extension LineLogHandler.Format: ExpressibleByArgument {}

/// `--log-level` values: swift-log's levels by name.
enum LogLevelArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}
