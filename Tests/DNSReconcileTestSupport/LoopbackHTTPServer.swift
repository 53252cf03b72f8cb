import DNSReconcileCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 keep-alive server (Python's `http.server`) on 127.0.0.1 and a free port, for
/// transport tests; optionally HTTPS with a throwaway CA from `makeTLSFiles`.
///
/// Routes (any method):
/// - `/hello`: 200, body `hello, world\n`, headers `X-Test: yes` and `X-Multi` twice (`1`, `2`);
/// - `/echo`: 200, body = the request body; `X-Method`, `X-Content-Type` (`(none)` when absent),
///   `X-User-Agent`, `X-Custom` (the request's `X-Custom`) and `X-Expect` describe the request;
/// - `/status/NNN`: that status, body `status NNN`;
/// - `/early-hints`: a `103` carrying `Link` and `X-Interim`, then 200 without them;
/// - `/stall`: sleeps 30 s before answering (for timeouts);
/// - `/answer-then-close`: 200, body `closing`, kept alive by its headers, then the server closes
///   the connection (as a server whose keep-alive idle timeout ran out);
/// - `/drop-on-reused`: the first such request that arrives on a connection which served a
///   request before is read and then dropped: the connection closes without an answer (a server
///   that acted on a request and died before answering); any other gets 200, body `answered`.
/// Every response carries `X-Connections`: the connections the server has accepted so far, and
/// `X-Path-Requests`: the requests to this path so far, the current one included.
///
/// The server runs in its own temporary directory, which `stop()` removes along with the process
/// (also on deinit). It also exits by itself when the test process dies (its stdin closes).
public final class LoopbackHTTPServer {
    /// The CA, certificate and key of a throwaway HTTPS setup (SAN `IP:127.0.0.1`).
    public struct TLSFiles: Sendable {
        public var caCertificate: String
        public var certificate: String
        public var privateKey: String
    }

    public let port: Int
    /// `http://127.0.0.1:PORT` or `https://...`, without a trailing slash.
    public let baseURL: String
    public let directory: String
    private let process: Process
    private let stdin: Pipe
    private var stopped = false

    public init(tls: TLSFiles? = nil, timeout: Double = 10) throws(DNSReconcileError) {
        let directory = LoopbackHTTPServer.makeTemporaryDirectory()
        let script = directory + "/server.py"
        let portFile = directory + "/port"
        do {
            try LoopbackHTTPServer.script.write(toFile: script, atomically: true, encoding: .utf8)
        } catch {
            throw DNSReconcileError(.io, "cannot write the test server script to \(script)", cause: "\(error)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, portFile] + (tls.map { [$0.certificate, $0.privateKey] } ?? [])
        let stdin = Pipe()
        process.standardInput = stdin
        let log = directory + "/server.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = FileHandle(forWritingAtPath: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw DNSReconcileError(.internal, "cannot start python3 for the loopback server", cause: "\(error)")
        }
        try? logHandle?.close()

        // The script writes the port file only once it listens, so the port is then usable.
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
                throw DNSReconcileError(.internal, "the loopback test server did not start",
                                        cause: String(output.suffix(2000)))
            }
            usleep(20_000)
        }
        self.port = port!
        self.baseURL = (tls == nil ? "http" : "https") + "://127.0.0.1:\(port!)"
        self.directory = directory
        self.process = process
        self.stdin = stdin
    }

    deinit { stop() }

    /// Kills the server and removes its directory. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        // SIGKILL: the server has nothing to clean up, and a child spawned from a test thread
        // inherits that thread's blocked-signal mask, where SIGTERM may sit pending forever.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A new empty directory under the system temporary directory.
    public static func makeTemporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dnsr-http-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Creates a throwaway CA and a server certificate for `IP:127.0.0.1` in `directory` with
    /// the `openssl` command-line tool.
    public static func makeTLSFiles(in directory: String) throws(DNSReconcileError) -> TLSFiles {
        let files = TLSFiles(caCertificate: directory + "/ca.crt", certificate: directory + "/server.crt",
                             privateKey: directory + "/server.key")
        let extensions = directory + "/server.ext"
        do {
            try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                .write(toFile: extensions, atomically: true, encoding: .utf8)
        } catch {
            throw DNSReconcileError(.io, "cannot write \(extensions)", cause: "\(error)")
        }
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ecKey + ["-keyout", directory + "/ca.key", "-out", files.caCertificate,
                     "-days", "2", "-subj", "/CN=dnsreconcile test CA",
                     "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req"] + ecKey + ["-keyout", files.privateKey, "-out", directory + "/server.csr",
                     "-subj", "/CN=127.0.0.1"])
        try openssl(["x509", "-req", "-in", directory + "/server.csr", "-CA", files.caCertificate,
                     "-CAkey", directory + "/ca.key", "-CAcreateserial", "-out", files.certificate,
                     "-days", "2", "-extfile", extensions])
        return files
    }

    private static func openssl(_ arguments: [String]) throws(DNSReconcileError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DNSReconcileError(.internal, "cannot run openssl", cause: "\(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DNSReconcileError(.internal, "openssl \(arguments.first ?? "") failed", cause: String(text.suffix(2000)))
        }
    }

    private static let script = #"""
        import http.server, os, signal, ssl, sys, threading, time

        # The test runner's thread may block signals, and children inherit that mask.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        port_file = sys.argv[1]

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            connections = 0
            lock = threading.Lock()
            path_requests = {}
            dropped = False

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                self.served = 0
                with self.server.lock:
                    self.server.connections += 1

            def log_message(self, *args):
                pass

            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("X-Connections", str(self.server.connections))
                self.send_header("X-Path-Requests", str(self.server.path_requests.get(self.path.split("?", 1)[0], 0)))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def route(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                with self.server.lock:
                    self.server.path_requests[path] = self.server.path_requests.get(path, 0) + 1
                    drop = path == "/drop-on-reused" and self.served > 0 and not self.server.dropped
                    if drop:
                        self.server.dropped = True
                self.served += 1
                if drop:
                    self.close_connection = True
                elif path == "/answer-then-close":
                    self.reply(200, b"closing")
                    self.close_connection = True
                elif path == "/drop-on-reused":
                    self.reply(200, b"answered")
                elif path == "/hello":
                    self.reply(200, b"hello, world\n", [("X-Test", "yes"), ("X-Multi", "1"), ("X-Multi", "2")])
                elif path == "/echo":
                    self.reply(200, body, [
                        ("X-Method", self.command),
                        ("X-Content-Type", self.headers.get("Content-Type", "(none)")),
                        ("X-User-Agent", self.headers.get("User-Agent", "(none)")),
                        ("X-Custom", self.headers.get("X-Custom", "(none)")),
                        ("X-Expect", self.headers.get("Expect", "(none)")),
                    ])
                elif path.startswith("/status/"):
                    code = int(path[len("/status/"):])
                    self.reply(code, ("status %d" % code).encode())
                elif path == "/early-hints":
                    self.send_response_only(103)
                    self.send_header("Link", "</style.css>; rel=preload")
                    self.send_header("X-Interim", "yes")
                    self.end_headers()
                    self.reply(200, b"final")
                elif path == "/stall":
                    time.sleep(30)
                    self.reply(200, b"too late")
                else:
                    self.reply(404, b"no route")

            do_GET = do_POST = do_DELETE = do_PUT = do_HEAD = route

        def exit_with_parent():
            # stdin is a pipe held by the test process: EOF means it is gone.
            sys.stdin.buffer.read()
            os._exit(0)

        server = Server(("127.0.0.1", 0), Handler)
        if len(sys.argv) > 3:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[2], sys.argv[3])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=exit_with_parent, daemon=True).start()
        with open(port_file + ".tmp", "w") as f:
            f.write("%d\n" % server.server_address[1])
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """#
}
