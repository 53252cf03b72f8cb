import ArgumentParser
import DNSReconcileCore
import Foundation
import Testing
@testable import DNSReconcileCLI

/// `dnsreconcile probe` on the command line: defaults, every option, usage errors (64), help.
@Suite struct ProbeCommandTests {
    @Test func defaults() throws {
        let probe = try #require(try DNSReconcileCommand.parseAsRoot(["probe", "app.example.com"]) as? ProbeCommand)
        let settings = try probe.settings(resolvConf: "nameserver 192.0.2.53\n")
        #expect(settings.target.url == "http://app.example.com/")
        #expect(settings.resolver.description == "192.0.2.53:53")
        #expect(settings.count == 10 && settings.interval == 1 && settings.timeout == 5 && settings.type == .a)
        #expect(settings.matcher.rules.isEmpty && settings.health == ProbeHealthRule())
        #expect(probe.output == .text && probe.log == nil && !probe.watch)
    }

    @Test func noResolvConfMeansTheLocalMachine() throws {
        let probe = try #require(try DNSReconcileCommand.parseAsRoot(["probe", "app.example.com"]) as? ProbeCommand)
        #expect(try probe.settings(resolvConf: nil).resolver.description == "127.0.0.1:53")
        #expect(try probe.settings(resolvConf: "search example.com\n").resolver.description == "127.0.0.1:53")
    }

    @Test func everyOption() throws {
        let probe = try #require(try DNSReconcileCommand.parseAsRoot([
            "probe", "https://app.example.com:8443/healthz", "--resolver", "[2001:db8::53]:5353", "--count", "3",
            "--interval", "0.5s", "--timeout", "2s", "--type", "aaaa", "--match", "RKE2=rke2", "--match", "K3s=k3s",
            "--watch", "--up-code", "2xx", "--down-code", "500-599,404", "--output", "json", "--log", "/tmp/p.log",
            "--ca-bundle", "/tmp/ca.pem",
        ]) as? ProbeCommand)
        let settings = try probe.settings(resolvConf: "nameserver 192.0.2.53\n")
        #expect(settings.target.host == "app.example.com" && settings.target.port == 8443)
        #expect(settings.resolver.description == "[2001:db8::53]:5353")
        #expect(settings.count == 3 && settings.interval == 0.5 && settings.timeout == 2 && settings.type == .aaaa)
        #expect(settings.matcher.rules.map(\.label) == ["RKE2", "K3s"])
        #expect(settings.health.upCodes?.description == "2xx" && settings.health.downCodes?.description == "5xx,404")
        #expect(settings.caBundle == "/tmp/ca.pem")
        #expect(probe.watch && probe.output == .json && probe.log == "/tmp/p.log")
    }

    @Test func watchRunsUntilStoppedUnlessCounted() throws {
        let watch = try #require(try DNSReconcileCommand.parseAsRoot(["probe", "a.example", "--watch"]) as? ProbeCommand)
        #expect(try watch.settings(resolvConf: nil).count == nil)
        let counted = try #require(try DNSReconcileCommand.parseAsRoot(["probe", "a.example", "--watch", "--count", "4"])
            as? ProbeCommand)
        #expect(try counted.settings(resolvConf: nil).count == 4)
    }

    @Test(arguments: [
        ["probe"], ["probe", "ftp://a.example/"], ["probe", "http://192.0.2.1/"], ["probe", "a.example", "--resolver", "dns.google"],
        ["probe", "a.example", "--count", "0"], ["probe", "a.example", "--interval", "0"], ["probe", "a.example", "--type", "MX"],
        ["probe", "a.example", "--match", "RKE2"], ["probe", "a.example", "--match", "RKE2=("],
        ["probe", "a.example", "--up-code", "2x"], ["probe", "a.example", "--down-code", "700"],
        ["probe", "a.example", "--output", "yaml"], ["probe", "a..example"],
    ])
    func usageErrorsExitWith64(arguments: [String]) {
        do {
            _ = try DNSReconcileCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(DNSReconcileCommand.exitCode(for: error).rawValue == 64, "\(arguments)")
        }
    }

    @Test func usageErrorNamesTheProblem() {
        do {
            _ = try DNSReconcileCommand.parseAsRoot(["probe", "a.example", "--match", "K3s=("])
            Issue.record("parsed")
        } catch {
            #expect(DNSReconcileCommand.message(for: error).contains("--match K3s=(: ( is not a valid regular expression"))
        }
    }

    /// `--help` is user-facing text: a change must be deliberate.
    @Test func helpSnapshot() throws {
        let actual = DNSReconcileCommand.helpMessage(for: ProbeCommand.self, columns: 100) + "\n"
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let expected = (try? String(contentsOf: fixtures.appendingPathComponent("help-probe.txt"), encoding: .utf8)) ?? ""
        #expect(actual == expected, """
            `dnsreconcile probe --help` changed. If that is intended, regenerate the snapshot:
              swift build && COLUMNS=100 .build/debug/dnsreconcile probe --help \
            > Tests/DNSReconcileCLITests/Fixtures/help-probe.txt
            --- actual ---
            \(actual)
            """)
    }

    /// man/dnsreconcile-probe.8 documents every option `--help` lists and passes mandoc's lint.
    @Test func manPageCoversEveryOptionAndLints() throws {
        let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("man/dnsreconcile-probe.8").path
        let text = try String(contentsOfFile: page, encoding: .utf8)
        let help = DNSReconcileCommand.helpMessage(for: ProbeCommand.self, columns: 100)
        let options = help.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("--"), !trimmed.hasPrefix("--help") else { return nil }
            return String(trimmed.dropFirst(2).prefix { $0.isLetter || $0 == "-" })
        }
        #expect(options.count == 13)
        for option in options {
            let mdoc = ".It Fl \\-" + option.replacingOccurrences(of: "-", with: "\\-")
            #expect(text.contains(mdoc), "the man page does not document --\(option) (\(mdoc))")
        }
        let mandoc = try #require(ExternalTools.which("mandoc"), "mandoc is not installed: apt-get install mandoc")
        let (status, output) = try ExternalTools.run(mandoc, ["-Tlint", "-W", "warning", page])
        #expect(status == 0 && output.isEmpty, "mandoc -Tlint -W warning \(page):\n\(output)")
    }
}
