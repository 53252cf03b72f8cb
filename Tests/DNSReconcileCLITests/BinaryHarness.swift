import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
import Testing
#endif

/// The built `dnsreconcile` binary, a private emulator, and a scratch directory per test.
///
/// The binary is the one `swift build --build-tests` put next to the test bundle; tests run it
/// as a child process exactly as a timer would, with a minimal environment (no inherited AWS
/// settings), HOME and the lock file in the scratch directory.
enum BinaryHarness {
    /// `dnsreconcile` next to the running test bundle (`.build/<triple>/debug/`).
    static var binary: String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().path)
        }
        candidates.append(Bundle.main.bundleURL.path)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
        for directory in candidates {
            let path = directory + "/dnsreconcile"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// One emulator for the whole test process: every test works in its own zone, so tests can
    /// run in parallel without resetting each other. The launcher exits with the test process.
    nonisolated(unsafe) static let emulator: Result<MotoServer, DNSReconcileError> = {
        Result { () throws(DNSReconcileError) -> MotoServer in try MotoServer() }
    }()

    static func moto() throws -> MotoServer {
        try emulator.get()
    }
}

struct RunResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
}

/// A scratch directory with a main config, a conf.d and a metrics dir, plus a zone of its own.
final class Workspace {
    let root: String
    let moto: MotoServer
    let zoneName: String
    let zoneID: String

    var confDir: String { root + "/conf.d" }
    var metricsDir: String { root + "/metrics" }
    var lockFile: String { root + "/run/dnsreconcile.lock" }
    var mainConfig: String { root + "/dnsreconcile.ini" }
    var metricsFile: String { metricsDir + "/dnsreconcile.prom" }

    init(_ label: String) throws {
        moto = try BinaryHarness.moto()
        root = NSTemporaryDirectory() + "dnsreconcile-it-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: root + "/conf.d", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/home", withIntermediateDirectories: true)
        zoneName = "\(label)-\(UUID().uuidString.prefix(6).lowercased()).test"
        zoneID = try moto.createZone(name: zoneName + ".")
        try write("dnsreconcile.ini", """
            [metrics]
            textfile-dir = \(metricsDir)

            [run]
            lock-file = \(lockFile)
            deadline = 2m
            """)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ relativePath: String, _ text: String) throws {
        try (text + "\n").write(toFile: root + "/" + relativePath, atomically: true, encoding: .utf8)
    }

    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(atPath: root + "/" + relativePath)
    }

    /// A cluster file with `endpoints` as (section id, name below the zone, targets, extra lines).
    func writeCluster(_ name: String, endpoints: [(String, String, String)], extra: String = "") throws {
        var text = """
            [cluster]
            name = \(name)
            owner-id = \(name)

            [provider "route53"]
            domain-filter = \(zoneName)
            \(extra)

            """
        for (id, label, body) in endpoints {
            text += "\n[endpoint \"\(id)\"]\nname = \(label).\(zoneName)\n\(body)\n"
        }
        try write("conf.d/\(name).ini", text)
    }

    var environment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": root + "/home",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_ENDPOINT_URL_ROUTE_53": moto.endpoint,
            "NO_COLOR": "1",
        ]
    }

    /// Runs the binary with `--config` and `--config-dir` of this workspace added (unless
    /// `plain`), and waits for it.
    func run(_ arguments: [String], plain: Bool = false, environment extra: [String: String] = [:]) throws -> RunResult {
        guard let binary = BinaryHarness.binary else {
            throw DNSReconcileError(.internal, "the dnsreconcile binary is not next to the test bundle; run `swift build --build-tests` first")
        }
        var arguments = arguments
        if !plain { arguments += ["--config", mainConfig, "--config-dir", confDir] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment.merging(extra) { _, new in new }
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        // Files, not pipes: a chatty child can never block on a full pipe buffer.
        let out = root + "/stdout.\(UUID().uuidString)", err = root + "/stderr.\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        return RunResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// The zone's record sets as the raw `<ResourceRecordSet>` XML moto returns, by
    /// `name type [set id]`, apex NS and SOA left out.
    func recordSets() throws -> [String: String] {
        let response = try moto.send(HTTPRequest(
            method: "GET", url: moto.endpoint + "/2013-04-01/hostedzone/\(zoneID)/rrset?maxitems=1000"))
        let body = String(decoding: response.body, as: UTF8.self)
        var result: [String: String] = [:]
        for chunk in body.components(separatedBy: "<ResourceRecordSet>").dropFirst() {
            let xml = "<ResourceRecordSet>" + (chunk.components(separatedBy: "</ResourceRecordSet>").first ?? "")
                + "</ResourceRecordSet>"
            let name = Self.element("Name", in: xml) ?? "?"
            let type = Self.element("Type", in: xml) ?? "?"
            if (type == "NS" || type == "SOA") && name == zoneName + "." { continue }
            var key = "\(name) \(type)"
            if let id = Self.element("SetIdentifier", in: xml) { key += " [\(id)]" }
            result[key] = xml
        }
        return result
    }

    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
              let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
    }

    func metrics() -> String { (try? String(contentsOfFile: metricsFile, encoding: .utf8)) ?? "" }

    /// The value of one sample line of the metrics file (`name{labels}` exactly as written).
    func metric(_ series: String) -> Double? {
        for line in metrics().split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }
}

/// Starts and stops helper programs for the metrics checks.
enum ExternalTools {
    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        for directory in ["/usr/bin", "/usr/sbin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        return nil
    }

    /// Runs a program to completion with `input` on stdin; (status, stdout + stderr).
    static func run(_ path: String, _ arguments: [String], input: String = "") throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = NSTemporaryDirectory() + "dnsreconcile-tool-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `GET http://127.0.0.1:port/path` over a plain socket; nil when nothing answers.
    /// Starts a real prometheus-node-exporter on loopback with only the textfile collector over
    /// `textfileDirectory`, and returns its first `/metrics` page (headers included) once the
    /// textfile collector has reported. The exporter is stopped before returning.
    static func scrapeNodeExporter(textfileDirectory: String) throws -> String {
        let exporter = try #require(which("prometheus-node-exporter"),
                                    "prometheus-node-exporter is missing: apt-get install prometheus-node-exporter")
        let port = freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exporter)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults",
                             "--collector.textfile", "--collector.textfile.directory=\(textfileDirectory)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        for _ in 0..<100 {
            if let page = httpGet(port: port, path: "/metrics"), page.contains("node_textfile_scrape_error") {
                return page
            }
            usleep(100_000)
        }
        return try #require(nil as String?, "node_exporter did not answer on 127.0.0.1:\(port)")
    }

    static func httpGet(port: Int, path: String) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
