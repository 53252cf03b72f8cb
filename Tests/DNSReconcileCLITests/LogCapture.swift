import Foundation
import Logging
@testable import DNSReconcileCLI

/// Collects log lines in memory so tests can assert what a pass said.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    var lines: [String] { lock.withLock { stored } }

    func append(_ line: String) { lock.withLock { stored.append(line) } }

    func logger(level: Logger.Level = .debug, format: LineLogHandler.Format = .text) -> Logger {
        let handler = LineLogHandler(format: format, level: level, colored: false, clock: { 1_700_000_000.5 },
                                     sink: { [self] line in append(line) })
        return Logger(label: "test") { _ in handler }
    }
}
