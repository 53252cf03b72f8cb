import DNSReconcileCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small Kubernetes API server for tests: Python's `http.server` over TLS on 127.0.0.1 with
/// its own throwaway CA, serving objects in the real API's JSON list format at the real paths.
///
/// - `GET /api/v1/services`, `/api/v1/namespaces/NS/services`, the same for `pods`,
///   `/api/v1/nodes`, `/apis/networking.k8s.io/v1/ingresses` and
///   `/apis/networking.k8s.io/v1/namespaces/NS/ingresses`; anything else is a 404 `Status`.
/// - Authentication: `Authorization: Bearer <token>` or a client certificate signed by the CA
///   (`clientCertificate`/`clientKey`); neither gives a 401 `Status` (reason `Unauthorized`).
/// - `limit` and `continue` paging (`metadata.continue`), `labelSelector` (equality, `!=`,
///   `key`, `!key`, `in`, `notin`).
/// - Objects come from `objects.json` (`{"services": [...], "ingresses": [...], "nodes": [...],
///   "pods": [...]}`), re-read on every request, so a test changes the cluster with `setObjects`.
/// - `control.json` injects failures: `{"forbidden": ["services"]}` answers 403 like RBAC;
///   `{"expireContinue": 1}` answers the next N requests that carry a continue token with 410
///   `Expired`; `{"status": {"ingresses": 500}}` answers that status; `{"unauthorized": true}`
///   rejects every credential.
/// - Every request is appended to `requests.log` as `METHOD path?query auth` where auth is
///   `bearer`, `cert:<CN>` or `none` (the token itself is never logged).
public final class FakeKubeAPIServer {
    public let port: Int
    /// `https://127.0.0.1:PORT`.
    public let baseURL: String
    public let directory: String
    public let token: String
    public var caCertificate: String { directory + "/ca.crt" }
    public var clientCertificate: String { directory + "/client.crt" }
    public var clientKey: String { directory + "/client.key" }
    private let process: Process
    private let stdin: Pipe
    private var stopped = false

    public init(token: String = "t0ken-\(UUID().uuidString.prefix(8))", objects: String = "{}",
                timeout: Double = 15) throws(DNSReconcileError) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dnsr-kube-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FakeKubeAPIServer.script.write(toFile: directory + "/server.py", atomically: true, encoding: .utf8)
            try objects.write(toFile: directory + "/objects.json", atomically: true, encoding: .utf8)
            try "{}".write(toFile: directory + "/control.json", atomically: true, encoding: .utf8)
        } catch {
            throw DNSReconcileError(.io, "cannot set up the fake API server in \(directory)", cause: "\(error)")
        }
        try FakeKubeAPIServer.makeCertificates(in: directory)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", directory + "/server.py", directory, token]
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
            throw DNSReconcileError(.internal, "cannot start python3 for the fake API server", cause: "\(error)")
        }
        try? logHandle?.close()

        let portFile = directory + "/port"
        let deadline = Date().addingTimeInterval(timeout)
        var port: Int?
        while port == nil {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), text.hasSuffix("\n") {
                port = Int(text.dropLast())
                break
            }
            if !process.isRunning || Date() > deadline {
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                throw DNSReconcileError(.internal, "the fake API server did not start", cause: String(output.suffix(2000)))
            }
            usleep(20_000)
        }
        self.port = port!
        self.baseURL = "https://127.0.0.1:\(port!)"
        self.directory = directory
        self.token = token
        self.process = process
        self.stdin = stdin
    }

    deinit { stop() }

    /// Kills the server and removes its directory. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Replaces the cluster's objects (JSON, see the type's documentation).
    public func setObjects(_ json: String) throws {
        try json.write(toFile: directory + "/objects.json", atomically: true, encoding: .utf8)
    }

    /// Replaces the failure injection (JSON, see the type's documentation).
    public func setControl(_ json: String) throws {
        try json.write(toFile: directory + "/control.json", atomically: true, encoding: .utf8)
    }

    /// The requests served so far, one line each.
    public func requests() -> [String] {
        let text = (try? String(contentsOfFile: directory + "/requests.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// A kubeconfig for this server in `path`. `user` and `cluster` are the lines of the `user:`
    /// and `cluster:` mappings (default: the bearer token; the server URL and the CA file).
    @discardableResult
    public func writeKubeconfig(to path: String, user: [String]? = nil, cluster: [String]? = nil,
                                context: String = "test") throws -> String {
        let clusterBody = (cluster ?? ["server: \(baseURL)", "certificate-authority: \(caCertificate)"])
            .joined(separator: "\n    ")
        let userBody = (user ?? ["token: \(token)"]).joined(separator: "\n    ")
        let text = """
            apiVersion: v1
            kind: Config
            current-context: \(context)
            clusters:
            - name: fake
              cluster:
                \(clusterBody)
            contexts:
            - name: \(context)
              context:
                cluster: fake
                user: tester
            users:
            - name: tester
              user:
                \(userBody)
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: Certificates

    /// A CA, a server certificate for IP:127.0.0.1 and a client certificate (CN `tester`),
    /// all EC P-256, with the `openssl` tool.
    static func makeCertificates(in directory: String) throws(DNSReconcileError) {
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        do {
            try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                .write(toFile: directory + "/server.ext", atomically: true, encoding: .utf8)
            try "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n"
                .write(toFile: directory + "/client.ext", atomically: true, encoding: .utf8)
        } catch {
            throw DNSReconcileError(.io, "cannot write the certificate extensions", cause: "\(error)")
        }
        try openssl(["req", "-x509"] + ec + ["-keyout", directory + "/ca.key", "-out", directory + "/ca.crt", "-days", "2",
                     "-subj", "/CN=dnsreconcile fake kube CA", "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/O=system:masters/CN=tester")] {
            try openssl(["req"] + ec + ["-keyout", directory + "/\(name).key", "-out", directory + "/\(name).csr",
                         "-subj", subject])
            try openssl(["x509", "-req", "-in", directory + "/\(name).csr", "-CA", directory + "/ca.crt",
                         "-CAkey", directory + "/ca.key", "-CAcreateserial", "-out", directory + "/\(name).crt",
                         "-days", "2", "-extfile", directory + "/\(name).ext"])
        }
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
        import http.server, json, os, signal, ssl, sys, threading, urllib.parse

        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        directory, token = sys.argv[1], sys.argv[2]
        lock = threading.Lock()

        RESOURCES = {
            # path prefix, plural: (list kind, apiVersion, namespaced)
            ("/api/v1", "services"): ("ServiceList", "v1", True),
            ("/api/v1", "pods"): ("PodList", "v1", True),
            ("/api/v1", "nodes"): ("NodeList", "v1", False),
            ("/apis/networking.k8s.io/v1", "ingresses"): ("IngressList", "networking.k8s.io/v1", True),
        }

        def load(name):
            with open(os.path.join(directory, name)) as f:
                return json.load(f)

        def save(name, value):
            tmp = os.path.join(directory, name + ".tmp")
            with open(tmp, "w") as f:
                json.dump(value, f)
            os.rename(tmp, os.path.join(directory, name))

        def status(code, reason, message):
            return code, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                          "message": message, "reason": reason, "code": code}

        def parse_selector(text):
            reqs = []
            for part in [p.strip() for p in split_top(text) if p.strip()]:
                if " notin " in part or " in " in part:
                    neg = " notin " in part
                    key, values = part.split(" notin " if neg else " in ", 1)
                    values = [v.strip() for v in values.strip().strip("()").split(",")]
                    reqs.append((key.strip(), "notin" if neg else "in", values))
                elif "!=" in part:
                    key, value = part.split("!=", 1)
                    reqs.append((key.strip(), "!=", [value.strip()]))
                elif "=" in part:
                    key, value = part.replace("==", "=").split("=", 1)
                    reqs.append((key.strip(), "=", [value.strip()]))
                elif part.startswith("!"):
                    reqs.append((part[1:].strip(), "!", []))
                else:
                    reqs.append((part, "exists", []))
            return reqs

        def split_top(text):
            parts, depth, current = [], 0, ""
            for c in text:
                if c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                if c == "," and depth == 0:
                    parts.append(current)
                    current = ""
                else:
                    current += c
            parts.append(current)
            return parts

        def matches(labels, reqs):
            for key, op, values in reqs:
                value = labels.get(key)
                if op == "exists" and value is None: return False
                if op == "!" and value is not None: return False
                if op in ("=", "in") and value not in values: return False
                if op in ("!=", "notin") and value in values: return False
            return True

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                control = load("control.json")
                cert = self.connection.getpeercert()
                auth = "none"
                if self.headers.get("Authorization") == "Bearer " + token:
                    auth = "bearer"
                elif cert:
                    subject = dict(item[0] for item in cert.get("subject", ()))
                    auth = "cert:" + subject.get("commonName", "?")
                with lock:
                    with open(os.path.join(directory, "requests.log"), "a") as f:
                        f.write("GET %s %s\n" % (self.path, auth))
                if auth == "none" or control.get("unauthorized"):
                    return self.reply(*status(401, "Unauthorized", "Unauthorized"))

                segments = [s for s in url.path.split("/") if s]
                prefix = "/" + "/".join(segments[:2]) if segments[:1] == ["api"] else "/" + "/".join(segments[:3])
                rest = segments[2:] if segments[:1] == ["api"] else segments[3:]
                namespace = None
                if len(rest) == 3 and rest[0] == "namespaces":
                    namespace, rest = rest[1], rest[2:]
                entry = RESOURCES.get((prefix, rest[0])) if len(rest) == 1 else None
                if entry is None or (namespace is not None and not entry[2]):
                    return self.reply(*status(404, "NotFound", "the server could not find the requested resource"))
                plural = rest[0]
                list_kind, api_version, namespaced = entry
                who = "User \"%s\"" % ("tester" if auth != "bearer" else "system:serviceaccount:dnsreconcile:dnsreconcile")
                if plural in control.get("forbidden", []):
                    group = api_version.split("/")[0] if "/" in api_version else ""
                    scope = ("in the namespace \"%s\"" % namespace) if namespace else "at the cluster scope"
                    return self.reply(*status(403, "Forbidden", "%s is forbidden: %s cannot list resource \"%s\" in API group \"%s\" %s"
                                                   % (plural, who, plural, group, scope)))
                forced = control.get("status", {}).get(plural)
                if forced:
                    return self.reply(*status(forced, "InternalError", "injected failure"))

                continue_token = query.get("continue", [None])[0]
                if continue_token is not None and control.get("expireContinue", 0) > 0:
                    with lock:
                        control["expireContinue"] -= 1
                        save("control.json", control)
                    return self.reply(*status(410, "Expired", "The provided continue parameter is too old to display a consistent list result."))

                items = load("objects.json").get(plural, [])
                if namespace is not None:
                    items = [i for i in items if i.get("metadata", {}).get("namespace", "default") == namespace]
                selector = query.get("labelSelector", [""])[0]
                if selector:
                    reqs = parse_selector(selector)
                    items = [i for i in items if matches(i.get("metadata", {}).get("labels", {}), reqs)]
                items = [{k: v for k, v in i.items() if k not in ("kind", "apiVersion")} for i in items]
                offset = int(continue_token) if continue_token else 0
                limit = int(query.get("limit", ["0"])[0] or 0)
                page = items[offset:offset + limit] if limit > 0 else items[offset:]
                metadata = {"resourceVersion": "4242"}
                if limit > 0 and offset + limit < len(items):
                    metadata["continue"] = str(offset + limit)
                self.reply(200, {"kind": list_kind, "apiVersion": api_version, "metadata": metadata, "items": page})

        def exit_with_parent():
            sys.stdin.buffer.read()
            os._exit(0)

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(directory, "server.crt"), os.path.join(directory, "server.key"))
        context.verify_mode = ssl.CERT_OPTIONAL
        context.load_verify_locations(os.path.join(directory, "ca.crt"))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=exit_with_parent, daemon=True).start()
        with open(os.path.join(directory, "port.tmp"), "w") as f:
            f.write("%d\n" % server.server_address[1])
        os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
        server.serve_forever()
        """#
}
