/// A stretch of rounds during which the target was down, as a failover drill reports it.
public struct DownWindow: Hashable, Sendable {
    /// Offset of the first down round (seconds since the probe began).
    public var start: Double
    /// Offset of the first up round after it; nil when the probe ended while still down.
    public var end: Double?
    /// Offset of the last down round.
    public var lastDown: Double
    /// Down rounds in the window (neutral ones are not counted).
    public var failedRounds: Int
    /// The address of the last up round before the window; nil when the probe started down.
    public var addressBefore: String?
    /// The address of the up round that ended it.
    public var addressAfter: String?
    /// Why the first round of the window was down: an error kind or `HTTP <status>`.
    public var cause: String

    public init(start: Double, end: Double?, lastDown: Double, failedRounds: Int, addressBefore: String?,
                addressAfter: String?, cause: String) {
        self.start = start
        self.end = end
        self.lastDown = lastDown
        self.failedRounds = failedRounds
        self.addressBefore = addressBefore
        self.addressAfter = addressAfter
        self.cause = cause
    }

    public var isOpen: Bool { end == nil }

    /// From the first down round to the first up round after it. The true outage is within one
    /// `--interval` of this on either side; an open window counts up to its last down round.
    public var duration: Double { (end ?? lastDown) - start }

    /// The windows of `rounds` (in round order): a window opens at a down round that follows an
    /// up round (or starts the probe) and closes at the next up round. Neutral rounds leave the
    /// state as it was.
    public static func detect(in rounds: [ProbeRound]) -> [DownWindow] {
        var windows: [DownWindow] = []
        var current: DownWindow?
        var lastUpAddress: String?
        for round in rounds {
            switch round.state {
            case .down:
                if current == nil {
                    current = DownWindow(start: round.offset, end: nil, lastDown: round.offset, failedRounds: 0,
                                         addressBefore: lastUpAddress, addressAfter: nil,
                                         cause: round.errorKind?.rawValue ?? round.status.map { "HTTP \($0)" } ?? "unknown")
                }
                current?.failedRounds += 1
                current?.lastDown = round.offset
            case .up:
                if var window = current {
                    window.end = round.offset
                    window.addressAfter = round.address
                    windows.append(window)
                    current = nil
                }
                lastUpAddress = round.address
            case .neutral:
                break
            }
        }
        if let current { windows.append(current) }
        return windows
    }
}
