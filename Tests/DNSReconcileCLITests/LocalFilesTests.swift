import DNSReconcileCore
import Foundation
import Testing
@testable import DNSReconcileCLI

@Suite struct LocalFilesTests {
    static func scratch() -> String {
        let path = NSTemporaryDirectory() + "dnsreconcile-unit-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func lockIsExclusiveAndCreatesItsDirectory() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/a/b/dnsreconcile.lock"
        let first = try PassLock(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(throws: DNSReconcileError(.lockHeld, "")) { try PassLock(path: path) }
        first.release()
        let again = try PassLock(path: path)
        again.release()
    }

    @Test(arguments: [
        (["RUNTIME_DIRECTORY": "/run/dnsreconcile:/run/other", "XDG_RUNTIME_DIR": "/run/user/0"], "/run/dnsreconcile/dnsreconcile.lock"),
        (["XDG_RUNTIME_DIR": "/run/user/1000"], "/run/user/1000/dnsreconcile.lock"),
        ([:], "/run/dnsreconcile/dnsreconcile.lock"),
    ])
    func defaultLockPath(environment: [String: String], expected: String) {
        #expect(PassLock.defaultPath(environment: environment) == expected)
    }

    @Test func metricsFileIsReplacedAtomicallyAndKeepsLastSuccess() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = MetricsFile(directory: dir + "/textfile", fileName: "dnsreconcile.prom")
        var report = PassReport(version: "0.1.0", startedAt: 100, clusters: [ClusterReport(name: "c")])
        try file.write(report, keepClusters: [])
        #expect(file.previous().contains("dnsreconcile_last_success_timestamp_seconds{cluster=\"c\"} 100\n"))

        report.startedAt = 200
        report.clusters[0].errors = [DNSReconcileError(.route53, "down")]
        try file.write(report, keepClusters: [])
        let text = file.previous()
        #expect(text.contains("dnsreconcile_last_success_timestamp_seconds{cluster=\"c\"} 100\n"))
        #expect(text.contains("dnsreconcile_run_timestamp_seconds{cluster=\"c\"} 200\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/textfile") == ["dnsreconcile.prom"])
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
        #expect(file.temporaryPath.hasSuffix("/.dnsreconcile.prom.tmp"))
    }
}
