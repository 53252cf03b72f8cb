import DNSReconcileCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny web server (Python's `http.server`) on one loopback address (IPv4 or IPv6), serving a page that names
/// its cluster, like an ingress of that cluster would; optionally HTTPS with a certificate for a
/// host name.
///
/// Every response is 200 with `<h1>TEXT</h1>` and the headers `X-Seen-Host` (the Host header it
/// got) and, over TLS, `X-Seen-SNI` (the server name of the handshake). `stop()` kills it
/// (connections to the address are then refused); `start()` brings it back on the same address
/// and port. It exits by itself when the test process dies (its stdin closes).
final class PageServer {
    struct TLSFiles {
        var certificate: String
        var privateKey: String
    }

    let address: String
    private(set) var port: Int
    let text: String
    let tls: TLSFiles?
    private let directory: String
    private var process: Process?
    private var stdin: Pipe?

    /// Starts serving on `address`; port 0 picks a free one.
    init(address: String, port: Int = 0, text: String, tls: TLSFiles? = nil) throws {
        self.address = address
        self.port = port
        self.text = text
        self.tls = tls
        directory = NSTemporaryDirectory() + "dnsreconcile-page-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try PageServer.script.write(toFile: directory + "/server.py", atomically: true, encoding: .utf8)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var isRunning: Bool { process?.isRunning ?? false }

    /// Starts the server (again) and returns once it accepts connections.
    func start() throws {
        guard process == nil else { return }
        let portFile = directory + "/port"
        try? FileManager.default.removeItem(atPath: portFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", directory + "/server.py", address, String(port), text, portFile]
            + (tls.map { [$0.certificate, $0.privateKey] } ?? [])
        let stdin = Pipe()
        process.standardInput = stdin
        let log = directory + "/server.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try? handle.close()
        let deadline = Date().addingTimeInterval(10)
        while true {
            if let written = try? String(contentsOfFile: portFile, encoding: .utf8), written.hasSuffix("\n"),
               let value = Int(written.dropLast()) {
                port = value
                break
            }
            if !process.isRunning || Date() > deadline {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                throw DNSReconcileError(.internal, "the page server on \(address) did not start",
                                        cause: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
            }
            usleep(20_000)
        }
        self.process = process
        self.stdin = stdin
    }

    /// Kills the server; its address then refuses connections. Idempotent.
    func stop() {
        guard let process else { return }
        // SIGKILL: the test runner's thread may block SIGTERM, and children inherit the mask.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? stdin?.fileHandleForWriting.close()
        self.process = nil
        stdin = nil
    }

    /// A CA and a server certificate for `hostName` (SAN DNS), made with openssl in `directory`;
    /// returns the CA file to trust and the server's files.
    static func makeCertificate(for hostName: String, in directory: String) throws -> (ca: String, server: TLSFiles) {
        guard let openssl = ExternalTools.which("openssl") else {
            throw DNSReconcileError(.internal, "openssl is not installed")
        }
        let ca = directory + "/ca.crt", caKey = directory + "/ca.key"
        let files = TLSFiles(certificate: directory + "/server.crt", privateKey: directory + "/server.key")
        try "subjectAltName=DNS:\(hostName)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: directory + "/server.ext", atomically: true, encoding: .utf8)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for arguments in [
            ["req", "-x509"] + key + ["-keyout", caKey, "-out", ca, "-days", "2", "-subj", "/CN=probe test CA",
                                      "-addext", "basicConstraints=critical,CA:TRUE",
                                      "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req"] + key + ["-keyout", files.privateKey, "-out", directory + "/server.csr", "-subj", "/CN=\(hostName)"],
            ["x509", "-req", "-in", directory + "/server.csr", "-CA", ca, "-CAkey", caKey, "-CAcreateserial",
             "-out", files.certificate, "-days", "2", "-extfile", directory + "/server.ext"],
        ] {
            let (status, output) = try ExternalTools.run(openssl, arguments)
            guard status == 0 else { throw DNSReconcileError(.internal, "openssl \(arguments[0]) failed", cause: output) }
        }
        return (ca, files)
    }

    private static let script = #"""
        import http.server, os, signal, socket, ssl, sys, threading

        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        address, port, text, port_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                body = ("<html><body><h1>%s</h1></body></html>\n" % text).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("X-Seen-Host", self.headers.get("Host", "(none)"))
                sni = getattr(self.connection, "sni", None)
                if sni is not None:
                    self.send_header("X-Seen-SNI", sni)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            address_family = socket.AF_INET6 if ":" in address else socket.AF_INET

        server = Server((address, port), Handler)
        if len(sys.argv) > 6:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[5], sys.argv[6])
            def remember_sni(connection, name, _context):
                connection.sni = name or "(none)"
            context.sni_callback = remember_sni
            server.socket = context.wrap_socket(server.socket, server_side=True)

        def exit_with_parent():
            sys.stdin.buffer.read()
            os._exit(0)

        threading.Thread(target=exit_with_parent, daemon=True).start()
        with open(port_file + ".tmp", "w") as f:
            f.write("%d\n" % server.server_address[1])
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """#
}
