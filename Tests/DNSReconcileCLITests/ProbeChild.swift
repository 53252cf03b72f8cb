import DNSReconcileCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `dnsreconcile` binary running `probe` in the background, so a test can stop a
/// server, signal the probe and read its output when it ends.
final class ProbeChild {
    let directory: String
    private let process: Process
    private let stdoutPath: String
    private let stderrPath: String

    /// Starts `dnsreconcile probe ARGUMENTS` with a minimal environment (no proxies).
    init(_ arguments: [String]) throws {
        guard let binary = BinaryHarness.binary else {
            throw DNSReconcileError(.internal, "the dnsreconcile binary is not next to the test bundle; run `swift build --build-tests` first")
        }
        directory = NSTemporaryDirectory() + "dnsreconcile-probe-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        stdoutPath = directory + "/stdout"
        stderrPath = directory + "/stderr"
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["probe"] + arguments
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // Files, not pipes: a chatty child can never block on a full pipe buffer.
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a probe to its end (at most `timeout` seconds, then it is killed and the test fails).
    static func run(_ arguments: [String], timeout: Double = 60) throws -> RunResult {
        try ProbeChild(arguments).wait(timeout: timeout)
    }

    /// Sends SIGINT, as Ctrl-C would.
    func interrupt() { kill(process.processIdentifier, SIGINT) }

    /// Waits for the exit; after `timeout` seconds kills the probe and throws.
    func wait(timeout: Double) throws -> RunResult {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw DNSReconcileError(.timeout, "the probe did not end within \(timeout) s", cause: output.description)
        }
        process.waitUntilExit()
        return output
    }

    var output: RunResult {
        RunResult(status: process.isRunning ? -1 : process.terminationStatus,
                  stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
                  stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
    }

    /// Lines of a `--log` file written so far, decoded.
    static func logLines(_ path: String) -> [[String: Any]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Polls until `condition` holds (every 20 ms, at most `timeout` seconds).
    static func waitFor(_ what: String, timeout: Double = 20, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw DNSReconcileError(.timeout, "timed out waiting for \(what)") }
            usleep(20_000)
        }
    }
}
