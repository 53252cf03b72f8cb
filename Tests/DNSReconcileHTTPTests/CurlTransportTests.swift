import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing
@testable import DNSReconcileHTTP

/// Runs `body` against a fresh loopback server and stops the server whatever happens.
private func withServer<T>(tls: LoopbackHTTPServer.TLSFiles? = nil,
                           _ body: (LoopbackHTTPServer) throws -> T) throws -> T {
    let server = try LoopbackHTTPServer(tls: tls)
    defer { server.stop() }
    return try body(server)
}

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite struct CurlTransportTests {
    @Test func statusHeadersAndBodyRoundTrip() throws {
        try withServer { server in
            let transport = try CurlTransport()
            let response = try transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/hello"))
            #expect(response.status == 200)
            #expect(text(response.body) == "hello, world\n")
            #expect(response.header("x-test") == "yes")
            #expect(response.headers.filter { $0.name == "X-Multi" }.map(\.value) == ["1", "2"])
            #expect(response.header("Content-Length") == "13")
        }
    }

    @Test func errorStatusesAreResponsesNotErrors() throws {
        try withServer { server in
            let transport = try CurlTransport()
            let notFound = try transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/status/404"))
            #expect(notFound.status == 404)
            #expect(text(notFound.body) == "status 404")
            let unavailable = try transport.send(HTTPRequest(method: "DELETE", url: server.baseURL + "/status/503"))
            #expect(unavailable.status == 503)
        }
    }

    @Test func postSendsExactBodyWithXMLContentTypeByDefault() throws {
        try withServer { server in
            let transport = try CurlTransport(options: HTTPOptions(userAgent: "dnsreconcile-test/1"))
            let xml = Array("<?xml version=\"1.0\"?>\n<ChangeBatch>a&amp;b=c</ChangeBatch>".utf8)
            let response = try transport.send(HTTPRequest(method: "POST", url: server.baseURL + "/echo",
                                                          headers: [HTTPHeader("X-Custom", "kept")], body: xml))
            #expect(response.status == 200)
            #expect(response.body == xml)
            #expect(response.header("X-Method") == "POST")
            #expect(response.header("X-Content-Type") == "application/xml")
            #expect(response.header("X-User-Agent") == "dnsreconcile-test/1")
            #expect(response.header("X-Custom") == "kept")
        }
    }

    @Test func givenContentTypeIsKeptAndBinaryBodiesSurvive() throws {
        try withServer { server in
            let transport = try CurlTransport()
            // Zero bytes and more than 1 KiB: not a C string, and libcurl adds Expect: 100-continue.
            let body = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let response = try transport.send(HTTPRequest(
                method: "POST", url: server.baseURL + "/echo",
                headers: [HTTPHeader("Content-Type", "text/xml")], body: body))
            #expect(response.status == 200)
            #expect(response.body == body)
            #expect(response.header("X-Content-Type") == "text/xml")
            #expect(response.headers.filter { $0.name.lowercased() == "content-length" }.count == 1)
        }
    }

    @Test func deleteUsesTheDeleteMethod() throws {
        try withServer { server in
            let response = try CurlTransport().send(HTTPRequest(method: "DELETE", url: server.baseURL + "/echo"))
            #expect(response.header("X-Method") == "DELETE")
            #expect(response.header("X-Content-Type") == "(none)")
            #expect(response.body.isEmpty)
        }
    }

    @Test func onlyTheFinalResponseHeadersAreKept() throws {
        try withServer { server in
            let response = try CurlTransport().send(HTTPRequest(method: "GET", url: server.baseURL + "/early-hints"))
            #expect(response.status == 200)
            #expect(text(response.body) == "final")
            #expect(response.header("X-Interim") == nil)
            #expect(response.header("Link") == nil)
            #expect(response.header("X-Connections") != nil)
        }
    }

    @Test func threeRequestsShareOneConnection() throws {
        try withServer { server in
            let transport = try CurlTransport()
            var last: HTTPResponse?
            for path in ["/hello", "/echo", "/status/404"] {
                let method = path == "/echo" ? "POST" : "GET"
                last = try transport.send(HTTPRequest(method: method, url: server.baseURL + path, body: Array("x".utf8)))
            }
            #expect(last?.status == 404)
            #expect(last?.header("X-Connections") == "1")
            #expect(transport.connectionsOpened == 1)
        }
    }

    @Test func postsReuseTheConnectionAndAreSentOnce() throws {
        try withServer { server in
            let transport = try CurlTransport()
            var responses: [HTTPResponse] = []
            for index in 0..<4 {
                responses.append(try transport.send(HTTPRequest(method: "POST", url: server.baseURL + "/echo",
                                                                body: Array("batch \(index)".utf8))))
            }
            #expect(responses.map { text($0.body) } == ["batch 0", "batch 1", "batch 2", "batch 3"])
            #expect(responses.map(\.timesSent) == [1, 1, 1, 1])
            #expect(responses.last?.header("X-Path-Requests") == "4")
            #expect(responses.last?.header("X-Connections") == "1")
            #expect(transport.connectionsOpened == 1)
        }
    }

    /// The server closed the kept-alive connection while it was idle: the next request goes out
    /// once, on a new connection.
    @Test func aConnectionClosedWhileIdleIsReplacedWithoutASecondCopy() throws {
        try withServer { server in
            let transport = try CurlTransport()
            let first = try transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/answer-then-close"))
            #expect(text(first.body) == "closing")
            let batch = try transport.send(HTTPRequest(method: "POST", url: server.baseURL + "/echo",
                                                       body: Array("the batch".utf8)))
            #expect(batch.status == 200)
            #expect(text(batch.body) == "the batch")
            // The server saw the POST once, on the second connection.
            #expect(batch.header("X-Path-Requests") == "1")
            #expect(batch.header("X-Connections") == "2")
            #expect(transport.connectionsOpened == 2)
        }
    }

    /// The kept-alive connection dies after the server read the request and before it answered:
    /// libcurl sends the request again on a new connection, and the response says so.
    @Test func aRequestSentAgainByLibcurlIsReported() throws {
        try withServer { server in
            let transport = try CurlTransport()
            let warmUp = try transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/hello"))
            #expect(warmUp.timesSent == 1)
            let response = try transport.send(HTTPRequest(method: "POST", url: server.baseURL + "/drop-on-reused",
                                                          body: Array("the batch".utf8)))
            #expect(response.status == 200)
            #expect(text(response.body) == "answered")
            #expect(response.header("X-Path-Requests") == "2", "the server saw both copies")
            #expect(response.timesSent == 2)
            #expect(transport.connectionsOpened == 2)
            // The next request reuses the new connection and goes out once.
            let next = try transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/hello"))
            #expect(next.timesSent == 1)
            #expect(next.header("X-Connections") == "2")
        }
    }

    @Test func separateTransportsOpenSeparateConnections() throws {
        try withServer { server in
            let first = try CurlTransport()
            let second = try CurlTransport()
            _ = try first.send(HTTPRequest(method: "GET", url: server.baseURL + "/hello"))
            let response = try second.send(HTTPRequest(method: "GET", url: server.baseURL + "/hello"))
            #expect(response.header("X-Connections") == "2")
            #expect(first.connectionsOpened == 1)
            #expect(second.connectionsOpened == 1)
        }
    }

    @Test func closedPortIsATransportError() throws {
        let server = try LoopbackHTTPServer()
        let url = server.baseURL + "/hello"
        server.stop()
        let transport = try CurlTransport(options: HTTPOptions(connectTimeout: 5, totalTimeout: 5))
        let error = try #require(throws: DNSReconcileError.self) {
            try transport.send(HTTPRequest(method: "GET", url: url,
                                           headers: [HTTPHeader("Authorization", "AWS4-HMAC-SHA256 secret-signature")]))
        }
        #expect(error.code == .transport)
        #expect(error.message.contains("127.0.0.1:\(server.port)"))
        #expect(error.message.contains("check"))
        #expect(error.cause?.isEmpty == false)
        #expect(!error.description.contains("secret-signature"))
    }

    @Test func stalledServerTimesOut() throws {
        try withServer { server in
            let transport = try CurlTransport(options: HTTPOptions(connectTimeout: 1, totalTimeout: 1))
            let error = try #require(throws: DNSReconcileError.self) {
                try transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/stall"))
            }
            #expect(error.code == .timeout)
            #expect(error.message.contains("timed out"))
            // The handle stays usable after a failure.
            let response = try transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/hello"))
            #expect(response.status == 200)
        }
    }

    @Test(arguments: ["ftp://127.0.0.1/", "file:///etc/passwd", "127.0.0.1:80/x", "http:/x"])
    func nonHTTPURLsAreRefused(url: String) throws {
        let transport = try CurlTransport()
        let error = try #require(throws: DNSReconcileError.self) {
            try transport.send(HTTPRequest(method: "GET", url: url))
        }
        #expect(error.code == .transport)
        #expect(error.message.contains("not an http:// or https:// URL"))
        #expect(transport.connectionsOpened == 0)
    }

    @Test func tlsWithPrivateCA() throws {
        let directory = LoopbackHTTPServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try LoopbackHTTPServer.makeTLSFiles(in: directory)
        try withServer(tls: files) { server in
            #expect(server.baseURL.hasPrefix("https://"))
            let trusting = try CurlTransport(options: HTTPOptions(caBundle: files.caCertificate))
            let response = try trusting.send(HTTPRequest(method: "GET", url: server.baseURL + "/hello"))
            #expect(response.status == 200)
            #expect(text(response.body) == "hello, world\n")

            // The system bundle does not know the throwaway CA: verification must refuse it.
            let verifying = try CurlTransport()
            let error = try #require(throws: DNSReconcileError.self) {
                try verifying.send(HTTPRequest(method: "GET", url: server.baseURL + "/hello"))
            }
            #expect(error.code == .transport)
            #expect(error.message.contains("TLS"))
        }
    }

    @Test func missingCABundleIsATransportError() throws {
        let directory = LoopbackHTTPServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try LoopbackHTTPServer.makeTLSFiles(in: directory)
        try withServer(tls: files) { server in
            let transport = try CurlTransport(options: HTTPOptions(caBundle: directory + "/absent.pem"))
            let error = try #require(throws: DNSReconcileError.self) {
                try transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/hello"))
            }
            #expect(error.code == .transport)
            #expect(error.message.contains("absent.pem"))
        }
    }
}
