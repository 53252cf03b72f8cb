import DNSReconcileCore
import Foundation
import Testing
@testable import DNSReconcileRoute53

/// One vector of Fixtures/sigv4-vectors.json (botocore-computed, cross-checked).
struct SigV4Vector: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var method: String
    var host: String
    var path: String
    var query: String
    var headers: [String: String]
    var headersAfterSigning: [String: String]
    var body: String
    var accessKey: String
    var secretKey: String
    var sessionToken: String?
    var region: String
    var service: String
    var timestamp: String
    var payloadSha256: String
    var canonicalRequest: String
    var stringToSign: String
    var expectedAuthorization: String

    var testDescription: String { name }

    static func load() throws -> [SigV4Vector] {
        struct File: Decodable { var vectors: [SigV4Vector] }
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: fixtures.appendingPathComponent("sigv4-vectors.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(File.self, from: data).vectors
    }

    /// The input request. Headers keep the order the JSON lists them in, which the fixture's
    /// `headers_after_signing` also follows (Host first, Content-Type second).
    var request: HTTPRequest {
        let order = ["Host", "Content-Type"]
        let headerList = order.compactMap { name in headers[name].map { HTTPHeader(name, $0) } }
        let url = "https://\(host)\(path)" + (query.isEmpty ? "" : "?\(query)")
        return HTTPRequest(method: method, url: url, headers: headerList, body: Array(body.utf8))
    }

    var signer: SigV4Signer {
        SigV4Signer(credentials: AWSCredentials(accessKeyID: accessKey, secretAccessKey: secretKey,
                                                sessionToken: sessionToken),
                    region: region, service: service)
    }
}

/// 2026-01-15T12:34:56Z, the vectors' fixed clock.
private let vectorTime: Double = 1_768_480_496

@Suite struct SigV4SignerTests {
    @Test func fixtureHasAllThreeVectors() throws {
        let vectors = try SigV4Vector.load()
        #expect(vectors.count == 3)
        #expect(vectors.contains { $0.sessionToken != nil })
        #expect(vectors.contains { !$0.query.isEmpty })
    }

    @Test(arguments: try SigV4Vector.load())
    func matchesVectorByteForByte(vector: SigV4Vector) throws {
        #expect(SigV4Signer.timestamp(vectorTime) == vector.timestamp)
        let signer = vector.signer
        var prepared = vector.request
        prepared.headers = signer.prepareHeaders(prepared.headers, at: vectorTime)
        let parts = signer.signature(for: prepared, at: vectorTime)
        #expect(parts.canonicalRequest == vector.canonicalRequest)
        #expect(parts.stringToSign == vector.stringToSign)
        #expect(parts.authorization == vector.expectedAuthorization)
        #expect(parts.canonicalRequest.hasSuffix("\n" + vector.payloadSha256))

        let signed = signer.sign(vector.request, at: vectorTime)
        #expect(signed.header("Authorization") == vector.expectedAuthorization)
        var afterSigning: [String: String] = [:]
        for header in signed.headers { afterSigning[header.name] = header.value }
        #expect(afterSigning == vector.headersAfterSigning)
        #expect(signed.body == vector.request.body)
        #expect(signed.url == vector.request.url)
    }

    @Test(arguments: try SigV4Vector.load())
    func hostIsTakenFromTheURLWhenNoHostHeaderIsGiven(vector: SigV4Vector) {
        var request = vector.request
        request.headers.removeAll { $0.name == "Host" }
        let signed = vector.signer.sign(request, at: vectorTime)
        #expect(signed.header("Authorization") == vector.expectedAuthorization)
        #expect(signed.header("Host") == nil)
    }

    @Test func secretNeverAppearsInSignedHeaders() {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE",
                                         secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                         sessionToken: "token-value")
        let request = HTTPRequest(method: "POST", url: "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1/rrset/",
                                  headers: [HTTPHeader("Content-Type", "application/xml")], body: Array("<x/>".utf8))
        let signed = SigV4Signer(credentials: credentials).sign(request, at: vectorTime)
        #expect(signed.headers.count == 4)
        for header in signed.headers {
            #expect(!header.value.contains(credentials.secretAccessKey))
            #expect(!header.value.contains("wJalrXUtnFEMI"))
        }
        #expect(!String(describing: signed).contains(credentials.secretAccessKey))
    }

    @Test func nonDefaultPortIsSignedAndDefaultPortIsNot() {
        let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
        let signer = SigV4Signer(credentials: credentials)
        func canonicalHost(_ url: String) -> String? {
            let prepared = HTTPRequest(method: "GET", url: url,
                                       headers: signer.prepareHeaders([], at: vectorTime))
            let lines = signer.signature(for: prepared, at: vectorTime).canonicalRequest.split(separator: "\n")
            return lines.first { $0.hasPrefix("host:") }.map(String.init)
        }
        #expect(canonicalHost("http://127.0.0.1:5301/2013-04-01/hostedzone") == "host:127.0.0.1:5301")
        #expect(canonicalHost("https://route53.amazonaws.com:443/2013-04-01/hostedzone") == "host:route53.amazonaws.com")
        #expect(canonicalHost("http://localhost:80/x") == "host:localhost")
        #expect(canonicalHost("https://localhost:80/x") == "host:localhost:80")
        #expect(canonicalHost("http://[::1]:5301/x") == "host:[::1]:5301")
    }

    @Test func unsignedHeadersStayOutOfTheSignature() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
        let plain = HTTPRequest(method: "GET", url: "https://route53.amazonaws.com/2013-04-01/hostedzone")
        var noisy = plain
        noisy.headers = [HTTPHeader("User-Agent", "dnsreconcile/1"), HTTPHeader("Accept", "*/*"),
                         HTTPHeader("Expect", "100-continue"), HTTPHeader("Content-Length", "0")]
        let a = signer.sign(plain, at: vectorTime).header("Authorization")
        let b = signer.sign(noisy, at: vectorTime).header("Authorization")
        #expect(a != nil)
        #expect(a == b)
        #expect(b?.contains("SignedHeaders=host;x-amz-date,") == true)
    }

    @Test func resigningReplacesTheEarlierSignature() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing",
                                                             sessionToken: "tok"))
        let request = HTTPRequest(method: "GET", url: "https://route53.amazonaws.com/2013-04-01/hostedzone")
        let once = signer.sign(request, at: vectorTime)
        let twice = signer.sign(signer.sign(request, at: vectorTime - 600), at: vectorTime)
        #expect(twice == once)
        #expect(twice.headers.filter { $0.name == "Authorization" }.count == 1)
    }

    @Test(arguments: [
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("a=2&a=1", "a=1&a=2"),
        ("name=%5c052.example.com.", "name=%5C052.example.com."),
        ("name=*.example.com", "name=%2A.example.com"),
        ("identifier=a%20b&flag", "flag=&identifier=a%20b"),
        ("x=a/b%3D", "x=a%2Fb%3D"),
        ("x=caf%C3%A9~_-.", "x=caf%C3%A9~_-."),
    ])
    func canonicalQuery(raw: String, expected: String) {
        #expect(SigV4Signer.canonicalQuery(raw) == expected)
    }

    @Test(arguments: [
        ("", "/"),
        ("/", "/"),
        ("/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset/", "/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset/"),
        ("/a%2Fb/c d", "/a%252Fb/c%20d"),
    ])
    func canonicalPath(raw: String, expected: String) {
        #expect(SigV4Signer.canonicalPath(raw) == expected)
    }

    @Test func canonicalHeaderValuesAreTrimmedAndCollapsed() {
        #expect(SigV4Signer.canonicalValue("  text/xml;   charset=utf-8 ") == "text/xml; charset=utf-8")
    }

    @Test func payloadHashCoversTheExactBody() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
        let base = HTTPRequest(method: "POST", url: "https://route53.amazonaws.com/2013-04-01/hostedzone",
                               body: [0x3C, 0x00, 0xFF])
        var other = base
        other.body = [0x3C, 0x00, 0xFE]
        #expect(signer.sign(base, at: vectorTime).header("Authorization")
            != signer.sign(other, at: vectorTime).header("Authorization"))
    }
}

private extension HTTPRequest {
    /// The first header of that name, compared case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
