import DNSReconcileCore
import Foundation
import Testing

/// `dnsreconcile probe` as users run it: the built binary against a real BIND on loopback and
/// two web servers on 127.0.0.2 ("RKE2") and 127.0.0.3 ("K3s"), the two clusters behind one name.
///
/// Serialized: the failover drills measure down windows in wall time and should not compete
/// with each other for the CPU. Every server is stopped on every path (`defer`), and each one
/// also exits by itself if the test process dies.
@Suite(.serialized) struct ProbeEndToEndTests {
    static let records = """
        app      IN A 127.0.0.2
        app      IN A 127.0.0.3
        solo     IN A 127.0.0.2
        failover IN A 127.0.0.2
        secure   IN A 127.0.0.2
        """

    @Test func perClusterShareThroughTheGivenResolver() throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        // A second resolver that knows only the K3s address: answers must never come from it.
        let other = try BINDServer(records: "app IN A 127.0.0.3")
        defer { other.stop() }
        let rke2 = try PageServer(address: "127.0.0.2", text: "Welcome to RKE2")
        defer { rke2.stop() }
        let k3s = try PageServer(address: "127.0.0.3", port: rke2.port, text: "Welcome to K3s")
        defer { k3s.stop() }
        let log = NSTemporaryDirectory() + "dnsreconcile-probe-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }

        let result = try ProbeChild.run([
            "http://app.example.test:\(rke2.port)/", "--resolver", bind.resolver, "--count", "20", "--interval", "0.05s",
            "--match", "RKE2=rke2", "--match", "K3s=k3s", "--output", "json", "--log", log,
        ])
        #expect(result.status == 0, "\(result)")
        let summary = try json(result.stdout)
        #expect(summary["format"] as? Int == 1)
        #expect(summary["rounds"] as? Int == 20 && summary["answered"] as? Int == 20)
        let clusters = try #require(summary["clusters"] as? [[String: Any]])
        #expect(Set(clusters.compactMap { $0["label"] as? String }) == ["RKE2", "K3s"], "\(result)")
        #expect(clusters.compactMap { $0["count"] as? Int }.reduce(0, +) == 20)
        #expect(abs(clusters.compactMap { ($0["percent"] as? NSNumber)?.doubleValue }.reduce(0, +) - 100) < 0.05)
        let probe = try #require(summary["probe"] as? [String: Any])
        #expect(probe["resolver"] as? String == bind.resolver && probe["type"] as? String == "A")
        #expect(probe["name"] as? String == "app.example.test" && probe["watch"] as? Bool == false)
        for key in ["dns_ms", "http_ms"] {
            let timing = try #require(summary[key] as? [String: Any], "\(key)")
            #expect(Set(timing.keys) == ["count", "average", "median", "p95", "min", "max"])
            #expect(timing["count"] as? Int == 20)
        }
        #expect(summary["statuses"] as? [String: Int] == ["200": 20])
        #expect((summary["errors"] as? [String: Any])?.isEmpty == true)
        #expect((summary["down"] as? [String: Any])?["events"] as? Int == 0)

        // Every round asked the given resolver itself (no cache), and the other one never.
        #expect(bind.queries("app.example.test") == 20)
        #expect(other.queries("app.example.test") == 0)
        // Each round's label is the page of the address that round was sent to.
        let lines = ProbeChild.logLines(log)
        #expect(lines.count == 20)
        for line in lines {
            let expected = line["address"] as? String == "127.0.0.2" ? "RKE2" : "K3s"
            #expect(line["label"] as? String == expected, "\(line)")
            #expect(Set(line["addresses"] as? [String] ?? []) == ["127.0.0.2", "127.0.0.3"])
            #expect(line["state"] as? String == "up" && line["status"] as? Int == 200 && line["rcode"] as? String == "NOERROR")
            #expect(line["dns_ms"] is NSNumber && line["http_ms"] is NSNumber && line["time"] is String)
        }

        // Through the other resolver the same name is K3s only.
        let second = try ProbeChild.run([
            "http://app.example.test:\(rke2.port)/", "--resolver", other.resolver, "--count", "3", "--interval", "0.05s",
            "--match", "RKE2=rke2", "--match", "K3s=k3s", "--output", "json",
        ])
        #expect(second.status == 0, "\(second)")
        let clustersViaOther = try #require(try json(second.stdout)["clusters"] as? [[String: Any]])
        #expect(clustersViaOther.count == 1 && clustersViaOther.first?["label"] as? String == "K3s")
        #expect(other.queries("app.example.test") == 3 && bind.queries("app.example.test") == 20)
    }

    @Test func textOutputCarriesTheNameAsHostHeader() throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        let rke2 = try PageServer(address: "127.0.0.2", text: "RKE2")
        defer { rke2.stop() }
        // The label can only match if the request said Host: solo.example.test:PORT, not the address.
        let result = try ProbeChild.run([
            "http://solo.example.test:\(rke2.port)/status",
            "--resolver", bind.resolver, "--count", "3", "--interval", "0.05s",
            "--match", "named-host=X-Seen-Host: solo\\.example\\.test:\(rke2.port)$",
        ])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "PROBE http://solo.example.test:\(rke2.port)/status: A solo.example.test via "
                    + "\(bind.resolver), every 0.05 s, 3 rounds")
        let rounds = lines.filter { $0.hasPrefix("#") }
        #expect(rounds.count == 3)
        #expect(rounds.allSatisfy { $0.contains("127.0.0.2  http ") && $0.hasSuffix(" 200  named-host  up") }, "\(result)")
        #expect(result.stdout.contains("\nclusters  named-host  3  100.0%\n"), "\(result)")
        #expect(result.stdout.contains("\nanswered  3 of 3\n") && result.stdout.contains("\nerrors    none\n"))
    }

    @Test func httpsGoesToTheAnsweredAddressWithTheNameAsSNI() throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        let directory = NSTemporaryDirectory() + "dnsreconcile-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (ca, files) = try PageServer.makeCertificate(for: "secure.example.test", in: directory)
        let server = try PageServer(address: "127.0.0.2", text: "RKE2", tls: files)
        defer { server.stop() }
        let url = "https://secure.example.test:\(server.port)/"

        let trusted = try ProbeChild.run([url, "--resolver", bind.resolver, "--count", "2", "--interval", "0.05s",
                                          "--ca-bundle", ca, "--match", "sni=X-Seen-SNI: secure\\.example\\.test",
                                          "--output", "json"])
        #expect(trusted.status == 0, "\(trusted)")
        let clusters = try #require(try json(trusted.stdout)["clusters"] as? [[String: Any]])
        #expect(clusters.first?["label"] as? String == "sni" && clusters.first?["count"] as? Int == 2, "\(trusted)")

        // Without the test CA the certificate does not verify: a TLS error, and nothing answered.
        let untrusted = try ProbeChild.run([url, "--resolver", bind.resolver, "--count", "1", "--output", "json"])
        #expect(untrusted.status == 1, "\(untrusted)")
        #expect(try json(untrusted.stdout)["errors"] as? [String: Int] == ["http_tls": 1])
    }

    @Test func nothingAnsweredExitsWith1() throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        let deadPort = ExternalTools.freePort()
        for (arguments, kind) in [
            (["solo.example.test", "--resolver", "127.0.0.1:\(deadPort)"], "dns_unreachable"),
            (["www.example.org", "--resolver", bind.resolver], "dns_refused"),
            (["nope.example.test", "--resolver", bind.resolver], "dns_nxdomain"),
            (["solo.example.test", "--resolver", bind.resolver, "--type", "AAAA"], "dns_no_address"),
            // The name resolves, but no web server listens on 127.0.0.2:deadPort.
            (["http://solo.example.test:\(deadPort)/", "--resolver", bind.resolver], "http_connect"),
        ] {
            let result = try ProbeChild.run(arguments + ["--count", "2", "--interval", "0.05s", "--output", "json"])
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stderr.contains("nothing answered in 2 rounds (\(kind) 2)"), "\(arguments): \(result)")
            let summary = try json(result.stdout)
            #expect(summary["answered"] as? Int == 0 && summary["errors"] as? [String: Int] == [kind: 2], "\(arguments)")
        }
    }

    @Test func usageErrorsExitWith64BeforeAnyQuery() throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        let log = NSTemporaryDirectory() + "no-such-dir-\(UUID().uuidString)/probe.log"
        for arguments in [
            ["solo.example.test", "--resolver", bind.resolver, "--match", "K3s=("],
            ["solo.example.test", "--resolver", bind.resolver, "--log", log],
        ] {
            let result = try ProbeChild.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result)")
        }
        #expect(bind.queries("solo.example.test") == 0)
    }

    @Test(.enabled(if: BINDServer.hasIPv6Loopback, "this machine has no IPv6 loopback"))
    func ipv6ResolverAndAAAATarget() throws {
        let bind = try BINDServer(records: "v6 IN AAAA ::1", ipv6: true)
        defer { bind.stop() }
        let page = try PageServer(address: "::1", text: "RKE2")
        defer { page.stop() }
        let result = try ProbeChild.run([
            "http://v6.example.test:\(page.port)/", "--resolver", bind.resolverIPv6, "--type", "AAAA", "--count", "2",
            "--interval", "0.05s", "--match", "RKE2=rke2", "--output", "json",
        ])
        #expect(result.status == 0, "\(result)")
        let summary = try json(result.stdout)
        #expect((summary["probe"] as? [String: Any])?["resolver"] as? String == bind.resolverIPv6)
        #expect((summary["probe"] as? [String: Any])?["type"] as? String == "AAAA")
        #expect((summary["clusters"] as? [[String: Any]])?.first?["label"] as? String == "RKE2", "\(result)")
        #expect(bind.queries("v6.example.test", "AAAA") == 2)
    }

    /// The drill of the issue: poll, take the only server of a name away for a few seconds,
    /// bring it back, stop the probe with Ctrl-C; one window of about that length is reported.
    @Test func watchDetectsADownWindowWhileTheServerIsStopped() throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        let rke2 = try PageServer(address: "127.0.0.2", text: "RKE2")
        defer { rke2.stop() }
        let log = NSTemporaryDirectory() + "dnsreconcile-probe-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let interval = 0.2
        let probe = try ProbeChild([
            "http://solo.example.test:\(rke2.port)/", "--resolver", bind.resolver, "--watch", "--interval", "\(interval)s",
            "--timeout", "1s", "--match", "RKE2=rke2", "--output", "json", "--log", log,
        ])
        try ProbeChild.waitFor("3 rounds") { ProbeChild.logLines(log).count >= 3 }

        let stoppedAt = Date()
        rke2.stop()
        Thread.sleep(forTimeInterval: 2.5)
        try rke2.start()
        let outage = Date().timeIntervalSince(stoppedAt)
        let roundsBefore = ProbeChild.logLines(log).count
        try ProbeChild.waitFor("3 rounds after the restart") {
            let lines = ProbeChild.logLines(log)
            return lines.count >= roundsBefore + 3 && lines.suffix(3).allSatisfy { $0["state"] as? String == "up" }
        }
        probe.interrupt()
        let result = try probe.wait(timeout: 10)

        #expect(result.status == 0, "\(result)")
        let summary = try json(result.stdout)
        #expect(summary["interrupted"] as? Bool == true)
        let down = try #require(summary["down"] as? [String: Any])
        #expect(down["events"] as? Int == 1, "\(result)")
        let window = try #require((down["windows"] as? [[String: Any]])?.first)
        let duration = try #require((window["duration_seconds"] as? NSNumber)?.doubleValue)
        // The window runs from the first refused round to the first served one; each end is
        // off by at most one interval, plus process start-up on a busy machine.
        #expect(abs(duration - outage) <= 2 * interval + 0.5, "window \(duration) s, outage \(outage) s")
        #expect((down["mean_seconds"] as? NSNumber)?.doubleValue == duration)
        #expect(window["open"] as? Bool == false && window["cause"] as? String == "http_connect")
        #expect((window["failed_rounds"] as? Int ?? 0) >= Int(2.5 / interval) - 2, "\(window)")
        #expect(window["address_before"] as? String == "127.0.0.2" && window["address_after"] as? String == "127.0.0.2")
        let errors = try #require(summary["errors"] as? [String: Int])
        #expect(errors["http_connect"] == window["failed_rounds"] as? Int)
        // The log has every round, the summary counted them all.
        #expect(ProbeChild.logLines(log).count == summary["rounds"] as? Int)
    }

    /// A failover: the RKE2 server dies, and a few seconds later DNS is repointed at K3s (an
    /// RFC 2136 update, as Route53 failover would switch the answer). The window ends with the
    /// first round served by K3s, and the text summary names both addresses.
    @Test func failoverDrillReportsTheAddressesBeforeAndAfter() throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        let rke2 = try PageServer(address: "127.0.0.2", text: "RKE2")
        defer { rke2.stop() }
        let k3s = try PageServer(address: "127.0.0.3", port: rke2.port, text: "K3s")
        defer { k3s.stop() }
        let log = NSTemporaryDirectory() + "dnsreconcile-probe-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let probe = try ProbeChild([
            "http://failover.example.test:\(rke2.port)/", "--resolver", bind.resolver, "--watch", "--interval", "0.2s",
            "--timeout", "1s", "--match", "RKE2=rke2", "--match", "K3s=k3s", "--log", log,
        ])
        try ProbeChild.waitFor("3 rounds") { ProbeChild.logLines(log).count >= 3 }
        let stoppedAt = Date()
        rke2.stop()
        Thread.sleep(forTimeInterval: 2)
        try bind.repoint("failover.example.test", to: "127.0.0.3")
        let outage = Date().timeIntervalSince(stoppedAt)
        try ProbeChild.waitFor("3 rounds served by K3s") {
            ProbeChild.logLines(log).suffix(3).allSatisfy { $0["label"] as? String == "K3s" }
        }
        probe.interrupt()
        let result = try probe.wait(timeout: 10)

        #expect(result.status == 0, "\(result)")
        let text = result.stdout
        #expect(text.contains(", interrupted ---\n"), "\(result)")
        #expect(text.contains("\ndown      1 event, mean downtime "), "\(result)")
        let windowLine = try #require(text.split(separator: "\n").first { $0.contains("1. +") }, "\(result)")
        #expect(windowLine.hasSuffix("http_connect  127.0.0.2 -> 127.0.0.3"), "\(windowLine)")
        #expect(text.contains(" RKE2 ") && text.contains(" K3s "))
        let lines = ProbeChild.logLines(log)
        let firstDown = try #require(lines.first { $0["state"] as? String == "down" })
        let firstBack = try #require(lines.first { $0["label"] as? String == "K3s" })
        let measured = try #require((firstBack["offset_seconds"] as? NSNumber)?.doubleValue)
            - ((firstDown["offset_seconds"] as? NSNumber)?.doubleValue ?? 0)
        #expect(abs(measured - outage) <= 2 * 0.2 + 0.5, "window \(measured) s, outage \(outage) s")
    }
}

/// The JSON object `text` holds.
private func json(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any], "not a JSON object: \(text)")
}
