/// Decides whether a round is up, down or neutral from `--up-code` and `--down-code`.
///
/// | given             | up                   | down                      | neutral        |
/// |-------------------|----------------------|---------------------------|----------------|
/// | neither           | 200-399              | every other status        | -              |
/// | `--up-code` only  | those codes          | every other status        | -              |
/// | `--down-code` only| every other status   | those codes               | -              |
/// | both              | `--up-code`          | `--down-code` (wins ties) | everything else|
///
/// A round without an HTTP response (DNS failure, connection error, timeout) is always down.
public struct ProbeHealthRule: Hashable, Sendable {
    public var upCodes: StatusCodeSet?
    public var downCodes: StatusCodeSet?

    public init(upCodes: StatusCodeSet? = nil, downCodes: StatusCodeSet? = nil) {
        self.upCodes = upCodes
        self.downCodes = downCodes
    }

    public func state(status: Int?) -> ProbeState {
        guard let status else { return .down }
        switch (upCodes, downCodes) {
        case (nil, nil): return StatusCodeSet.success.contains(status) ? .up : .down
        case (let up?, nil): return up.contains(status) ? .up : .down
        case (nil, let down?): return down.contains(status) ? .down : .up
        case (let up?, let down?):
            if down.contains(status) { return .down }
            return up.contains(status) ? .up : .neutral
        }
    }
}
