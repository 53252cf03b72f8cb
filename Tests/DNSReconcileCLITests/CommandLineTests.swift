import ArgumentParser
import Foundation
import Testing
@testable import DNSReconcileCLI

@Suite struct CommandLineTests {
    @Test func runIsTheDefaultSubcommand() throws {
        let command = try DNSReconcileCommand.parseAsRoot(["--dry-run", "--cluster", "a", "--cluster", "b"])
        let run = try #require(command as? RunCommand)
        #expect(run.dryRun)
        #expect(run.config.clusters == ["a", "b"])
        #expect(run.pass.output == .text)
        #expect(run.log.logFormat == .text && run.log.logLevel == .info)
    }

    @Test func everyPassOptionParses() throws {
        let command = try DNSReconcileCommand.parseAsRoot([
            "plan", "--config", "/x.ini", "--config-dir", "/a", "--config-dir", "/b", "--force", "--metrics-dir", "/m",
            "--lock-file", "/l", "--deadline", "90s", "--output", "json", "--log-format", "json", "--log-level", "debug",
        ])
        let plan = try #require(command as? PlanCommand)
        #expect(plan.config.config == "/x.ini")
        #expect(plan.config.configDirs == ["/a", "/b"])
        #expect(plan.pass.force && plan.pass.metricsDir == "/m" && plan.pass.lockFile == "/l")
        #expect(plan.pass.deadline?.seconds == 90)
        #expect(plan.pass.output == .json && plan.log.logFormat == .json && plan.log.logLevel == .debug)
    }

    @Test(arguments: [
        ["run", "--bogus"], ["plan", "--output", "yaml"], ["run", "--deadline", "soon"], ["plan", "--dry-run"],
        ["check-config", "--force"], ["run", "--log-level", "loud"],
    ])
    func usageErrorsExitWith64(arguments: [String]) {
        do {
            _ = try DNSReconcileCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(DNSReconcileCommand.exitCode(for: error).rawValue == 64, "\(arguments)")
        }
    }

    @Test(arguments: [
        ("90", 90.0), ("90s", 90), ("5m", 300), ("1h", 3600), ("1h30m", 5400), ("0.5s", 0.5),
    ])
    func durations(text: String, seconds: Double) {
        #expect(DurationArgument(argument: text)?.seconds == seconds)
    }

    @Test(arguments: ["", "m", "5x", "1m30", "-5s", "0", "0s"])
    func invalidDurations(text: String) {
        #expect(DurationArgument(argument: text) == nil)
    }

    /// `--help` is user-facing text: a change must be deliberate.
    @Test(arguments: ["run", "plan", "check-config"])
    func helpSnapshot(subcommand: String) throws {
        let type: ParsableCommand.Type = switch subcommand {
        case "run": RunCommand.self
        case "plan": PlanCommand.self
        default: CheckConfigCommand.self
        }
        let actual = DNSReconcileCommand.helpMessage(for: type, columns: 100) + "\n"
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let file = fixtures.appendingPathComponent("help-\(subcommand).txt")
        let expected = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        #expect(actual == expected, """
            `dnsreconcile \(subcommand) --help` changed. If that is intended, regenerate the snapshot:
              swift build && COLUMNS=100 .build/debug/dnsreconcile \(subcommand) --help \
            > Tests/DNSReconcileCLITests/Fixtures/help-\(subcommand).txt
            --- actual ---
            \(actual)
            """)
    }
}
