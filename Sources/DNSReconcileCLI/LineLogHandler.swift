import DNSReconcileCore
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler that writes one line per event: human text or one JSON object.
///
/// Text: `2026-11-24T19:40:00.123Z info  create A app.example.com [hk] cluster=rke2-hk`.
/// JSON: `{"cluster":"rke2-hk","level":"info","message":"create A ...","time":"..."}` with sorted
/// keys, for log shippers. The level is coloured only on a terminal and never when `NO_COLOR` is
/// set (no-color.org). A whole line goes out in one `write`, so lines of concurrent processes do
/// not interleave mid-line.
public struct LineLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let format: Format
    let colored: Bool
    let sink: @Sendable (String) -> Void
    let clock: @Sendable () -> Double

    public init(format: Format, level: Logger.Level, colored: Bool,
                clock: @escaping @Sendable () -> Double = LineLogHandler.wallClock,
                sink: @escaping @Sendable (String) -> Void = LineLogHandler.standardError) {
        self.format = format
        self.logLevel = level
        self.colored = colored
        self.clock = clock
        self.sink = sink
    }

    /// Colour only when stderr is a terminal and `NO_COLOR` is unset or empty.
    public static func wantsColor(environment: [String: String]) -> Bool {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return isatty(2) == 1
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    public static let wallClock: @Sendable () -> Double = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        let time = LineLogHandler.iso8601(clock())
        let message = event.message.description
        switch format {
        case .text:
            var line = time + " " + levelText(event.level) + " " + message
            for key in merged.keys.sorted() {
                line += " \(key)=" + LineLogHandler.quoteIfNeeded(LineLogHandler.flatten(merged[key]!))
            }
            sink(line.replacingNewlines)
        case .json:
            var object: [String: JSONValue] = [:]
            for (key, value) in merged {
                // Metadata never overwrites the three fixed fields.
                let name = ["time", "level", "message"].contains(key) ? "meta_" + key : key
                object[name] = .string(LineLogHandler.flatten(value))
            }
            object["time"] = .string(time)
            object["level"] = .string(event.level.rawValue)
            object["message"] = .string(message)
            sink(JSONValue.object(object).rendered(pretty: false))
        }
    }

    private func levelText(_ level: Logger.Level) -> String {
        let name = level.rawValue.padding(to: 7)
        guard colored else { return name }
        let code: String
        switch level {
        case .trace, .debug: code = "2"
        case .info: code = "36"
        case .notice: code = "1"
        case .warning: code = "33"
        case .error, .critical: code = "31"
        }
        return "\u{1B}[\(code)m\(name)\u{1B}[0m"
    }

    static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(flatten).joined(separator: ",")
        case .dictionary(let members):
            return members.keys.sorted().map { "\($0):\(flatten(members[$0]!))" }.joined(separator: ",")
        }
    }

    /// logfmt-style quoting: a value with spaces, quotes or `=` is double-quoted and escaped.
    static func quoteIfNeeded(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" }) else {
            return value
        }
        var out = ""
        JSONValue.writeString(value, into: &out)
        return out
    }

    /// `2026-11-24T19:40:00.123Z` (UTC, milliseconds).
    static func iso8601(_ seconds: Double) -> String {
        var whole = time_t(seconds.rounded(.down))
        let millis = Int(((seconds - Double(whole)) * 1000).rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// A log line must stay one line: embedded newlines (multi-error messages) become ` | `.
    fileprivate var replacingNewlines: String {
        guard contains(where: \.isNewline) else { return self }
        return split(whereSeparator: \.isNewline).joined(separator: " | ")
    }
}
