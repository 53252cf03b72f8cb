import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing
@testable import DNSReconcileHTTP

/// `HTTPOptions.resolve` (libcurl's CURLOPT_RESOLVE), which `probe` uses to send a request for a
/// name to the address its own DNS query answered, and `lastFailure`, which it counts errors by.
@Suite struct ProbeAddressOverrideTests {
    @Test func aNameThatNeverResolvesIsFetchedFromThePinnedAddress() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        var options = HTTPOptions(connectTimeout: 5, totalTimeout: 10)
        options.resolve = [HTTPAddressOverride(host: "pinned.invalid", port: server.port, address: "127.0.0.1")]
        let transport = try CurlTransport(options: options)
        let response = try transport.send(HTTPRequest(method: "GET", url: "http://pinned.invalid:\(server.port)/hello"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hello, world\n")
        #expect(transport.lastFailure == nil)
    }

    @Test func theOverrideOnlyCoversItsHostAndPort() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        var options = HTTPOptions(connectTimeout: 5, totalTimeout: 10)
        options.resolve = [HTTPAddressOverride(host: "pinned.invalid", port: server.port + 1, address: "127.0.0.1")]
        let transport = try CurlTransport(options: options)
        #expect(throws: DNSReconcileError(.transport, "")) {
            try transport.send(HTTPRequest(method: "GET", url: "http://pinned.invalid:\(server.port)/hello"))
        }
        #expect(transport.lastFailure == .nameResolution)
    }

    @Test func aRefusedConnectionIsAConnectFailure() throws {
        let port = unusedPort()
        var options = HTTPOptions(connectTimeout: 5, totalTimeout: 10)
        options.resolve = [HTTPAddressOverride(host: "pinned.invalid", port: port, address: "127.0.0.1")]
        let transport = try CurlTransport(options: options)
        #expect(throws: DNSReconcileError(.transport, "")) {
            try transport.send(HTTPRequest(method: "GET", url: "http://pinned.invalid:\(port)/"))
        }
        #expect(transport.lastFailure == .connect)
    }

    @Test(arguments: [
        ("IPv4", HTTPAddressOverride(host: "app.example.com", port: 443, address: "192.0.2.1"), "app.example.com:443:192.0.2.1"),
        ("IPv6 in brackets", HTTPAddressOverride(host: "app.example.com", port: 80, address: "2001:db8::1"),
         "app.example.com:80:[2001:db8::1]"),
    ])
    func curlEntries(id: String, override: HTTPAddressOverride, expected: String) {
        #expect(override.curlEntry == expected)
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on (bound and released at once).
private func unusedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
