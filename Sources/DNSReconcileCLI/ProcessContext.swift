import DNSReconcileCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a command takes from the process: environment, clock, standard output and the way to
/// reach Route53. Tests replace the parts they need.
struct ProcessContext {
    var environment: [String: String]
    var time: TimeSource
    /// Writes to standard output (the plan, check-config's summary, the version).
    var print: (String) -> Void
    /// Builds the Route53 client of one account; nil: the real libcurl client.
    var providerFactory: ProviderPool.Factory?
    /// A number in [0, 1) per call, for the start-up jitter; tests pass a fixed one.
    var random: () -> Double = { Double.random(in: 0..<1) }

    static func live() -> ProcessContext {
        ProcessContext(environment: currentEnvironment(), time: SystemTimeSource(), print: writeStandardOutput,
                       providerFactory: nil)
    }

    var homeDirectory: String? {
        if let home = environment["HOME"], !home.isEmpty { return home }
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
        return String(cString: directory)
    }

    static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }

    static func writeStandardOutput(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
