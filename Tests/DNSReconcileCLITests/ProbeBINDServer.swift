import DNSReconcileCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real authoritative BIND (`named` from Debian's bind9) on 127.0.0.1 and a free high port,
/// serving one zone the test writes, for the probe tests.
///
/// Runs in the foreground (`-g`, so its log, query log included, goes to a file we read) under
/// a small Python watchdog that kills it when our end of its stdin closes: `stop()` closes it,
/// and so does the death of the test process, so no named outlives a crashed test run.
/// Configuration, zone, journal, pid file and keys all live in a temporary directory.
final class BINDServer {
    let port: Int
    let zone: String
    let directory: String
    private let process: Process
    private let stdin: Pipe
    private var stopped = false

    /// The `host:port` to give `--resolver`.
    var resolver: String { "127.0.0.1:\(port)" }
    /// The same server over IPv6 (only with `ipv6`).
    var resolverIPv6: String { "[::1]:\(port)" }

    /// Whether this machine has an IPv6 loopback to listen on (some containers have none).
    static let hasIPv6Loopback: Bool = {
        let fd = socket(AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        } == 0
    }()

    /// Starts named with `records` (zone-file lines relative to `zone`) and waits until it
    /// answers; with `ipv6` it also listens on [::1] (same port).
    init(zone: String = "example.test", records: String, ipv6: Bool = false) throws {
        guard let named = ExternalTools.which("named") else {
            throw DNSReconcileError(.internal, "named is not installed: apt-get install bind9 (scripts/test.sh does it)")
        }
        var lastFailure = ""
        // A free port can be taken between the check and named's bind; try a few.
        for _ in 0..<3 {
            let directory = NSTemporaryDirectory() + "dnsreconcile-bind-" + UUID().uuidString.prefix(8).lowercased()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let port = BINDServer.freeUDPAndTCPPort()
            try BINDServer.writeFiles(directory: directory, port: port, zone: zone, records: records, ipv6: ipv6)
            let log = directory + "/named.log"
            FileManager.default.createFile(atPath: log, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            // named refuses to run as root without -u (it would try to switch to user "bind").
            let user = getuid() == 0 ? ["-u", "root"] : []
            process.arguments = ["python3", "-c", BINDServer.watchdog, named, "-g", "-c", directory + "/named.conf"] + user
            let stdin = Pipe()
            process.standardInput = stdin
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            try? handle.close()
            let deadline = Date().addingTimeInterval(15)
            var text = ""
            while Date() < deadline, process.isRunning {
                text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if text.contains("\nrunning") || text.contains(" running\n") { break }
                usleep(50_000)
            }
            if process.isRunning, text.contains("running") {
                self.port = port
                self.zone = zone
                self.directory = directory
                self.process = process
                self.stdin = stdin
                return
            }
            lastFailure = String(text.suffix(3000))
            try? stdin.fileHandleForWriting.close()
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            BINDServer.killNamed(in: directory)
            try? FileManager.default.removeItem(atPath: directory)
        }
        throw DNSReconcileError(.internal, "named did not start", cause: lastFailure)
    }

    deinit { stop() }

    /// Stops named (through its watchdog) and removes the directory. Idempotent.
    func stop() {
        guard !stopped else { return }
        stopped = true
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        BINDServer.killNamed(in: directory)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// named's log so far (with `-g`, the query log included).
    var log: String { (try? String(contentsOfFile: directory + "/named.log", encoding: .utf8)) ?? "" }

    /// How many queries for `name` and `type` named has logged (`query: NAME IN TYPE`).
    func queries(_ name: String, _ type: String = "A") -> Int {
        log.components(separatedBy: "query: \(name) IN \(type) ").count - 1
    }

    /// Replaces the address records of `name` with one record through an RFC 2136 update
    /// (`nsupdate`), as a failover would.
    func repoint(_ name: String, to address: String) throws {
        guard let nsupdate = ExternalTools.which("nsupdate") else {
            throw DNSReconcileError(.internal, "nsupdate is not installed: apt-get install bind9-dnsutils")
        }
        let (status, output) = try ExternalTools.run(nsupdate, [], input: """
            server 127.0.0.1 \(port)
            zone \(zone)
            update delete \(name) A
            update add \(name) 0 A \(address)
            send

            """)
        guard status == 0 else { throw DNSReconcileError(.internal, "nsupdate failed", cause: output) }
    }

    /// `dig @127.0.0.1 -p PORT name type +short`, one line per value.
    func dig(_ name: String, _ type: String = "A") throws -> [String] {
        guard let dig = ExternalTools.which("dig") else {
            throw DNSReconcileError(.internal, "dig is not installed: apt-get install bind9-dnsutils")
        }
        let (status, output) = try ExternalTools.run(dig, ["@127.0.0.1", "-p", String(port), name, type, "+short"])
        guard status == 0 else { throw DNSReconcileError(.internal, "dig failed", cause: output) }
        return output.split(separator: "\n").map(String.init)
    }

    private static func writeFiles(directory: String, port: Int, zone: String, records: String, ipv6: Bool) throws {
        try """
            options {
                directory "\(directory)";
                pid-file "\(directory)/named.pid";
                session-keyfile "\(directory)/session.key";
                managed-keys-directory "\(directory)";
                listen-on port \(port) { 127.0.0.1; };
                listen-on-v6 \(ipv6 ? "port \(port) { ::1; }" : "{ none; }");
                recursion no;
                allow-transfer { none; };
                querylog yes;
            };
            controls { };
            zone "\(zone)" { type primary; file "\(directory)/zone.db"; allow-update { 127.0.0.1; }; };

            """.write(toFile: directory + "/named.conf", atomically: true, encoding: .utf8)
        try """
            $ORIGIN \(zone).
            $TTL 30
            @ IN SOA ns.\(zone). hostmaster.\(zone). 1 3600 600 86400 30
            @ IN NS ns.\(zone).
            ns IN A 127.0.0.1
            \(records)

            """.write(toFile: directory + "/zone.db", atomically: true, encoding: .utf8)
    }

    /// Kills a named left behind by a watchdog that could not (it was SIGKILLed itself).
    private static func killNamed(in directory: String) {
        guard let text = try? String(contentsOfFile: directory + "/named.pid", encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
              let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
              command.contains(directory) else { return }
        kill(pid, SIGKILL)
    }

    /// A port free for both UDP and TCP on 127.0.0.1 (named listens on both).
    private static func freeUDPAndTCPPort() -> Int {
        while true {
            let port = ExternalTools.freePort()
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if bound == 0 { return port }
        }
    }

    /// Runs the command in argv[1:] and kills it when stdin reaches EOF (our Pipe closed, or
    /// the test process gone); exits with its status. Signals are unblocked first: the test
    /// runner's thread may block them, and children inherit the mask.
    private static let watchdog = """
        import os, signal, subprocess, sys, threading
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
        def watch():
            sys.stdin.buffer.read()
            child.terminate()
            try:
                child.wait(3)
            except subprocess.TimeoutExpired:
                child.kill()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        sys.exit(child.wait())
        """
}
