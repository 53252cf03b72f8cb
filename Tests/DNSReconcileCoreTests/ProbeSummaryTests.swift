import Testing
@testable import DNSReconcileCore

/// The pure half of `probe`: percentiles, cluster shares, error tallies and down windows from
/// plain round values, and how the summary and a round print.
@Suite struct ProbeSummaryTests {
    // MARK: - Percentiles

    @Test(arguments: [
        // id, samples, average, median, p95
        ("one", [5.0], 5.0, 5.0, 5.0),
        ("even count", [4.0, 1, 3, 2], 2.5, 2.5, 4.0),
        ("odd count", [9.0, 1, 5], 5.0, 5.0, 9.0),
        ("twenty: p95 is the 19th", (1...20).map(Double.init), 10.5, 10.5, 19.0),
        ("hundred: p95 is the 95th", (1...100).reversed().map(Double.init), 50.5, 50.5, 95.0),
        ("outlier", [1.0, 1, 1, 1, 1, 1, 1, 1, 1, 100], 10.9, 1.0, 100.0),
    ] as [(String, [Double], Double, Double, Double)])
    func latency(id: String, samples: [Double], average: Double, median: Double, p95: Double) throws {
        let stats = try #require(LatencyStatistics(samples))
        #expect(abs(stats.average - average) < 1e-9)
        #expect(stats.median == median && stats.p95 == p95 && stats.count == samples.count)
        #expect(stats.minimum == samples.min() && stats.maximum == samples.max())
    }

    @Test func noSamplesNoStatistics() {
        #expect(LatencyStatistics([]) == nil)
    }

    // MARK: - Shares and tallies

    @Test func sharesCountAnsweredRoundsOnly() {
        let rounds = [
            round(1, 0, label: "RKE2"), round(2, 1, label: "K3s"), round(3, 2, label: "RKE2"),
            round(4, 3, address: "127.0.0.3", label: "K3s", status: 503, state: .down),
            failed(5, 4, .httpConnect), failed(6, 5, .dnsTimeout), failed(7, 6, .httpConnect),
            round(8, 7, label: "127.0.0.9"),
        ]
        let summary = ProbeSummary(probe: probe, rounds: rounds)
        #expect(summary.rounds == 8 && summary.answered == 5)
        #expect(summary.clusters == [
            ClusterShare(label: "K3s", count: 2, percent: 40),
            ClusterShare(label: "RKE2", count: 2, percent: 40),
            ClusterShare(label: "127.0.0.9", count: 1, percent: 20),
        ])
        #expect(summary.clusters.map(\.count).reduce(0, +) == summary.answered)
        #expect(summary.statuses == [200: 4, 503: 1])
        #expect(summary.errorCounts.map(\.kind) == [.httpConnect, .dnsTimeout])
        #expect(summary.errors == [.httpConnect: 2, .dnsTimeout: 1])
        // DNS time of every round that got an answer (the timeout did not), HTTP of answered ones.
        #expect(summary.dns?.count == 7 && summary.http?.count == 5)
    }

    @Test func nothingAnswered() {
        let summary = ProbeSummary(probe: probe, rounds: [failed(1, 0, .dnsNXDomain), failed(2, 1, .dnsNXDomain)])
        #expect(summary.answered == 0 && summary.clusters.isEmpty && summary.http == nil)
        #expect(summary.errors == [.dnsNXDomain: 2])
    }

    // MARK: - Down windows

    @Test(arguments: [
        ("always up", "u u u u", []),
        ("one window, failover", "u d d u' u'",
         [DownWindow(start: 1, end: 3, lastDown: 2, failedRounds: 2, addressBefore: "127.0.0.2",
                     addressAfter: "127.0.0.3", cause: "http_connect")]),
        ("starts down", "d u",
         [DownWindow(start: 0, end: 1, lastDown: 0, failedRounds: 1, addressBefore: nil, addressAfter: "127.0.0.2",
                     cause: "http_connect")]),
        ("ends down", "u d d d",
         [DownWindow(start: 1, end: nil, lastDown: 3, failedRounds: 3, addressBefore: "127.0.0.2", addressAfter: nil,
                     cause: "http_connect")]),
        ("neutral inside does not close or count", "u d n d u",
         [DownWindow(start: 1, end: 4, lastDown: 3, failedRounds: 2, addressBefore: "127.0.0.2",
                     addressAfter: "127.0.0.2", cause: "http_connect")]),
        ("neutral between ups", "u n u", []),
        ("status cause", "u 5 d u",
         [DownWindow(start: 1, end: 3, lastDown: 2, failedRounds: 2, addressBefore: "127.0.0.2",
                     addressAfter: "127.0.0.2", cause: "HTTP 503")]),
        ("two windows", "u d u d d d u",
         [DownWindow(start: 1, end: 2, lastDown: 1, failedRounds: 1, addressBefore: "127.0.0.2",
                     addressAfter: "127.0.0.2", cause: "http_connect"),
          DownWindow(start: 3, end: 6, lastDown: 5, failedRounds: 3, addressBefore: "127.0.0.2",
                     addressAfter: "127.0.0.2", cause: "http_connect")]),
    ] as [(String, String, [DownWindow])])
    func windows(id: String, pattern: String, expected: [DownWindow]) {
        #expect(DownWindow.detect(in: rounds(pattern)) == expected)
    }

    @Test func meanAndTotalDowntime() {
        let summary = ProbeSummary(probe: probe, rounds: rounds("u d u d d d u d d"))
        #expect(summary.windows.count == 3)
        #expect(summary.closedWindows.map(\.duration) == [1, 3])
        #expect(summary.meanDowntime == 2)
        #expect(summary.totalDowntime == 5)   // 1 + 3 + the open one's 1
    }

    @Test func noClosedWindowNoMean() {
        #expect(ProbeSummary(probe: probe, rounds: rounds("u d d")).meanDowntime == nil)
    }

    // MARK: - Rendering

    @Test func textSummaryOfAWatch() {
        var probe = probe
        probe.watch = true
        let rounds = [
            round(1, 0, label: "RKE2", dns: 0.4, http: 2), round(2, 0.5, label: "K3s", dns: 0.6, http: 4),
            failed(3, 1, .httpConnect), failed(4, 1.5, .httpConnect),
            round(5, 2, address: "127.0.0.3", label: "K3s", dns: 0.5, http: 3),
        ]
        let text = ProbeSummary(probe: probe, rounds: rounds, interrupted: true).text
        #expect(text == """
            --- http://app.example.test:8080/: 5 rounds, A app.example.test via 127.0.0.1:5353, interrupted ---
            answered  3 of 5
            dns       avg 0.50 ms, median 0.50 ms, p95 0.60 ms (5)
            http      avg 3.00 ms, median 3.00 ms, p95 4.00 ms (3)
            clusters  K3s   2   66.7%
                      RKE2  1   33.3%
            statuses  200: 3
            errors    http_connect: 2
            down      1 event, mean downtime 1.00 s, total 1.00 s
                      1. +1.000s to +2.000s  1.00 s  2 failed rounds  http_connect  127.0.0.2 -> 127.0.0.3

            """)
    }

    @Test func textSummaryWithoutWatchHasNoDownSection() {
        let text = ProbeSummary(probe: probe, rounds: [failed(1, 0, .dnsTimeout)]).text
        #expect(text.contains("errors    dns_timeout: 1\n") && text.contains("clusters  -\n") && !text.contains("down"))
    }

    @Test func jsonSummary() {
        let rounds = [round(1, 0, label: "RKE2", dns: 0.4, http: 2), failed(2, 1, .httpConnect),
                      round(3, 2, label: "RKE2", dns: 0.6, http: 4)]
        let json = ProbeSummary(probe: probe, rounds: rounds).json
        #expect(json == """
            {
              "answered": 2,
              "clusters": [
                {
                  "count": 2,
                  "label": "RKE2",
                  "percent": 100
                }
              ],
              "dns_ms": {
                "average": 0.5,
                "count": 3,
                "max": 0.6,
                "median": 0.5,
                "min": 0.4,
                "p95": 0.6
              },
              "down": {
                "events": 1,
                "mean_seconds": 1,
                "total_seconds": 1,
                "windows": [
                  {
                    "address_after": "127.0.0.2",
                    "address_before": "127.0.0.2",
                    "cause": "http_connect",
                    "duration_seconds": 1,
                    "end_seconds": 2,
                    "failed_rounds": 1,
                    "open": false,
                    "start_seconds": 1
                  }
                ]
              },
              "errors": {
                "http_connect": 1
              },
              "format": 1,
              "http_ms": {
                "average": 3,
                "count": 2,
                "max": 4,
                "median": 3,
                "min": 2,
                "p95": 4
              },
              "interrupted": false,
              "probe": {
                "interval_seconds": 0.5,
                "name": "app.example.test",
                "resolver": "127.0.0.1:5353",
                "type": "A",
                "url": "http://app.example.test:8080/",
                "watch": false
              },
              "rounds": 3,
              "statuses": {
                "200": 2
              }
            }

            """)
    }

    @Test(arguments: [
        ("answered", round(3, 1.0005, addresses: ["127.0.0.2", "127.0.0.3"], label: "RKE2", dns: 0.412, http: 1.926),
         "#3    +1.001s  dns 0.41 ms udp  127.0.0.2 (1 of 2)  http 1.93 ms 200  RKE2  up"),
        ("refused", failed(12, 6, .httpConnect, message: "Failed to connect to app.example.test port 8080: Connection refused"),
         "#12   +6.000s  dns 0.50 ms udp  127.0.0.2  http_connect: Failed to connect to app.example.test port 8080: Connection refused  DOWN"),
        ("nxdomain", ProbeRound(index: 1, offset: 0, dnsMilliseconds: 0.3, dnsTransport: "udp", responseCode: .nameError,
                                errorKind: .dnsNXDomain, errorMessage: "127.0.0.1:5353 answered NXDOMAIN for x.test",
                                state: .down),
         "#1    +0.000s  dns 0.30 ms udp NXDOMAIN  dns_nxdomain: 127.0.0.1:5353 answered NXDOMAIN for x.test  DOWN"),
        ("timeout", ProbeRound(index: 2, offset: 1, errorKind: .dnsTimeout, errorMessage: "no DNS answer\nwithin 5 s",
                               state: .down),
         "#2    +1.000s  dns -  dns_timeout: no DNS answer | within 5 s  DOWN"),
    ] as [(String, ProbeRound, String)])
    func roundLines(id: String, round: ProbeRound, expected: String) {
        #expect(round.textLine == expected)
    }

    @Test func roundJSONLine() {
        var round = round(3, 1.25, addresses: ["127.0.0.2", "127.0.0.3"], label: "RKE2", dns: 0.41234, http: 1.9)
        round.time = 1_790_000_000
        round.canonicalNames = ["app.example.test"]
        #expect(round.json(timeText: { "t\(Int($0))" }).rendered(pretty: false) == """
            {"address":"127.0.0.2","addresses":["127.0.0.2","127.0.0.3"],"cnames":["app.example.test"],\
            "dns_ms":0.412,"dns_transport":"udp","error":null,"http_ms":1.9,"label":"RKE2","message":null,\
            "offset_seconds":1.25,"rcode":"NOERROR","round":3,"state":"up","status":200,"time":"t1790000000"}
            """)
    }

    @Test(arguments: [(0.5, 2, "0.50"), (1.04, 1, "1.0"), (2.25, 0, "2"), (-0.004, 2, "0.00"), (-1.5, 1, "-1.5"),
                      (12.3456, 3, "12.346")] as [(Double, Int, String)])
    func fixedDecimals(value: Double, digits: Int, expected: String) {
        #expect(ProbeNumberFormat.fixed(value, digits) == expected)
    }
}

// MARK: - Helpers

private let probe = ProbeDescription(url: "http://app.example.test:8080/", name: "app.example.test", type: .a,
                                     resolver: "127.0.0.1:5353", interval: 0.5, watch: false)

private func round(_ index: Int, _ offset: Double, address: String = "127.0.0.2", addresses: [String]? = nil,
                   label: String? = nil, status: Int = 200, state: ProbeState = .up, dns: Double = 0.5,
                   http: Double = 2) -> ProbeRound {
    ProbeRound(index: index, offset: offset, dnsMilliseconds: dns, dnsTransport: "udp", responseCode: .noError,
               addresses: addresses ?? [address], address: address, httpMilliseconds: http, status: status,
               label: label ?? address, state: state)
}

private func failed(_ index: Int, _ offset: Double, _ kind: ProbeErrorKind, message: String = "") -> ProbeRound {
    let dnsFailed = kind.rawValue.hasPrefix("dns_")
    return ProbeRound(index: index, offset: offset, dnsMilliseconds: kind == .dnsTimeout ? nil : 0.5,
                      dnsTransport: kind == .dnsTimeout ? nil : "udp", responseCode: dnsFailed ? nil : .noError,
                      addresses: dnsFailed ? [] : ["127.0.0.2"], address: dnsFailed ? nil : "127.0.0.2",
                      errorKind: kind, errorMessage: message, state: .down)
}

/// Rounds one second apart from a pattern: `u` up at 127.0.0.2, `u'` up at 127.0.0.3, `d` a
/// refused connection, `5` an HTTP 503, `n` a neutral status.
private func rounds(_ pattern: String) -> [ProbeRound] {
    pattern.split(separator: " ").enumerated().map { index, token in
        let offset = Double(index)
        switch token {
        case "u": return round(index + 1, offset)
        case "u'": return round(index + 1, offset, address: "127.0.0.3")
        case "5": return round(index + 1, offset, status: 503, state: .down)
        case "n": return round(index + 1, offset, status: 404, state: .neutral)
        default: return failed(index + 1, offset, .httpConnect)
        }
    }
}
