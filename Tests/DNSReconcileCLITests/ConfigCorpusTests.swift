import DNSReconcileCore
import Foundation
import Testing
@testable import DNSReconcileCLI
#if canImport(Glibc)
import Glibc
#endif

/// The bad-input corpus of configuration files and Kubernetes annotations: one data file per case
/// under `Fixtures/corpus/config` (cluster and main files), `Fixtures/corpus/endpoint`
/// (`[endpoint]` keys) and `Fixtures/corpus/annotations` (manifests read by a manifest source),
/// each with a `.expect` file, driven by this one table test.
///
/// A case is loaded the way `check-config` and a pass load it (`ConfigLoader`, then the local
/// plugins, which read key files), next to a valid cluster file. Each case must produce the
/// expected diagnostic (code, file and line, a fragment of the message), every diagnostic must
/// be located, and the valid cluster must still load: one bad file never stops the others.
///
/// `.expect` lines (`#` starts a comment):
///
///     code: config_unknown_key        the diagnostic's code; `none` for a case that must load cleanly
///     at: case:5                      `case`/`main` (the case file) or `dir`, with an optional line
///     message: did you mean           a fragment of the message
///     severity: warning               default: error
///     role: main                      the case is the main file (default: a cluster file);
///                                     `invocation`: a cluster file whose problem stops everything
///     setup: file <path> <mode> <text>    also: dir <path>, case-symlink <target>,
///                                         case-unreadable, case-missing, config-dir-missing
///
/// `@DIR@` in a case or a setup line is the case's scratch directory; `\n` in setup text is a
/// newline.
@Suite("bad input corpus: configuration files and endpoint keys")
struct ConfigCorpusTests {
    struct Expectation: Sendable {
        var code: String = ""
        var at: String = ""
        var message: String = ""
        var severity = "error"
        var role = "cluster"
        var setup: [String] = []
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var corpus: String
        var file: String
        var expectation: Expectation
        var testDescription: String { "\(corpus)/\(file)" }
        var id: String { String(file[..<(file.lastIndex(of: ".") ?? file.endIndex)]) }
        var ext: String { String(file[file.index(after: file.lastIndex(of: ".")!)...]) }
    }

    static var corpusDirectory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("corpus")
    }

    static func load(_ corpus: String) -> [Case] {
        let directory = corpusDirectory.appendingPathComponent(corpus)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".ini") || $0.hasSuffix(".json") || $0.hasSuffix(".yaml") }.sorted().map { file in
            let stem = String(file[..<file.lastIndex(of: ".")!])
            let text = (try? String(contentsOf: directory.appendingPathComponent(stem + ".expect"), encoding: .utf8)) ?? ""
            var expectation = Expectation()
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch key {
                case "code": expectation.code = value
                case "at": expectation.at = value
                case "message": expectation.message = value
                case "severity": expectation.severity = value
                case "role": expectation.role = value
                case "setup": expectation.setup.append(value)
                default: break
                }
            }
            return Case(corpus: corpus, file: file, expectation: expectation)
        }
    }

    static let configCases = load("config")
    static let endpointCases = load("endpoint")
    static let annotationCases = load("annotations")

    /// What loading a case gave.
    struct Outcome {
        var errors: [DNSReconcileError] = []
        var warnings: [DNSReconcileError] = []
        var goodClusterLoaded = false
        /// Annotation cases: the valid object of the manifest gave its endpoint, and the bad
        /// one's names are held.
        var goodObjectRead = false
        var heldNames: [DNSName] = []
        var casePath = ""
        var directory = ""
    }

    static let goodCluster = """
        [cluster]
        name = zz-good
        owner-id = zz-good

        [endpoint "web"]
        name = web.example.com
        targets = 192.0.2.10
        """

    static func run(_ testCase: Case) throws -> Outcome {
        let root = NSTemporaryDirectory() + "dnsreconcile-corpus-" + UUID().uuidString
        let confDir = root + "/conf.d"
        try FileManager.default.createDirectory(atPath: confDir, withIntermediateDirectories: true)
        let source = corpusDirectory.appendingPathComponent(testCase.corpus).appendingPathComponent(testCase.file)
        var bytes = Array(try Data(contentsOf: source))
        if let text = String(bytes: bytes, encoding: .utf8) {
            bytes = Array(text.replacingOccurrences(of: "@DIR@", with: root).utf8)
        }
        let isMain = testCase.expectation.role == "main"
        let isManifest = testCase.ext == "yaml"
        let casePath = isMain ? root + "/main.\(testCase.ext)"
            : isManifest ? root + "/\(testCase.id).yaml" : confDir + "/\(testCase.id).\(testCase.ext)"
        FileManager.default.createFile(atPath: casePath, contents: Data(bytes))
        if isManifest {
            // An annotation case is a manifest read by a cluster's manifest source.
            try "[cluster]\nname = objects\nowner-id = objects\n\n[source \"manifest\"]\npaths = \(casePath)\n"
                .write(toFile: confDir + "/objects.ini", atomically: true, encoding: .utf8)
        }
        try goodCluster.write(toFile: confDir + "/zz-good.ini", atomically: true, encoding: .utf8)
        var configDir = confDir

        for line in testCase.expectation.setup {
            let parts = line.replacingOccurrences(of: "@DIR@", with: root).split(separator: " ", maxSplits: 3).map(String.init)
            switch parts.first {
            case "file":
                let path = root + "/" + parts[1]
                let content = parts.count > 3 ? parts[3].replacingOccurrences(of: "\\n", with: "\n") : ""
                FileManager.default.createFile(atPath: path, contents: Data(content.utf8))
                chmod(path, mode_t(parts[2], radix: 8) ?? 0o600)
            case "dir":
                try FileManager.default.createDirectory(atPath: root + "/" + parts[1], withIntermediateDirectories: true)
            case "case-symlink":
                try FileManager.default.removeItem(atPath: casePath)
                try FileManager.default.createSymbolicLink(atPath: casePath, withDestinationPath: parts[1])
            case "case-unreadable":
                // Root reads any mode, so as root the file becomes a symlink loop, which no
                // user can open either.
                if getuid() == 0 {
                    try FileManager.default.removeItem(atPath: casePath)
                    try FileManager.default.createSymbolicLink(atPath: casePath, withDestinationPath: casePath)
                } else {
                    chmod(casePath, 0)
                }
            case "case-missing":
                try FileManager.default.removeItem(atPath: casePath)
            case "config-dir-missing":
                configDir = root + "/no-such-dir"
            default:
                Issue.record("\(testCase): unknown setup line '\(line)'")
            }
        }
        defer {
            chmod(casePath, 0o600)
            try? FileManager.default.removeItem(atPath: root)
        }

        var outcome = Outcome(casePath: casePath, directory: configDir)
        let loaded = ConfigLoader(environment: [:]).load(configFile: isMain ? casePath : nil, configDirs: [configDir])
        outcome.errors += loaded.errors
        for file in loaded.clusters {
            outcome.warnings += file.warnings
            switch file.result {
            case .failure(let failure):
                outcome.errors += failure.errors
            case .success(let cluster):
                do {
                    let plugins = try PluginTable.localPlugins(of: cluster)
                    if cluster.name == "zz-good" { outcome.goodClusterLoaded = true }
                    guard isManifest, cluster.name == "objects" else { continue }
                    for source in plugins.sources {
                        let result = try source.endpoints()
                        outcome.goodObjectRead = outcome.goodObjectRead || result.endpoints.contains { $0.name == "good.example.com" }
                        outcome.heldNames += result.invalid.flatMap(\.names)
                        outcome.errors += result.invalid.map { DNSReconcileError($0.error, $0.message, location: $0.location) }
                    }
                } catch {
                    outcome.errors.append(error)
                }
            }
        }
        return outcome
    }

    /// `case:5` → the case file and line 5; `dir` → the config dir.
    static func matches(_ location: DNSReconcileCore.SourceLocation?, _ at: String, outcome: Outcome) -> Bool {
        guard let location else { return false }
        let parts = at.split(separator: ":").map(String.init)
        let file = parts[0] == "dir" ? outcome.directory : outcome.casePath
        guard location.file == file else { return false }
        if parts.count > 1 { return location.line == Int(parts[1]) }
        return true
    }

    static func check(_ testCase: Case) throws {
        let outcome = try run(testCase)
        let expectation = testCase.expectation
        let all = outcome.errors + outcome.warnings
        let rendered = all.map { "\($0.code): \($0)" }.joined(separator: "\n")
        if ProcessInfo.processInfo.environment["DNSRECONCILE_CORPUS_PRINT"] != nil {
            print("corpus \(testCase):\n\(rendered.replacingOccurrences(of: outcome.directory, with: "@CONF@"))")
        }
        if expectation.code == "none" {
            #expect(all.isEmpty, "\(testCase) should load cleanly:\n\(rendered)")
        } else {
            let pool = expectation.severity == "warning" ? outcome.warnings : outcome.errors
            let found = pool.contains { diagnostic in
                diagnostic.code.rawValue == expectation.code && matches(diagnostic.location, expectation.at, outcome: outcome)
                    && diagnostic.description.contains(expectation.message)
            }
            #expect(!expectation.code.isEmpty && !expectation.message.isEmpty, "\(testCase) has an incomplete .expect")
            #expect(found, "\(testCase): no \(expectation.severity) \(expectation.code) at \(expectation.at) with '\(expectation.message)' in\n\(rendered)")
        }
        for diagnostic in all {
            #expect(diagnostic.location != nil, "\(testCase): not located: \(diagnostic)")
            #expect(diagnostic.message.count >= 20, "\(testCase): says too little: \(diagnostic)")
        }
        if expectation.severity == "warning" {
            #expect(outcome.errors.isEmpty, "\(testCase): a warning must not fail the cluster:\n\(rendered)")
        }
        // Everything else goes on: the valid cluster next to the bad file loads (a bad main
        // file or a missing config dir stops the whole invocation with status 64, by design).
        if expectation.role == "cluster" {
            #expect(outcome.goodClusterLoaded, "\(testCase): the valid cluster did not load:\n\(rendered)")
        }
        // A bad annotation skips only its object, whose names are held; the other object of the
        // same file is read.
        if testCase.ext == "yaml" {
            #expect(outcome.goodObjectRead, "\(testCase): the valid object was not read:\n\(rendered)")
            #expect(!outcome.heldNames.isEmpty || expectation.code != "invalid_endpoint", "\(testCase): nothing held")
        }
    }

    @Test(arguments: configCases)
    func configuration(_ testCase: Case) throws {
        try Self.check(testCase)
    }

    @Test(arguments: endpointCases)
    func endpointKeys(_ testCase: Case) throws {
        try Self.check(testCase)
    }

    @Test(arguments: annotationCases)
    func annotations(_ testCase: Case) throws {
        try Self.check(testCase)
    }

    @Test func corpusIsLargeEnough() {
        #expect(Self.configCases.count >= 40, "\(Self.configCases.count) configuration cases")
        #expect(Self.endpointCases.count >= 40, "\(Self.endpointCases.count) endpoint-key cases")
        #expect(Self.annotationCases.count >= 40, "\(Self.annotationCases.count) annotation cases")
    }
}
