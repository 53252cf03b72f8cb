import DNSReconcileCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private `moto_server` (the Route53 emulator) on 127.0.0.1 and a free port, for integration tests.
///
/// By default it runs through `moto/moto_server_fixed.py`, which patches the moto behaviours that
/// differ from Route53 in ways a reconciler cannot work around or that would hide its mistakes
/// (record-set deletes and paging, geoproximity, health-check lifecycle; see that file). The server is
/// killed by `stop()` or when the object goes away; the launcher also exits on its own when the
/// test process dies, so no emulator outlives a crashed test run.
///
/// `send` is a tiny loopback HTTP/1.1 client (it also makes `MotoServer` an `HTTPTransport`), so
/// setup calls need neither libcurl nor a signer: a Route53 call without an `Authorization`
/// header gets a dummy one, because moto picks the emulated service from its credential scope.
public final class MotoServer: HTTPTransport {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public let endpoint: String
    public let port: Int
    private let process: Process
    private let logURL: URL
    private var stopped = false

    /// Starts the emulator and waits until it answers (at most `timeout` seconds).
    ///
    /// - Parameter fidelityFixes: run the patched launcher (default) instead of plain `moto_server`.
    public init(fidelityFixes: Bool = true, timeout: Double = 15) throws(DNSReconcileError) {
        guard let motoServer = MotoServer.findOnPath("moto_server") else {
            throw DNSReconcileError(.internal, "moto_server is not on PATH: pip install 'moto[server]'")
        }
        let process = Process()
        if fidelityFixes {
            let python = MotoServer.interpreter(of: motoServer) ?? MotoServer.findOnPath("python3") ?? "/usr/bin/python3"
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [MotoServer.launcherPath, "0"]
        } else {
            process.executableURL = URL(fileURLWithPath: motoServer)
            process.arguments = ["-H", "127.0.0.1", "-p", "0"]
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        environment.removeValue(forKey: "MOTO_PORT")
        process.environment = environment

        let logURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("dnsreconcile-moto-\(getpid())-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil),
              let log = try? FileHandle(forWritingTo: logURL) else {
            throw DNSReconcileError(.io, "cannot create the moto log file \(logURL.path)")
        }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: logURL)
            throw DNSReconcileError(.internal, "cannot start moto_server: \(error)")
        }
        try? log.close()

        let deadline = Date().addingTimeInterval(timeout)
        var port: Int?
        while port == nil {
            port = MotoServer.announcedPort(in: logURL)
            if port != nil { break }
            if !process.isRunning || Date() > deadline {
                let output = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
                if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
                try? FileManager.default.removeItem(at: logURL)
                var message = "moto_server did not start"
                if output.contains("pip install") || output.contains("No module named") {
                    message += ": pip install 'moto[server]'"
                }
                throw DNSReconcileError(.internal, message, cause: String(output.suffix(2000)))
            }
            usleep(50_000)
        }
        self.port = port!
        self.endpoint = "http://127.0.0.1:\(port!)"
        self.process = process
        self.logURL = logURL

        // The port is announced before the app is importable; wait for the control API.
        while true {
            if let response = try? send(HTTPRequest(method: "GET", url: endpoint + "/moto-api/")),
               response.status == 200 { break }
            if !process.isRunning || Date() > deadline {
                stop()
                throw DNSReconcileError(.internal, "moto_server on \(endpoint) did not become ready")
            }
            usleep(100_000)
        }
        // moto loads its Route53 backend on first use (about 0.4 s); do it now, not inside a test.
        _ = try? send(HTTPRequest(method: "GET", url: endpoint + "/2013-04-01/hostedzone"))
    }

    deinit { stop() }

    /// Kills the server (SIGTERM, then SIGKILL after 2 s) and removes its log. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logURL)
    }

    /// Wipes every zone, record and tag (`POST /moto-api/reset`).
    public func reset() throws(DNSReconcileError) {
        let response = try send(HTTPRequest(method: "POST", url: endpoint + "/moto-api/reset"))
        guard response.status == 200 else {
            throw DNSReconcileError(.http, "moto reset failed with HTTP \(response.status)")
        }
    }

    /// Creates a hosted zone and returns its bare id.
    public func createZone(name: String, privateZone: Bool = false) throws(DNSReconcileError) -> String {
        var body = "<CreateHostedZoneRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
        body += "<Name>\(MotoServer.escape(name))</Name><CallerReference>\(UUID().uuidString)</CallerReference>"
        if privateZone {
            body += "<VPC><VPCRegion>us-east-1</VPCRegion><VPCId>vpc-12345678</VPCId></VPC>"
        }
        body += "<HostedZoneConfig><PrivateZone>\(privateZone)</PrivateZone></HostedZoneConfig></CreateHostedZoneRequest>"
        let text = try route53(method: "POST", path: "/hostedzone", body: body, expect: 201)
        guard let id = MotoServer.firstElement("Id", in: text) else {
            throw DNSReconcileError(.http, "CreateHostedZone response without an Id", cause: String(text.prefix(300)))
        }
        return String(id.split(separator: "/").last ?? "")
    }

    /// Adds tags to a hosted zone.
    public func tagZone(_ zoneID: String, tags: [String: String]) throws(DNSReconcileError) {
        var body = "<ChangeTagsForResourceRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><AddTags>"
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            body += "<Tag><Key>\(MotoServer.escape(key))</Key><Value>\(MotoServer.escape(value))</Value></Tag>"
        }
        body += "</AddTags></ChangeTagsForResourceRequest>"
        _ = try route53(method: "POST", path: "/tags/hostedzone/\(zoneID)", body: body, expect: 200)
    }

    /// Sends `<Change>` elements (already serialised) as one ChangeResourceRecordSets batch.
    public func changeRecordSets(zoneID: String, changesXML: String) throws(DNSReconcileError) {
        let body = "<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
            + "<ChangeBatch><Changes>\(changesXML)</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>"
        _ = try route53(method: "POST", path: "/hostedzone/\(zoneID)/rrset/", body: body, expect: 200)
    }

    /// UPSERTs one simple (or weighted, with `setIdentifier` and `weight`) record set.
    public func upsertRecordSet(zoneID: String, name: String, type: String, ttl: Int = 300, values: [String],
                                setIdentifier: String? = nil, weight: Int? = nil) throws(DNSReconcileError) {
        try changeRecordSets(zoneID: zoneID, changesXML: MotoServer.changeXML(
            action: "UPSERT", name: name, type: type, ttl: ttl, values: values,
            setIdentifier: setIdentifier, weight: weight))
    }

    /// One serialised `<Change>` element, for `changeRecordSets`.
    public static func changeXML(action: String, name: String, type: String, ttl: Int, values: [String],
                                 setIdentifier: String? = nil, weight: Int? = nil) -> String {
        var xml = "<Change><Action>\(action)</Action><ResourceRecordSet><Name>\(escape(name))</Name><Type>\(type)</Type>"
        if let setIdentifier { xml += "<SetIdentifier>\(escape(setIdentifier))</SetIdentifier>" }
        if let weight { xml += "<Weight>\(weight)</Weight>" }
        xml += "<TTL>\(ttl)</TTL><ResourceRecords>"
        for value in values { xml += "<ResourceRecord><Value>\(escape(value))</Value></ResourceRecord>" }
        return xml + "</ResourceRecords></ResourceRecordSet></Change>"
    }

    // MARK: - Loopback HTTP

    /// Sends one request to this server over a fresh connection (moto closes every connection).
    ///
    /// Accepts an absolute URL on this server or a bare path.
    public func send(_ request: HTTPRequest) throws(DNSReconcileError) -> HTTPResponse {
        var path = request.url
        if path.hasPrefix(endpoint) { path.removeFirst(endpoint.count) }
        guard path.hasPrefix("/") else {
            throw DNSReconcileError(.transport, "MotoServer.send only talks to \(endpoint), not \(request.url)")
        }
        var headers = request.headers.filter {
            !["host", "content-length", "connection"].contains($0.name.lowercased())
        }
        if path.hasPrefix("/2013-04-01/"), !headers.contains(where: { $0.name.lowercased() == "authorization" }) {
            headers.append(HTTPHeader("Authorization", MotoServer.dummyAuthorization))
        }
        if !request.body.isEmpty, !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(HTTPHeader("Content-Type", "application/xml"))
        }
        var head = "\(request.method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        head += "Content-Length: \(request.body.count)\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        head += "\r\n"
        let raw = try MotoServer.exchange(port: port, bytes: Array(head.utf8) + request.body)
        return try MotoServer.parseResponse(raw)
    }

    private func route53(method: String, path: String, body: String, expect status: Int) throws(DNSReconcileError) -> String {
        let response = try send(HTTPRequest(method: method, url: endpoint + "/2013-04-01" + path,
                                            headers: [HTTPHeader("Content-Type", "application/xml")],
                                            body: Array(body.utf8)))
        let text = String(decoding: response.body, as: UTF8.self)
        guard response.status == status else {
            throw DNSReconcileError(.http, "moto \(method) \(path) answered HTTP \(response.status)",
                                    cause: String(text.prefix(500)))
        }
        return text
    }

    private static let dummyAuthorization =
        "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=00"

    private static func exchange(port: Int, bytes: [UInt8]) throws(DNSReconcileError) -> [UInt8] {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw DNSReconcileError(.transport, "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw DNSReconcileError(.transport, "cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw DNSReconcileError(.transport, "write to 127.0.0.1:\(port) failed: errno \(errno)")
            }
            offset += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw DNSReconcileError(.transport, "read from 127.0.0.1:\(port) failed: errno \(errno)")
            }
            received += buffer[0..<count]
        }
        return received
    }

    private static func parseResponse(_ raw: [UInt8]) throws(DNSReconcileError) -> HTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        if raw.count >= 4 {
            for index in 0...(raw.count - 4) where Array(raw[index..<index + 4]) == separator {
                headEnd = index
                break
            }
        }
        guard let headEnd else { throw DNSReconcileError(.transport, "truncated HTTP response from moto") }
        let lines = String(decoding: raw[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw DNSReconcileError(.transport, "bad HTTP status line from moto: \(lines[0])")
        }
        var headers: [HTTPHeader] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(HTTPHeader(String(line[..<colon]),
                                      line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(raw[(headEnd + 4)...])
        let response = HTTPResponse(status: status, headers: headers, body: body)
        if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            body = dechunk(body)
        } else if let length = response.header("Content-Length").flatMap(Int.init), length < body.count {
            body = Array(body[0..<length])
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < data.count {
            var lineEnd = index
            while lineEnd + 1 < data.count && !(data[lineEnd] == 13 && data[lineEnd + 1] == 10) { lineEnd += 1 }
            let sizeText = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            let end = min(start + size, data.count)
            out += data[start..<end]
            index = end + 2
        }
        return out
    }

    // MARK: - Helpers

    /// `moto/moto_server_fixed.py` next to this source file (tests run from the source tree).
    static var launcherPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("moto/moto_server_fixed.py").path
    }

    private static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// The Python of a console-script (`#!/…/python3`); nil for wrappers such as pyenv shims.
    private static func interpreter(of script: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: script) else { return nil }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 256), as: UTF8.self)
        guard head.hasPrefix("#!"), let firstLine = head.split(separator: "\n").first else { return nil }
        let command = firstLine.dropFirst(2).trimmingCharacters(in: .whitespaces)
        guard !command.contains(" "), command.contains("python"), access(command, X_OK) == 0 else { return nil }
        return command
    }

    private static func announcedPort(in logURL: URL) -> Int? {
        guard let text = try? String(contentsOf: logURL, encoding: .utf8),
              let range = text.range(of: "Running on http://127.0.0.1:") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    private static func firstElement(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"),
              let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
