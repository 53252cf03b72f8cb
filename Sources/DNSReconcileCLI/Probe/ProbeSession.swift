import DNSReconcileCore
import DNSReconcileHTTP

/// The rounds of `dnsreconcile probe`: each asks the resolver itself, then fetches the target
/// from the first answered address, and reports the round as it ends.
///
/// A new HTTP transport per round keeps rounds independent, as a new client would be: no
/// keep-alive connection to the previous round's address, no cached name. Rounds start
/// `interval` apart (the next one at once when a round took longer); the wait is cut into short
/// sleeps so a stop request (Ctrl-C) ends it promptly.
final class ProbeSession {
    struct Settings {
        var target: ProbeTarget
        var type: RecordType
        var resolver: ResolverAddress
        /// nil: until stopped.
        var count: Int?
        var interval: Double
        var timeout: Double
        var matcher: ClusterMatcher
        var health: ProbeHealthRule
        var caBundle: String?
        var userAgent: String
    }

    private let settings: Settings
    private let time: TimeSource
    private let dns: DNSResolverClient
    private let shouldStop: () -> Bool

    init(settings: Settings, time: TimeSource, dns: DNSResolverClient, shouldStop: @escaping () -> Bool) {
        self.settings = settings
        self.time = time
        self.dns = dns
        self.shouldStop = shouldStop
    }

    /// Runs until `count` rounds are done or a stop is requested; `onRound` sees each round as
    /// it ends. Returns every round.
    func run(onRound: (ProbeRound) -> Void) -> [ProbeRound] {
        let origin = time.monotonicNow()
        var rounds: [ProbeRound] = []
        var nextStart = origin
        while !shouldStop(), settings.count.map({ rounds.count < $0 }) ?? true {
            waitUntil(nextStart)
            if shouldStop() { break }
            let started = time.monotonicNow()
            // Keep the grid of start times; after a round that overran it, start a new grid
            // here instead of firing the missed rounds in a burst.
            nextStart = nextStart + settings.interval > started ? nextStart + settings.interval : started + settings.interval
            let round = probe(index: rounds.count + 1, offset: started - origin)
            rounds.append(round)
            onRound(round)
        }
        return rounds
    }

    private func waitUntil(_ moment: Double) {
        while !shouldStop() {
            let left = moment - time.monotonicNow()
            guard left > 0 else { return }
            time.sleep(seconds: min(left, 0.1))
        }
    }

    /// One round: DNS, then HTTP to the first address, then the verdict.
    func probe(index: Int, offset: Double) -> ProbeRound {
        var round = ProbeRound(index: index, time: time.now(), offset: offset, state: .down)
        let dnsType = DNSType(addressType: settings.type) ?? .a
        let dnsStart = time.monotonicNow()
        do {
            let answer = try dns.query(name: settings.target.queryName, type: dnsType)
            round.dnsMilliseconds = (time.monotonicNow() - dnsStart) * 1000
            round.dnsTransport = answer.transport
            round.responseCode = answer.message.responseCode
            round.addresses = answer.message.addresses(of: dnsType)
            round.canonicalNames = answer.message.canonicalNames
        } catch {
            round.errorKind = switch error.code {
            case .timeout: .dnsTimeout
            case .dnsMessage: .dnsBadResponse
            default: .dnsUnreachable
            }
            round.errorMessage = error.description
            return round
        }
        if let code = round.responseCode, let kind = ProbeErrorKind(responseCode: code) {
            round.errorKind = kind
            round.errorMessage = "\(settings.resolver) answered \(code) for \(settings.target.queryName)"
            return round
        }
        guard let address = round.addresses.first else {
            round.errorKind = .dnsNoAddress
            round.errorMessage = "\(settings.resolver) has no \(settings.type) record for \(settings.target.queryName)"
            return round
        }
        round.address = address

        var options = HTTPOptions(connectTimeout: settings.timeout, totalTimeout: settings.timeout,
                                  caBundle: settings.caBundle, userAgent: settings.userAgent)
        options.resolve = [HTTPAddressOverride(host: settings.target.host, port: settings.target.port, address: address)]
        var transport: CurlTransport?
        let httpStart = time.monotonicNow()
        do {
            let client = try CurlTransport(options: options)
            transport = client
            let response = try client.send(HTTPRequest(method: "GET", url: settings.target.url))
            round.httpMilliseconds = (time.monotonicNow() - httpStart) * 1000
            round.status = response.status
            round.label = settings.matcher.label(for: response, address: address)
        } catch {
            round.errorKind = switch transport?.lastFailure {
            case .connect?: .httpConnect
            case .timeout?: .httpTimeout
            case .tls?: .httpTLS
            default: .httpError
            }
            // libcurl's detail ("Failed to connect to ... port 8080 after 0 ms: Couldn't connect to
            // server") says it all; the transport's advice is written for Route53.
            round.errorMessage = error.cause.map { cause in
                cause.range(of: ": ").map { String(cause[$0.upperBound...]) } ?? cause
            } ?? error.message
        }
        round.state = settings.health.state(status: round.status)
        return round
    }
}
