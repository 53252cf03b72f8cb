import DNSReconcileCore
import Foundation
import Testing
@testable import DNSReconcileCLI

@Suite struct ConfigLoaderTests {
    /// A fresh temporary directory tree, removed when the test ends.
    final class TempTree {
        let root: String

        init() throws {
            root = NSTemporaryDirectory() + "dnsr-config-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        @discardableResult
        func write(_ relative: String, _ text: String) throws -> String {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func mkdir(_ relative: String) throws -> String {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }
    }

    static func cluster(_ owner: String) -> String { "[cluster]\nowner-id = \(owner)\n" }

    @Test func readsConfigFilesInLexicalOrderAndSkipsTheRest() throws {
        let tree = try TempTree()
        let dir = try tree.mkdir("conf.d")
        try tree.write("conf.d/b.ini", Self.cluster("b"))
        try tree.write("conf.d/a.json", "{\"cluster\": {\"owner-id\": \"a\"}}")
        try tree.write("conf.d/c.conf", Self.cluster("c"))
        try tree.write("conf.d/B.ini", Self.cluster("upper-b"))
        for skipped in [".hidden.ini", "d.ini~", "e.ini.bak", "f.ini.dpkg-old", "g.ini.dpkg-dist", "h.ini.rpmnew",
                        "i.conf.rpmsave", "notes.txt", "README"] {
            try tree.write("conf.d/\(skipped)", "garbage [")
        }
        _ = try tree.mkdir("conf.d/sub.ini")

        let loaded = ConfigLoader(environment: [:]).load(configFile: nil, configDirs: [dir])
        #expect(loaded.errors.isEmpty)
        #expect(loaded.clusters.map(\.path) == ["B.ini", "a.json", "b.ini", "c.conf"].map { dir + "/" + $0 })
        #expect(loaded.clusters.map(\.name) == ["B", "a", "b", "c"])
        #expect(loaded.clusters.allSatisfy { $0.errors.isEmpty })
    }

    @Test(arguments: [
        ("a.ini", true), ("a.conf", true), ("a.json", true), ("A.INI", true), ("a.yaml", false), (".a.ini", false),
        ("a.ini~", false), ("a.bak", false), ("a.ini.bak", false), ("a.ini.dpkg-new", false), ("a.conf.dpkg-old", false),
        ("a.ini.rpmnew", false), ("a.ini.rpmsave", false), ("ini", false),
    ])
    func configFileNames(name: String, accepted: Bool) {
        #expect(ConfigLoader.isConfigFileName(name) == accepted)
    }

    @Test func oneBadFileDoesNotStopTheOthers() throws {
        let tree = try TempTree()
        let dir = try tree.mkdir("conf.d")
        try tree.write("conf.d/a.ini", Self.cluster("a"))
        try tree.write("conf.d/b.ini", "[cluster]\nowner-id = b\nfoo = 1\n[endpoint \"x\"]\ntargets = 1.2.3.999\ntype = A\n")
        try tree.write("conf.d/c.ini", Self.cluster("c"))

        let loaded = ConfigLoader(environment: [:]).load(configFile: nil, configDirs: [dir])
        #expect(loaded.errors.isEmpty)
        #expect(loaded.clusters.map(\.name) == ["a", "b", "c"])
        #expect(loaded.clusters.map { $0.errors.isEmpty } == [true, false, true])
        let errors = loaded.clusters[1].errors
        #expect(errors.map(\.code) == [.configUnknownKey, .configBadValue])
        #expect(errors.map { $0.location?.description } == ["\(dir)/b.ini:3", "\(dir)/b.ini:5"])
    }

    @Test func unreadableFileIsALocatedErrorOfThatCluster() throws {
        let tree = try TempTree()
        let dir = try tree.mkdir("conf.d")
        // A dangling symlink cannot be opened even by root, unlike a chmod 000 file.
        try FileManager.default.createSymbolicLink(atPath: dir + "/gone.ini", withDestinationPath: tree.root + "/nowhere")
        try tree.write("conf.d/ok.ini", Self.cluster("ok"))

        let loaded = ConfigLoader(environment: [:]).load(configFile: nil, configDirs: [dir])
        #expect(loaded.errors.isEmpty)
        #expect(loaded.clusters.map(\.name) == ["gone", "ok"])
        let error = try #require(loaded.clusters.first?.errors.first)
        #expect(error.code == .configFile)
        #expect(error.location == SourceLocation(file: dir + "/gone.ini"))
        #expect(error.message.contains("cannot read \(dir)/gone.ini"))
        #expect(error.cause == "No such file or directory")
    }

    @Test func missingDirAndMissingExplicitMainFileAreInvocationErrors() throws {
        let tree = try TempTree()
        let loaded = ConfigLoader(environment: [:]).load(configFile: tree.root + "/main.ini",
                                                         configDirs: [tree.root + "/conf.d"])
        #expect(loaded.errors.map(\.code) == [.configFile, .configFile])
        #expect(loaded.errors[0].message.hasPrefix("the main config file \(tree.root)/main.ini does not exist"))
        #expect(loaded.errors[1].message.hasPrefix("the config dir \(tree.root)/conf.d does not exist"))
        #expect(loaded.errors[1].location == SourceLocation(file: tree.root + "/conf.d"))
        #expect(loaded.clusters.isEmpty)
    }

    @Test func mainFileFromTheEnvironmentGivesDefaultsAndConfigDirs() throws {
        let tree = try TempTree()
        let dirA = try tree.mkdir("a")
        let dirB = try tree.mkdir("b")
        try tree.write("a/one.ini", Self.cluster("one"))
        try tree.write("b/two.ini", Self.cluster("two"))
        let main = try tree.write("main.ini", "[run]\nconfig-dir = \(dirA), \(dirB)\n[safety]\nmax-delete-percent = 5\n")

        let loaded = ConfigLoader(environment: ["DNSRECONCILE_CONFIG": main]).load(configFile: nil, configDirs: [])
        #expect(loaded.errors.isEmpty)
        #expect(loaded.main.file == main)
        #expect(loaded.clusters.map(\.name) == ["one", "two"])
        let cluster = try loaded.clusters[0].result.get()
        #expect(cluster.safety.maxDeletePercent == 5)
    }

    @Test func configDirPrecedence() throws {
        let main = MainConfig(run: RunSettings(configDirs: ["/from-main"]))
        let bare = ConfigLoader(environment: [:])
        let withEnvironment = ConfigLoader(environment: ["DNSRECONCILE_CONFIG_DIR": "/env1:/env2:"])
        #expect(withEnvironment.resolvedConfigDirs(cli: ["/cli", "/cli"], main: main) == ["/cli"])
        #expect(withEnvironment.resolvedConfigDirs(cli: [], main: main) == ["/env1", "/env2"])
        #expect(bare.resolvedConfigDirs(cli: [], main: main) == ["/from-main"])
        #expect(bare.resolvedConfigDirs(cli: [], main: MainConfig()) == ["/etc/dnsreconcile/conf.d"])
    }

    @Test func explicitMainFileWinsOverTheEnvironment() throws {
        let tree = try TempTree()
        let explicit = try tree.write("explicit.ini", "[metrics]\nfile-name = explicit.prom\n")
        let fromEnvironment = try tree.write("env.ini", "[metrics]\nfile-name = env.prom\n")
        let dir = try tree.mkdir("conf.d")
        let loader = ConfigLoader(environment: ["DNSRECONCILE_CONFIG": fromEnvironment])
        #expect(loader.load(configFile: explicit, configDirs: [dir]).main.metrics.fileName == "explicit.prom")
        #expect(loader.load(configFile: nil, configDirs: [dir]).main.metrics.fileName == "env.prom")
    }

    @Test func invalidMainFileIsReportedAndClustersStillChecked() throws {
        let tree = try TempTree()
        let main = try tree.write("main.ini", "[metrics]\ntextfiledir = /x\n[registry]\ntxt-prefix = p-\n")
        let dir = try tree.mkdir("conf.d")
        try tree.write("conf.d/a.ini", Self.cluster("a"))

        let loaded = ConfigLoader(environment: [:]).load(configFile: main, configDirs: [dir])
        #expect(loaded.errors.map(\.code) == [.configUnknownKey])
        #expect(loaded.errors.first?.location == SourceLocation(file: main, line: 2))
        #expect(loaded.errors.first?.message == "unknown key 'textfiledir' in [metrics]; did you mean 'textfile-dir'?")
        #expect(try loaded.clusters.first?.result.get().registry.txtPrefix == "p-")
    }

    @Test func sameClusterNameOrOwnerTwiceFailsTheLaterFile() throws {
        let tree = try TempTree()
        let dir = try tree.mkdir("conf.d")
        try tree.write("conf.d/a.ini", Self.cluster("one"))
        try tree.write("conf.d/a.json", "{\"cluster\": {\"owner-id\": \"two\"}}")
        try tree.write("conf.d/b.ini", "[cluster]\nname = renamed\nowner-id = one\n")
        try tree.write("conf.d/c.ini", "[cluster]\nowner-id = one\n[registry]\ntype = noop\n")

        let loaded = ConfigLoader(environment: [:]).load(configFile: nil, configDirs: [dir])
        #expect(loaded.clusters.map(\.name) == ["a", "a", "renamed", "c"])
        #expect(loaded.clusters.map { $0.errors.map(\.code) } == [[], [.configConflict], [.configConflict], []])
        #expect(loaded.clusters[1].errors.first?.message
            == "cluster 'a' is already defined by \(dir)/a.ini; give this file another [cluster] name or file name")
        #expect(loaded.clusters[1].errors.first?.location == SourceLocation(file: dir + "/a.json"))
        #expect(loaded.clusters[2].errors.first?.message.hasPrefix("owner-id 'one' is already used by \(dir)/a.ini") == true)
    }
}
