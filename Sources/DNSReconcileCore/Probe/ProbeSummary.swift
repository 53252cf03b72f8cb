/// The result of a probe: timings, the share of each cluster, failures and down windows.
///
/// Built from plain round values, no clock or I/O, so every number is table-testable.
public struct ProbeSummary: Hashable, Sendable {
    public var probe: ProbeDescription
    public var rounds: Int
    /// Rounds that got an HTTP response, whatever its status.
    public var answered: Int
    /// Over the rounds that got a DNS response (an NXDOMAIN is a response).
    public var dns: LatencyStatistics?
    /// Over the answered rounds.
    public var http: LatencyStatistics?
    /// Answered rounds per label, most first (ties by label), percent of the answered rounds.
    public var clusters: [ClusterShare]
    /// Answered rounds per status.
    public var statuses: [Int: Int]
    /// Rounds without an HTTP response per reason.
    public var errors: [ProbeErrorKind: Int]
    public var windows: [DownWindow]
    /// Ended by SIGINT/SIGTERM rather than by `--count`.
    public var interrupted: Bool

    public init(probe: ProbeDescription, rounds: [ProbeRound], interrupted: Bool = false) {
        self.probe = probe
        self.rounds = rounds.count
        self.interrupted = interrupted
        let answeredRounds = rounds.filter(\.answered)
        answered = answeredRounds.count
        dns = LatencyStatistics(rounds.compactMap(\.dnsMilliseconds))
        http = LatencyStatistics(answeredRounds.compactMap(\.httpMilliseconds))

        var perLabel: [String: Int] = [:]
        for round in answeredRounds { perLabel[round.label ?? round.address ?? "?", default: 0] += 1 }
        let answered = answered
        clusters = perLabel.map { ClusterShare(label: $0.key, count: $0.value, percent: 100 * Double($0.value) / Double(answered)) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }

        var statuses: [Int: Int] = [:]
        for round in answeredRounds { statuses[round.status!, default: 0] += 1 }
        self.statuses = statuses

        var errors: [ProbeErrorKind: Int] = [:]
        for round in rounds where !round.answered { errors[round.errorKind ?? .httpError, default: 0] += 1 }
        self.errors = errors

        windows = DownWindow.detect(in: rounds)
    }

    /// Windows that ended with an up round; open ones have no known length.
    public var closedWindows: [DownWindow] { windows.filter { !$0.isOpen } }

    /// Mean duration of the closed windows; nil without one.
    public var meanDowntime: Double? {
        let closed = closedWindows
        guard !closed.isEmpty else { return nil }
        return closed.reduce(0) { $0 + $1.duration } / Double(closed.count)
    }

    /// Sum of every window's duration, open ones included.
    public var totalDowntime: Double { windows.reduce(0) { $0 + $1.duration } }

    /// The statuses in ascending order.
    public var statusCounts: [(status: Int, count: Int)] {
        statuses.sorted { $0.key < $1.key }.map { (status: $0.key, count: $0.value) }
    }

    /// The error kinds, most frequent first (ties by name).
    public var errorCounts: [(kind: ProbeErrorKind, count: Int)] {
        errors.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { (kind: $0.key, count: $0.value) }
    }
}
