import DNSReconcileCore
import Foundation
import Testing
@testable import DNSReconcileCLI

/// The configuration the repository ships (conf.d/, examples/, the Kubernetes ConfigMap) and
/// the systemd units: every file must be valid as shipped.
@Suite struct ShippedFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A scratch directory, removed when the value goes away.
    final class Scratch {
        let path = NSTemporaryDirectory() + "dnsr-shipped-\(UUID().uuidString)"
        init() throws { try FileManager.default.createDirectory(atPath: path + "/conf.d", withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    static func load(main: String, configDir: String) -> LoadedConfig {
        ConfigLoader(environment: [:]).load(configFile: main, configDirs: [configDir])
    }

    static func problems(_ loaded: LoadedConfig) -> [String] {
        loaded.errors.map(\.description) + loaded.clusters.flatMap { file in file.errors.map { "\(file.path): \($0)" } }
    }

    @Test func exampleMainFileAndConfDirAreValid() throws {
        let loaded = Self.load(main: Self.root + "/examples/dnsreconcile.ini", configDir: Self.root + "/conf.d")
        #expect(Self.problems(loaded).isEmpty, "\(Self.problems(loaded))")
        #expect(loaded.clusters.count >= 2, "conf.d ships the two example clusters")
        #expect(loaded.main.metrics.textfileDir == "/var/lib/prometheus/node-exporter",
                "the example writes where the systemd unit may write (ReadWritePaths)")
    }

    /// examples/clusters: a static-endpoint site (INI) and the RKE2 cluster as JSON.
    @Test func exampleClustersAreValid() throws {
        let loaded = Self.load(main: Self.root + "/examples/dnsreconcile.ini", configDir: Self.root + "/examples/clusters")
        #expect(Self.problems(loaded).isEmpty, "\(Self.problems(loaded))")
        let names = loaded.clusters.map(\.path).map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(names == ["edge-static.ini", "rke2-hk.json"])
        let json = try #require(try loaded.clusters.last?.result.get())
        #expect(json.aws.roleARN == "arn:aws:iam::123456789012:role/dnsreconcile")
        let ini = try #require(try loaded.clusters.first?.result.get())
        #expect(ini.endpoints.count == 3)
    }

    /// The INI files embedded in kubernetes/configmap.yaml, by key.
    static func configMapFiles() throws -> [String: String] {
        let yaml = try String(contentsOfFile: root + "/kubernetes/configmap.yaml", encoding: .utf8)
        var files: [String: String] = [:]
        var current: String?
        var inData = false
        for line in yaml.components(separatedBy: "\n") {
            if line == "data:" { inData = true; continue }
            guard inData else { continue }
            if line.hasPrefix("  "), !line.hasPrefix("    "), line.hasSuffix(": |") {
                current = String(line.dropFirst(2).dropLast(3))
                files[current!] = ""
            } else if let current, line.hasPrefix("    ") || line.isEmpty {
                files[current]! += String(line.dropFirst(min(4, line.count))) + "\n"
            }
        }
        return files
    }

    @Test func configMapFilesAreValid() throws {
        let files = try Self.configMapFiles()
        let main = try #require(files["dnsreconcile.ini"], "kubernetes/configmap.yaml has no dnsreconcile.ini")
        let scratch = try Scratch()
        try main.write(toFile: scratch.path + "/dnsreconcile.ini", atomically: true, encoding: .utf8)
        for (name, text) in files where name != "dnsreconcile.ini" {
            try text.write(toFile: scratch.path + "/conf.d/" + name, atomically: true, encoding: .utf8)
        }
        let loaded = Self.load(main: scratch.path + "/dnsreconcile.ini", configDir: scratch.path + "/conf.d")
        #expect(Self.problems(loaded).isEmpty, "\(Self.problems(loaded))")
        #expect(loaded.clusters.count == files.count - 1 && !loaded.clusters.isEmpty)
        // The CronJob mounts an emptyDir at /run/dnsreconcile and the hostPath below.
        #expect(loaded.main.run.lockFile == "/run/dnsreconcile/dnsreconcile.lock")
        #expect(loaded.main.metrics.textfileDir == "/var/lib/node-exporter/textfile")
        let cronJob = try String(contentsOfFile: Self.root + "/kubernetes/cronjob.yaml", encoding: .utf8)
        #expect(cronJob.contains("mountPath: /run/dnsreconcile") && cronJob.contains("mountPath: /var/lib/node-exporter/textfile"))
        for key in files.keys where key != "dnsreconcile.ini" {
            #expect(cronJob.contains("path: conf.d/\(key)"), "cronjob.yaml does not mount \(key)")
        }
    }

    /// The unit's ExecStart, lock directory and writable path agree with the tool's defaults.
    @Test func unitsMatchTheToolsDefaults() throws {
        let service = try String(contentsOfFile: Self.root + "/systemd/dnsreconcile.service", encoding: .utf8)
        let lines = service.components(separatedBy: "\n")
        #expect(lines.contains("RuntimeDirectory=dnsreconcile"))
        #expect(PassLock.defaultPath(environment: ["RUNTIME_DIRECTORY": "/run/dnsreconcile"])
                    == "/run/dnsreconcile/dnsreconcile.lock")
        #expect(lines.contains("ReadWritePaths=-/var/lib/prometheus/node-exporter"))
        #expect(lines.contains("ExecStart=/usr/local/bin/dnsreconcile run"), "scripts/install.sh rewrites this path")
        let template = try String(contentsOfFile: Self.root + "/systemd/dnsreconcile@.service", encoding: .utf8)
        #expect(template.contains("/usr/local/bin/dnsreconcile run --cluster %i"))
    }
}
