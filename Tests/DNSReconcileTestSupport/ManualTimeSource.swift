import DNSReconcileCore

/// A clock that only moves when told to; `sleep` advances it and records the request.
public final class ManualTimeSource: TimeSource {
    public private(set) var current: Double
    public private(set) var sleeps: [Double] = []

    public init(start: Double = 1_700_000_000) { current = start }

    public func now() -> Double { current }

    public func sleep(seconds: Double) {
        sleeps.append(seconds)
        if seconds > 0 { current += seconds }
    }

    public func advance(by seconds: Double) { current += seconds }
}
