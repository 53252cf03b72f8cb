import DNSReconcileCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback HTTP proxy (Python, 127.0.0.1, a free port) in front of the Route53 emulator that
/// answers chosen calls with a fault instead of passing them on.
///
/// Calls are sorted into phases by method and path: `list-zones` (GET .../hostedzone),
/// `list-records` (GET .../rrset), `change` (POST .../rrset/), `tags` (POST .../tags/...).
/// A rule names a phase, a fault and how many matching calls it hits (`times`, -1: all):
///
/// | fault               | what the client gets                                                   |
/// |---------------------|------------------------------------------------------------------------|
/// | `throttling`        | 400 `Throttling` "Rate exceeded" (not forwarded)                       |
/// | `prior-request`     | 400 `PriorRequestNotComplete` (not forwarded)                          |
/// | `http-500`          | 500 with an HTML body, as a load balancer sends it (not forwarded)     |
/// | `http-503`          | 503 `ServiceUnavailable` (not forwarded)                               |
/// | `reset`             | forwarded, then the connection is reset instead of answered: a change *was* applied |
/// | `stall`             | not forwarded; nothing is sent for `stallSeconds`, then the connection closes |
/// | `truncated`         | forwarded; the answer's headers promise the whole body, half of it arrives, then the connection closes |
/// | `invalid-change-batch` | a change whose body names `record` gets 400 `InvalidChangeBatch` about it; others are forwarded |
/// | `close-after-answer` | forwarded and answered as a kept-alive connection, then the proxy closes the connection (an idle timeout) |
/// | `drop`              | not forwarded; the connection closes without an answer                 |
/// | `drop-after-forward` | forwarded, then the connection closes without an answer: a change *was* applied |
///
/// The client side keeps connections alive (HTTP/1.1); `connections()` counts those that carried
/// a call.
/// Rules are set with `set(_:)` between runs of the binary; `injected()` says which faults were
/// served, so a test can check that its fault really happened. The proxy exits with the test
/// process (its stdin closes).
public final class FaultProxy {
    public struct Rule: Sendable, Codable {
        public var phase: String
        public var fault: String
        public var times: Int
        public var record: String?

        public init(phase: String, fault: String, times: Int = 1, record: String? = nil) {
            self.phase = phase
            self.fault = fault
            self.times = times
            self.record = record
        }
    }

    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    private let directory: String
    private let process: Process
    private let stdin: Pipe
    private var stopped = false

    /// - Parameters:
    ///   - upstream: the emulator's endpoint (`http://127.0.0.1:PORT`).
    ///   - stallSeconds: how long a `stall` keeps the client waiting; longer than its timeout.
    public init(upstream: String, stallSeconds: Double = 5, timeout: Double = 10) throws(DNSReconcileError) {
        let directory = LoopbackHTTPServer.makeTemporaryDirectory()
        let script = directory + "/fault_proxy.py"
        let portFile = directory + "/port"
        do {
            try FaultProxy.script.write(toFile: script, atomically: true, encoding: .utf8)
        } catch {
            throw DNSReconcileError(.io, "cannot write the fault proxy script to \(script)", cause: "\(error)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, portFile, upstream, String(stallSeconds)]
        let stdin = Pipe()
        process.standardInput = stdin
        let log = directory + "/proxy.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = FileHandle(forWritingAtPath: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw DNSReconcileError(.internal, "cannot start python3 for the fault proxy", cause: "\(error)")
        }
        try? logHandle?.close()

        let deadline = Date().addingTimeInterval(timeout)
        var port: Int?
        while port == nil {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), text.hasSuffix("\n") {
                port = Int(text.dropLast())
            }
            if port != nil { break }
            if !process.isRunning || Date() > deadline {
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                try? FileManager.default.removeItem(atPath: directory)
                throw DNSReconcileError(.internal, "the fault proxy did not start", cause: String(output.suffix(2000)))
            }
            usleep(20_000)
        }
        self.port = port!
        self.endpoint = "http://127.0.0.1:\(port!)"
        self.directory = directory
        self.process = process
        self.stdin = stdin
    }

    deinit { stop() }

    /// Kills the proxy and removes its directory. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Replaces the rules (an empty list: pass everything through) and clears the record of
    /// injected faults.
    public func set(_ rules: [Rule]) throws(DNSReconcileError) {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(rules))
        } catch {
            throw DNSReconcileError(.internal, "cannot encode fault rules", cause: "\(error)")
        }
        let response = try control("POST", "/__fault__/rules", body: body)
        guard response.status == 200 else {
            throw DNSReconcileError(.http, "the fault proxy refused the rules: HTTP \(response.status)",
                                    cause: String(decoding: response.body, as: UTF8.self))
        }
    }

    /// The faults served since the last `set`, as `phase fault`, in order.
    public func injected() throws(DNSReconcileError) -> [String] {
        let response = try control("GET", "/__fault__/injected")
        return String(decoding: response.body, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Connections that carried a call since the last `set` (control requests not counted).
    public func connections() throws(DNSReconcileError) -> Int {
        Int(String(decoding: try control("GET", "/__fault__/connections").body, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Calls passed through or answered since the last `set`, as `phase`, in order.
    public func calls() throws(DNSReconcileError) -> [String] {
        let response = try control("GET", "/__fault__/calls")
        return String(decoding: response.body, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    private func control(_ method: String, _ path: String, body: [UInt8] = []) throws(DNSReconcileError) -> HTTPResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        head += "Content-Length: \(body.count)\r\n\r\n"
        let raw = try FaultProxy.exchange(port: port, bytes: Array(head.utf8) + body)
        let separator: [UInt8] = [13, 10, 13, 10]
        guard raw.count >= 12, let end = (0...(raw.count - 4)).first(where: { Array(raw[$0..<$0 + 4]) == separator }) else {
            throw DNSReconcileError(.transport, "truncated answer from the fault proxy")
        }
        let statusLine = String(decoding: raw[0..<end], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return HTTPResponse(status: status, body: Array(raw[(end + 4)...]))
    }

    private static func exchange(port: Int, bytes: [UInt8]) throws(DNSReconcileError) -> [UInt8] {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw DNSReconcileError(.transport, "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw DNSReconcileError(.transport, "cannot connect to the fault proxy: errno \(errno)") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw DNSReconcileError(.transport, "write to the fault proxy failed: errno \(errno)") }
            offset += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw DNSReconcileError(.transport, "read from the fault proxy failed: errno \(errno)")
            }
            received += buffer[0..<count]
        }
        return received
    }

    private static let script = #"""
        import http.client, http.server, json, os, signal, socket, struct, sys, threading, time

        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        port_file, upstream, stall_seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
        upstream_host, upstream_port = upstream.split("://", 1)[1].split(":")
        upstream_port = int(upstream_port)

        state = {"rules": [], "injected": [], "calls": [], "connections": 0, "generation": 0}
        lock = threading.Lock()

        ERROR = ('<?xml version="1.0"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
                 '<Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error>'
                 '<RequestId>fault-proxy</RequestId></ErrorResponse>')

        def phase_of(method, path):
            path = path.split("?", 1)[0].rstrip("/")
            if not path.startswith("/2013-04-01/"):
                return "other"
            rest = path[len("/2013-04-01/"):]
            if method == "GET" and rest == "hostedzone":
                return "list-zones"
            if rest.startswith("hostedzone/") and rest.endswith("/rrset"):
                return "list-records" if method == "GET" else "change"
            if rest.startswith("tags/"):
                return "tags"
            return "other"

        def xml_escape(text):
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body, headers=(), close=False):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                if close:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                if close:
                    self.close_connection = True

            def reset(self):
                # SO_LINGER 0: close sends RST, what a crashed middlebox does.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True

            def forward(self, body):
                connection = http.client.HTTPConnection(upstream_host, upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
                headers["Content-Length"] = str(len(body))
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                kept = [(k, v) for k, v in response.getheaders()
                        if k.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server")]
                connection.close()
                return response.status, kept, data

            def control(self, body):
                path = self.path.split("?", 1)[0]
                with lock:
                    if path == "/__fault__/rules":
                        state["rules"] = [dict(rule, used=0) for rule in json.loads(body or b"[]")]
                        state["injected"] = []
                        state["calls"] = []
                        state["connections"] = 0
                        state["generation"] += 1
                        text = "ok\n"
                    elif path == "/__fault__/connections":
                        text = "%d\n" % state["connections"]
                    elif path == "/__fault__/injected":
                        text = "".join(line + "\n" for line in state["injected"])
                    elif path == "/__fault__/calls":
                        text = "".join(line + "\n" for line in state["calls"])
                    else:
                        self.reply(404, b"no such control path\n", close=True)
                        return
                self.reply(200, text.encode(), close=True)

            def route(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path.startswith("/__fault__/"):
                    return self.control(body)
                phase = phase_of(self.command, self.path)
                rule = None
                with lock:
                    state["calls"].append(phase)
                    if getattr(self, "counted_in", -1) != state["generation"]:
                        self.counted_in = state["generation"]
                        state["connections"] += 1
                    for candidate in state["rules"]:
                        if candidate["phase"] not in (phase, "any"):
                            continue
                        if candidate["times"] >= 0 and candidate["used"] >= candidate["times"]:
                            continue
                        if candidate["fault"] == "invalid-change-batch":
                            if phase != "change" or ("<Name>%s" % candidate.get("record", "")).encode() not in body:
                                continue
                        candidate["used"] += 1
                        rule = candidate
                        state["injected"].append("%s %s" % (phase, candidate["fault"]))
                        break
                fault = rule["fault"] if rule else None
                xml = [("Content-Type", "text/xml")]
                if fault is None:
                    status, headers, data = self.forward(body)
                    self.reply(status, data, headers)
                elif fault == "throttling":
                    self.reply(400, ERROR.format(kind="Sender", code="Throttling", message="Rate exceeded").encode(), xml)
                elif fault == "prior-request":
                    self.reply(400, ERROR.format(kind="Sender", code="PriorRequestNotComplete",
                               message="The request was rejected because Route 53 was still processing a prior request.").encode(), xml)
                elif fault == "http-500":
                    self.reply(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", [("Content-Type", "text/html")])
                elif fault == "http-503":
                    self.reply(503, ERROR.format(kind="Receiver", code="ServiceUnavailable", message="Service unavailable").encode(), xml)
                elif fault == "reset":
                    self.forward(body)
                    self.reset()
                elif fault == "stall":
                    time.sleep(stall_seconds)
                    self.close_connection = True
                elif fault == "truncated":
                    status, headers, data = self.forward(body)
                    self.send_response(status)
                    for name, value in headers:
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                elif fault == "close-after-answer":
                    status, headers, data = self.forward(body)
                    self.reply(status, data, headers)
                    self.close_connection = True
                elif fault == "drop":
                    self.close_connection = True
                elif fault == "drop-after-forward":
                    self.forward(body)
                    self.close_connection = True
                elif fault == "invalid-change-batch":
                    name = rule.get("record", "")
                    message = "RRSet with DNS name %s is not permitted in zone fault-proxy." % name
                    body = ('<?xml version="1.0"?>\n<InvalidChangeBatch xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
                            '<Messages><Message>%s</Message></Messages><RequestId>fault-proxy</RequestId></InvalidChangeBatch>'
                            % xml_escape(message))
                    self.reply(400, body.encode(), xml)
                else:
                    self.reply(599, ("unknown fault %s" % fault).encode(), close=True)

            do_GET = do_POST = do_DELETE = do_PUT = route

        def exit_with_parent():
            sys.stdin.buffer.read()
            os._exit(0)

        server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=exit_with_parent, daemon=True).start()
        with open(port_file + ".tmp", "w") as f:
            f.write("%d\n" % server.server_address[1])
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """#
}
