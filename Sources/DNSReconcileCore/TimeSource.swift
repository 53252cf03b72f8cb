#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Time as a parameter: everything that reads the time or waits does it through this, so tests
/// use a manual source and assert the requested sleeps instead of measuring wall time.
public protocol TimeSource: AnyObject {
    /// Seconds since the Unix epoch.
    func now() -> Double
    func sleep(seconds: Double)
    /// Seconds on a clock that never jumps (NTP steps, manual changes), from an arbitrary start:
    /// what durations are measured with.
    func monotonicNow() -> Double
}

extension TimeSource {
    /// For sources that never jump (a manual clock in tests), `now()` serves as both clocks.
    public func monotonicNow() -> Double { now() }
}

/// The real clock.
public final class SystemTimeSource: TimeSource {
    public init() {}

    public func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    public func monotonicNow() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    public func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 { request = remaining }
    }
}
