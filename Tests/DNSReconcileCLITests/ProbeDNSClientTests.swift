import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing
@testable import DNSReconcileCLI

/// The probe's DNS client against a real BIND on loopback: the bytes it sends are a query BIND
/// accepts, the bytes BIND sends back decode to what dig sees, a truncated answer is asked
/// again over TCP, and packets that are not the answer are ignored.
@Suite(.serialized) struct ProbeDNSClientTests {
    static let records = """
        app      IN A 127.0.0.2
        app      IN A 127.0.0.3
        alias    IN CNAME app
        v6       IN AAAA ::1
        \((1...100).map { "big IN A 127.0.1.\($0)" }.joined(separator: "\n"))
        """

    @Test func liveBINDAnswerDecodesToWhatDigSees() throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        let client = DNSResolverClient(server: try ResolverAddress.parse(bind.resolver), timeout: 5,
                                       time: SystemTimeSource(), nextID: { 0x5EED })
        let answer = try client.query(name: "alias.example.test", type: .a)
        // The raw bytes, captured in this run, decode by themselves to the same message.
        #expect(try DNSMessage(decoding: answer.bytes) == answer.message)
        #expect(answer.bytes[0] == 0x5E && answer.bytes[1] == 0xED)
        #expect(answer.transport == "udp")
        let message = answer.message
        #expect(message.isAuthoritative && message.responseCode == .noError && !message.isTruncated)
        #expect(message.edns?.udpPayloadSize != nil)
        #expect(message.canonicalNames == ["app.example.test"])
        // BIND compresses the owner names and the CNAME target; dig agrees on every value.
        let dig = try bind.dig("alias.example.test")
        #expect(Set(message.addresses(of: .a)) == Set(dig.filter { !$0.hasSuffix(".") }))
        #expect(Set(message.addresses(of: .a)) == ["127.0.0.2", "127.0.0.3"])
        #expect(dig.contains("app.example.test."))
        #expect(bind.queries("alias.example.test") == 2)   // ours and dig's

        let v6 = try client.query(name: "v6.example.test", type: .aaaa)
        #expect(v6.message.addresses(of: .aaaa) == (try bind.dig("v6.example.test", "AAAA")))
    }

    @Test(arguments: [("with EDNS", DNSMessage.defaultEDNSPayloadSize), ("plain 512-byte UDP", nil)] as [(String, UInt16?)])
    func truncatedAnswerIsAskedAgainOverTCP(id: String, ednsPayloadSize: UInt16?) throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        let client = DNSResolverClient(server: try ResolverAddress.parse(bind.resolver), timeout: 5,
                                       time: SystemTimeSource(), ednsPayloadSize: ednsPayloadSize)
        let answer = try client.query(name: "big.example.test", type: .a)
        #expect(answer.transport == "tcp")
        #expect(!answer.message.isTruncated)
        #expect(Set(answer.message.addresses(of: .a)) == Set((1...100).map { "127.0.1.\($0)" }))
        #expect(Set(answer.message.addresses(of: .a)) == Set(try bind.dig("big.example.test")))
    }

    @Test(arguments: [
        ("no such name", "nope.example.test", DNSResponseCode.nameError),
        ("outside the zone", "www.example.org", .refused),
        ("no record of the type", "v6.example.test", .noError),
    ])
    func errorResponsesAreAnswers(id: String, name: String, code: DNSResponseCode) throws {
        let bind = try BINDServer(records: Self.records)
        defer { bind.stop() }
        let client = DNSResolverClient(server: try ResolverAddress.parse(bind.resolver), timeout: 5, time: SystemTimeSource())
        let answer = try client.query(name: name, type: .a)
        #expect(answer.message.responseCode == code)
        #expect(answer.message.addresses(of: .a).isEmpty)
    }

    @Test func strayPacketsAreIgnored() throws {
        let resolver = try FakeResolver(mode: "stray-first")
        defer { resolver.stop() }
        let client = DNSResolverClient(server: try ResolverAddress.parse("127.0.0.1:\(resolver.port)"), timeout: 5,
                                       time: SystemTimeSource(), nextID: { 0x4242 })
        let answer = try client.query(name: "app.example.test", type: .a)
        #expect(answer.message.id == 0x4242 && answer.message.isResponse)
    }

    @Test func silentResolverTimesOut() throws {
        let resolver = try FakeResolver(mode: "silent")
        defer { resolver.stop() }
        let client = DNSResolverClient(server: try ResolverAddress.parse("127.0.0.1:\(resolver.port)"), timeout: 0.3,
                                       time: SystemTimeSource())
        #expect(throws: DNSReconcileError(.timeout, "")) { try client.query(name: "app.example.test", type: .a) }
    }

    @Test func nothingListeningIsUnreachable() throws {
        let client = DNSResolverClient(server: try ResolverAddress.parse("127.0.0.1:\(ExternalTools.freePort())"),
                                       timeout: 5, time: SystemTimeSource())
        #expect {
            try client.query(name: "app.example.test", type: .a)
        } throws: { error in
            (error as! DNSReconcileError).code == .transport && "\(error)".contains("check --resolver")
        }
    }
}

/// A UDP "resolver" written for one behaviour: `silent` never answers; `stray-first` answers
/// every query with a packet of another id and a byte of garbage before the real (empty) answer.
final class FakeResolver {
    let port: Int
    private let process: Process
    private let stdin = Pipe()
    private let directory: String

    init(mode: String) throws {
        directory = NSTemporaryDirectory() + "dnsreconcile-fake-dns-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let portFile = directory + "/port"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", FakeResolver.script, mode, portFile]
        process.standardInput = stdin
        try process.run()
        self.process = process
        var found: Int?
        try ProbeChild.waitFor("the fake resolver", timeout: 10) {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), text.hasSuffix("\n") {
                found = Int(text.dropLast())
            }
            return found != nil || !process.isRunning
        }
        guard let found else { throw DNSReconcileError(.internal, "the fake resolver did not start") }
        port = found
    }

    deinit { stop() }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static let script = """
        import os, signal, socket, sys, threading
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        mode, port_file = sys.argv[1], sys.argv[2]
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        def exit_with_parent():
            sys.stdin.buffer.read()
            os._exit(0)
        threading.Thread(target=exit_with_parent, daemon=True).start()
        with open(port_file + ".tmp", "w") as f:
            f.write("%d\\n" % s.getsockname()[1])
        os.rename(port_file + ".tmp", port_file)
        while True:
            data, peer = s.recvfrom(4096)
            if mode == "silent":
                continue
            reply = bytearray(data)
            reply[2] |= 0x80
            stray = bytearray(reply)
            stray[0] ^= 0xFF
            s.sendto(bytes(stray), peer)
            s.sendto(b"\\x00", peer)
            s.sendto(bytes(reply), peer)
        """
}
