import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing
@testable import DNSReconcileCLI

/// `--jitter` / `DNSRECONCILE_JITTER`: a random wait through the time source before the pass.
@Suite struct JitterTests {
    /// Runs `plan` over an empty config dir with a manual clock; returns the status and the
    /// clock's sleeps.
    static func plan(_ arguments: [String], environment: [String: String] = [:], random: Double = 0.25)
        throws -> (status: Int32, sleeps: [Double], log: [String]) {
        let dir = NSTemporaryDirectory() + "dnsreconcile-jitter-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/conf.d", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let time = ManualTimeSource()
        var context = ProcessContext(environment: environment, time: time, print: { _ in }, providerFactory: nil)
        context.random = { random }
        let log = LogCapture()
        let status = PassInvocation(mode: .plan, config: try ConfigOptions.parse(["--config-dir", dir + "/conf.d"]),
                                    options: try PassOptions.parse(arguments), context: context,
                                    logger: log.logger()).execute()
        return (status, time.sleeps, log.lines)
    }

    @Test func waitsARandomShareOfTheJitterBeforeStarting() throws {
        let result = try Self.plan(["--jitter", "2m"])
        #expect(result.status == 0)
        #expect(result.sleeps == [30])
        #expect(result.log.contains { $0.contains("waiting 30.00 s (random start-up jitter up to 120.00 s)") }, "\(result.log)")
    }

    @Test func environmentGivesTheDefaultAndTheOptionOverridesIt() throws {
        #expect(try Self.plan([], environment: ["DNSRECONCILE_JITTER": "40s"]).sleeps == [10])
        #expect(try Self.plan(["--jitter", "0"], environment: ["DNSRECONCILE_JITTER": "40s"]).sleeps.isEmpty)
        #expect(try Self.plan([]).sleeps.isEmpty, "no jitter by default")
    }

    @Test func invalidEnvironmentValueIsAUsageError() throws {
        let result = try Self.plan([], environment: ["DNSRECONCILE_JITTER": "soon"])
        #expect(result.status == 64)
        #expect(result.sleeps.isEmpty)
        #expect(result.log.contains { $0.contains("DNSRECONCILE_JITTER='soon' is not a duration") })
    }

    @Test(arguments: [("0", 0.0), ("0s", 0), ("90", 90), ("1m30s", 90), ("0.5s", 0.5)])
    func jitterValues(_ text: String, _ seconds: Double) {
        #expect(JitterArgument(argument: text)?.seconds == seconds)
    }

    @Test(arguments: ["-1", "soon", "", "5x"])
    func invalidJitterValues(_ text: String) {
        #expect(JitterArgument(argument: text) == nil)
    }
}
