import DNSReconcileCore
import DNSReconcileHTTP
import DNSReconcileTestSupport
import Foundation
@testable import DNSReconcileRoute53

/// Passes requests on to another transport and keeps a copy of each.
final class RecordingTransport: HTTPTransport {
    private let inner: HTTPTransport
    private(set) var requests: [HTTPRequest] = []

    init(_ inner: HTTPTransport) { self.inner = inner }

    func send(_ request: HTTPRequest) throws(DNSReconcileError) -> HTTPResponse {
        requests.append(request)
        return try inner.send(request)
    }

    /// The requests whose form body names this STS action.
    func stsCalls(_ action: String) -> [HTTPRequest] {
        requests.filter { String(decoding: $0.body, as: UTF8.self).contains("Action=\(action)&") }
    }

    /// The access key id in a request's SigV4 `Authorization` header.
    static func signingKeyID(_ request: HTTPRequest) -> String? {
        guard let authorization = request.headers.first(where: { $0.name.lowercased() == "authorization" })?.value,
              let start = authorization.range(of: "Credential=") else { return nil }
        return String(authorization[start.upperBound...].prefix { $0 != "/" })
    }

    /// The credential scope (`date/region/service/aws4_request`) of a signed request.
    static func scope(_ request: HTTPRequest) -> String? {
        guard let authorization = request.headers.first(where: { $0.name.lowercased() == "authorization" })?.value,
              let start = authorization.range(of: "Credential=") else { return nil }
        let credential = authorization[start.upperBound...].prefix { $0 != "," }
        return credential.split(separator: "/", maxSplits: 1).last.map(String.init)
    }

    /// The form parameters of a request body, decoded.
    static func form(_ request: HTTPRequest) -> [String: String] {
        var result: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(parts[0]).removingPercentEncodingForTests] =
                parts.count > 1 ? String(parts[1]).removingPercentEncodingForTests : ""
        }
        return result
    }
}

/// A scratch directory with `.aws/` in it, removed when the value goes away.
final class ScratchHome {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("dnsr-chain-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `relative` and returns the absolute path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let file = path + "/" + relative
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// A credential context whose STS and metadata transports are the given ones (or libcurl).
func credentialContext(environment: [String: String], home: String?, time: TimeSource,
                       sts: HTTPTransport? = nil) -> CredentialContext {
    CredentialContext(
        environment: environment, homeDirectory: home, time: time,
        stsTransport: { () throws(DNSReconcileError) -> HTTPTransport in
            if let sts { return sts }
            return try CurlTransport()
        },
        metadataTransport: { (timeout: Double) throws(DNSReconcileError) -> HTTPTransport in
            try CurlTransport(options: HTTPOptions(connectTimeout: timeout, totalTimeout: timeout))
        })
}

/// The IMDS stand-in (Fixtures/imds-standin.py) on 127.0.0.1: a real HTTP server speaking the
/// IMDSv2 token dance, so the metadata client runs over libcurl as on an instance.
final class InstanceMetadataStandIn {
    let endpoint: String
    private let process: Process
    private let stdin: Pipe
    private let output: String

    /// - Parameters:
    ///   - role: the instance profile's role name.
    ///   - expiresIn: lifetime in seconds of the credentials it hands out.
    init(role: String = "dnsreconcile-node", expiresIn: Int = 21_600) throws {
        let script = Fixtures.directory.appendingPathComponent("imds-standin.py").path
        output = FileManager.default.temporaryDirectory.appendingPathComponent("dnsr-imds-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, role, String(expiresIn)]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        var port: Int?
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }) {
                port = Int(line.dropFirst(5))
                break
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        guard let port else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: output)
            throw DNSReconcileError(.internal, "the IMDS stand-in did not start (python3 on PATH?)")
        }
        endpoint = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: output)
    }

    /// The requests it has served: `METHOD PATH token|notoken`.
    func log() throws -> [String] {
        let response = try CurlTransport().send(HTTPRequest(method: "GET", url: endpoint + "/_log"))
        return String(decoding: response.body, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
