import Testing
@testable import DNSReconcileCore

/// What `probe` accepts on its command line: targets, resolvers, status codes, match rules.
@Suite struct ProbeInputTests {
    @Test(arguments: [
        ("bare name", "app.example.com", "http://app.example.com/", "http", "app.example.com", 80),
        ("bare name, trailing dot", "app.example.com.", "http://app.example.com/", "http", "app.example.com", 80),
        ("https", "https://app.example.com", "https://app.example.com/", "https", "app.example.com", 443),
        ("port and path", "http://app.example.test:8080/healthz?x=1#top", "http://app.example.test:8080/healthz?x=1",
         "http", "app.example.test", 8080),
        ("query without path", "HTTPS://app.example.com?q", "https://app.example.com/?q", "https", "app.example.com", 443),
        ("user info kept", "https://u:p@app.example.com/", "https://u:p@app.example.com/", "https", "app.example.com", 443),
    ])
    func targets(id: String, text: String, url: String, scheme: String, host: String, port: Int) throws {
        let target = try ProbeTarget.parse(text)
        #expect(target.url == url && target.scheme == scheme && target.host == host && target.port == port)
        #expect(target.queryName == host)
    }

    @Test(arguments: [
        ("ftp", "ftp://app.example.com/", "is not http:// or https://"),
        ("IPv4 URL", "http://192.0.2.1/", "is an address, not a name"),
        ("IPv4 bare", "192.0.2.1", "is an address, not a name"),
        ("IPv6 URL", "http://[2001:db8::1]/", "IPv6 address"),
        ("port zero", "http://app.example.com:0/", "is not a port"),
        ("port text", "http://app.example.com:http/", "is not a port"),
        ("bare with path", "app.example.com/x", "not a host name"),
        ("bad character", "http://app_example!.com/", "\"!\""),
        ("empty label", "http://app..example.com/", "empty label"),
    ])
    func badTargets(id: String, text: String, fragment: String) {
        #expect {
            _ = try ProbeTarget.parse(text)
        } throws: { error in
            let error = error as! DNSReconcileError
            return error.code == .usage && error.message.contains(fragment)
        }
    }

    @Test(arguments: [
        ("IPv4", "192.0.2.53", "192.0.2.53:53"),
        ("IPv4 and port", "127.0.0.1:5353", "127.0.0.1:5353"),
        ("IPv6", "2001:db8::53", "[2001:db8::53]:53"),
        ("IPv6 in brackets", "[::1]", "[::1]:53"),
        ("IPv6 and port", "[2001:DB8::53]:5300", "[2001:db8::53]:5300"),
    ])
    func resolvers(id: String, text: String, expected: String) throws {
        #expect(try ResolverAddress.parse(text).description == expected)
    }

    @Test(arguments: ["dns.example.com", "192.0.2.1:0", "192.0.2.1:70000", "[::1", "[::1]x", "1.2.3", ""])
    func badResolvers(text: String) {
        #expect(throws: DNSReconcileError(.usage, "")) { try ResolverAddress.parse(text) }
    }

    @Test(arguments: [
        ("first usable", "# comment\nsearch example.com\nnameserver 10.255.255.53\nnameserver 1.1.1.1\n", "10.255.255.53:53"),
        ("zone id skipped", "nameserver fe80::1%eth0\nnameserver 2001:db8::1\n", "[2001:db8::1]:53"),
        ("tabs", "nameserver\t192.0.2.9 # trailing\n", "192.0.2.9:53"),
        ("none", "search example.com\n", nil),
    ] as [(String, String, String?)])
    func resolvConf(id: String, text: String, expected: String?) {
        #expect(ResolverAddress.firstNameserver(inResolvConf: text)?.description == expected)
    }

    @Test(arguments: [
        ("code", ["503"], "503", [503], [502, 504]),
        ("class", ["5xx"], "5xx", [500, 599], [499, 600]),
        ("range and list", ["200-204,301", "404"], "200-204,301,404", [200, 204, 301, 404], [205, 302]),
        ("spaces", [" 2XX , 3xx "], "2xx,3xx", [200, 399], [400]),
    ])
    func statusCodes(id: String, values: [String], text: String, inside: [Int], outside: [Int]) throws {
        let set = try StatusCodeSet.parse(values, option: "--up-code")
        #expect(set.description == text)
        #expect(inside.allSatisfy(set.contains) && !outside.contains(where: set.contains))
    }

    @Test(arguments: ["", "20", "6xx", "abc", "300-200", "200-", "1000", "2x"])
    func badStatusCodes(text: String) {
        #expect {
            _ = try StatusCodeSet.parse([text], option: "--down-code")
        } throws: { error in
            (error as! DNSReconcileError).message.hasPrefix("--down-code \(text):")
        }
    }

    @Test(arguments: [
        // id, up, down, status, expected
        ("defaults: ok", nil, nil, 200, ProbeState.up),
        ("defaults: redirect", nil, nil, 302, .up),
        ("defaults: not found", nil, nil, 404, .down),
        ("defaults: unavailable", nil, nil, 503, .down),
        ("up only: listed", "200", nil, 200, .up),
        ("up only: other", "200", nil, 204, .down),
        ("down only: listed", nil, "503", 503, .down),
        ("down only: other", nil, "503", 404, .up),
        ("both: up", "2xx", "5xx", 201, .up),
        ("both: down", "2xx", "5xx", 502, .down),
        ("both: neither", "2xx", "5xx", 404, .neutral),
        ("both: down wins", "2xx,503", "503", 503, .down),
    ] as [(String, String?, String?, Int, ProbeState)])
    func healthRule(id: String, up: String?, down: String?, status: Int, expected: ProbeState) throws {
        let rule = ProbeHealthRule(upCodes: try up.map { try StatusCodeSet.parse([$0], option: "--up-code") },
                                   downCodes: try down.map { try StatusCodeSet.parse([$0], option: "--down-code") })
        #expect(rule.state(status: status) == expected)
        #expect(rule.state(status: nil) == .down)
    }

    @Test(arguments: [
        ("body, any case", "<h1>RKE2</h1>", [], "RKE2"),
        ("second rule", "<h1>K3s</h1>", [], "K3s"),
        ("header line", "plain", [HTTPHeader("X-Served-By", "k3s-sg-1")], "K3s"),
        ("no match: the address", "nginx default page", [], "192.0.2.7"),
        ("first rule wins", "rke2 and k3s", [], "RKE2"),
    ])
    func clusterLabels(id: String, body: String, headers: [HTTPHeader], expected: String) throws {
        let matcher = ClusterMatcher(rules: [try ClusterRule(parsing: "RKE2=rke2"), try ClusterRule(parsing: "K3s=k3s")])
        let response = HTTPResponse(status: 200, headers: headers, body: Array(body.utf8))
        #expect(matcher.label(for: response, address: "192.0.2.7") == expected)
    }

    @Test func caseSensitiveOnRequest() throws {
        let matcher = ClusterMatcher(rules: [try ClusterRule(parsing: "exact=(?-i)rke2")])
        #expect(matcher.label(for: HTTPResponse(status: 200, body: Array("RKE2".utf8)), address: "a") == "a")
        #expect(matcher.label(for: HTTPResponse(status: 200, body: Array("rke2".utf8)), address: "a") == "exact")
    }

    @Test func regexWithEqualsSign() throws {
        let rule = try ClusterRule(parsing: "hk=cluster=rke2-hk")
        #expect(rule.label == "hk" && rule.pattern == "cluster=rke2-hk")
    }

    @Test(arguments: [("RKE2", "LABEL=REGEX"), ("=rke2", "LABEL=REGEX"), ("RKE2=", "empty"), ("RKE2=(", "not a valid regular expression")])
    func badRules(text: String, fragment: String) {
        #expect {
            _ = try ClusterRule(parsing: text)
        } throws: { error in
            (error as! DNSReconcileError).code == .usage && (error as! DNSReconcileError).message.contains(fragment)
        }
    }
}
