import ArgumentParser
import DNSReconcileCore

/// `dnsreconcile probe NAME-OR-URL`: what clients really get through a resolver: which cluster
/// answers, how fast, and how long a failover takes.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Resolve a name through a resolver and fetch it, round after round; report which cluster answers.",
        discussion: """
            Each round sends its own DNS query to the resolver (UDP, TCP when truncated), then GETs \
            the URL from the first answered address with the name as Host and TLS SNI. The summary \
            gives DNS and HTTP times, the share of each cluster label and the errors by kind; with \
            --watch also every down window. Exit status: 0 at least one round got an HTTP \
            response; 1 no round did; 64 usage error.
            """)

    @Argument(help: ArgumentHelp("Host name (fetched as http://NAME/) or http(s) URL.", valueName: "name-or-url"))
    var target: String

    @Option(help: ArgumentHelp("DNS server to ask: IP or IP:PORT, IPv6 as [IP]:PORT (default: the first nameserver of /etc/resolv.conf).",
                               valueName: "ip[:port]"))
    var resolver: String?

    @Option(help: ArgumentHelp("Rounds to run (default: 10; with --watch, until interrupted).", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Time between round starts: 0.5s, 2s, 1m.", valueName: "duration"))
    var interval = DurationArgument(seconds: 1)

    @Option(help: ArgumentHelp("Limit for the DNS exchange and, separately, for the HTTP request.", valueName: "duration"))
    var timeout = DurationArgument(seconds: 5)

    @Option(help: ArgumentHelp("Address record type to ask for.", valueName: "type"))
    var type: AddressTypeArgument = .a

    @Option(help: ArgumentHelp(
        "Cluster label for responses whose body or a header line matches REGEX (case-insensitive); repeatable, first match wins.",
        discussion: "Without a match the label is the answered address.",
        valueName: "label=regex"))
    var match: [String] = []

    @Flag(help: "Failover drill: poll until interrupted (or --count) and report every down window.")
    var watch = false

    @Option(help: ArgumentHelp("Statuses that count as up: 200, 2xx, 200-204, comma lists; repeatable (default: 200-399).",
                               valueName: "codes"))
    var upCode: [String] = []

    @Option(help: ArgumentHelp("Statuses that count as down (default: every status not up). Connection errors are always down.",
                               valueName: "codes"))
    var downCode: [String] = []

    @Option(help: ArgumentHelp("Output format of the rounds and the summary (json: the summary only).", valueName: "format"))
    var output: OutputFormat = .text

    @Option(help: ArgumentHelp("Append every round to this file as a JSON line.", valueName: "file"))
    var log: String?

    @Option(help: ArgumentHelp("PEM file of the CAs to trust for https:// instead of the system bundle.", valueName: "file"))
    var caBundle: String?

    /// The resolv.conf read for the default resolver.
    static let resolvConfPath = "/etc/resolv.conf"

    func validate() throws {
        do {
            _ = try settings(resolvConf: nil)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let context = ProcessContext.live()
        let settings: ProbeSession.Settings
        let log: ProbeLogFile?
        do {
            settings = try self.settings(resolvConf: FileSystem.readText(Self.resolvConfPath))
            log = try self.log.map { path throws(DNSReconcileError) in try ProbeLogFile(path: path) }
        } catch {
            LineLogHandler.standardError("dnsreconcile probe: \(error)")
            throw ExitCode(64)
        }
        ProbeInterrupt.install()
        let status = ProbeInvocation(settings: settings, watch: watch, output: output, log: log, context: context,
                                     shouldStop: { ProbeInterrupt.requested }).execute()
        if status != 0 { throw ExitCode(status) }
    }

    /// The validated settings; `resolvConf` is the text of /etc/resolv.conf (nil: not read yet).
    func settings(resolvConf: String?) throws(DNSReconcileError) -> ProbeSession.Settings {
        let target = try ProbeTarget.parse(self.target)
        let resolver = try resolver.map { text throws(DNSReconcileError) in try ResolverAddress.parse(text) }
            // The C library's rule: no usable nameserver line means the local machine.
            ?? resolvConf.flatMap(ResolverAddress.firstNameserver(inResolvConf:))
            ?? ResolverAddress(addressBytes: [127, 0, 0, 1])!
        if let count, count < 1 { throw DNSReconcileError(.usage, "--count \(count): give at least 1 round") }
        var rules: [ClusterRule] = []
        for text in match { rules.append(try ClusterRule(parsing: text)) }
        let health = ProbeHealthRule(
            upCodes: upCode.isEmpty ? nil : try StatusCodeSet.parse(upCode, option: "--up-code"),
            downCodes: downCode.isEmpty ? nil : try StatusCodeSet.parse(downCode, option: "--down-code"))
        return ProbeSession.Settings(
            target: target, type: type.recordType, resolver: resolver, count: count ?? (watch ? nil : 10),
            interval: interval.seconds, timeout: timeout.seconds, matcher: ClusterMatcher(rules: rules), health: health,
            caBundle: caBundle, userAgent: "dnsreconcile/\(DNSReconcileVersion.current) probe")
    }
}

/// `--type` values.
enum AddressTypeArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    case a = "A", aaaa = "AAAA"

    init?(argument: String) { self.init(rawValue: argument.uppercased()) }

    var recordType: RecordType { self == .a ? .a : .aaaa }
}

extension DurationArgument {
    /// A default value in code; `seconds` must be positive.
    init(seconds: Double) {
        self.init(argument: "\(seconds)")!
    }

    /// `--help` shows a default as it would be typed: `1s`, `0.5s`, `5m`.
    var defaultValueDescription: String {
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds) / 60)m" }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
