import DNSReconcileCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the configuration files said: the main file, and each cluster file with its cluster or
/// its errors, so a pass can skip one bad cluster and run the others.
struct LoadedConfig: Sendable {
    /// Built from the valid parts of the main file (built-in defaults when there is none).
    var main: MainConfig
    /// Errors that invalidate the whole invocation (exit status 64): the main file's own errors,
    /// a main file or config dir that does not exist.
    var errors: [DNSReconcileError]
    /// One result per cluster file, in reading order.
    var clusters: [ClusterFile]
}

extension LoadedConfig {
    /// The cluster files that `--cluster` names (every file when it names none), and an error
    /// listing the names that match no configured cluster.
    func clusters(named names: [String]) -> (selected: [ClusterFile], unknown: DNSReconcileError?) {
        let known = clusters.map(\.name)
        let selected = names.isEmpty ? clusters : clusters.filter { names.contains($0.name) }
        let unknown = names.filter { !known.contains($0) }
        guard !unknown.isEmpty else { return (selected, nil) }
        let listed = known.isEmpty ? "(none)" : known.joined(separator: ", ")
        return (selected, DNSReconcileError(
            .usage, "unknown cluster \(unknown.joined(separator: ", ")); the configured clusters are: \(listed)"))
    }
}

/// One file of a config dir and what it gave.
struct ClusterFile: Sendable {
    var path: String
    /// The cluster's name, also for a failed file (its `[cluster] name` when readable, else the
    /// file name without extension), so `--cluster` and the metrics can name it.
    var name: String
    var result: Result<ClusterConfig, ConfigErrors>
    /// Problems that do not stop the cluster (a world-readable secret file); logged as warnings.
    var warnings: [DNSReconcileError] = []

    var errors: [DNSReconcileError] {
        if case .failure(let failure) = result { return failure.errors }
        return []
    }
}

/// Finds and reads the configuration files (the only code that does config file I/O).
///
/// Main file: `--config`, else `$DNSRECONCILE_CONFIG` (both must exist), else
/// /etc/dnsreconcile/dnsreconcile.ini when it exists. Config dirs: `--config-dir`, else
/// `$DNSRECONCILE_CONFIG_DIR` (':'-separated), else `[run] config-dir`, else
/// /etc/dnsreconcile/conf.d. In each dir, `*.ini`, `*.conf` and `*.json` files are read in
/// lexical (byte) order; hidden files, backups (`*~`, `*.bak`, `*.dpkg-*`, `*.rpmnew`,
/// `*.rpmsave`) and subdirectories are skipped.
struct ConfigLoader {
    static let defaultMainFile = "/etc/dnsreconcile/dnsreconcile.ini"
    static let defaultConfigDir = "/etc/dnsreconcile/conf.d"

    let environment: [String: String]

    init(environment: [String: String]) {
        self.environment = environment
    }

    /// Reads everything; never throws: every problem is an error value in the result.
    func load(configFile: String?, configDirs: [String]) -> LoadedConfig {
        var errors: [DNSReconcileError] = []
        var main = MainConfig()

        if let path = mainFilePath(explicit: configFile) {
            switch readText(path) {
            case .success(let text):
                let loaded = MainConfig.load(file: path, text: text)
                main = loaded.config
                errors += loaded.errors
            case .failure(let error):
                errors.append(error)
            }
        } else if let explicit = configFile ?? nonEmpty("DNSRECONCILE_CONFIG") {
            errors.append(DNSReconcileError(
                .configFile,
                "the main config file \(explicit) does not exist; create it or point --config (or DNSRECONCILE_CONFIG) at an existing file",
                location: SourceLocation(file: explicit)))
        }

        var clusters: [ClusterFile] = []
        for directory in resolvedConfigDirs(cli: configDirs, main: main) {
            switch listConfigFiles(in: directory) {
            case .success(let paths):
                for path in paths { clusters.append(loadCluster(path, main: main)) }
            case .failure(let error):
                errors.append(error)
            }
        }
        return LoadedConfig(main: main, errors: errors, clusters: checkUnique(clusters))
    }

    /// The main file to read, or nil when there is none (an explicit one that is missing is
    /// reported by `load`).
    func mainFilePath(explicit: String?) -> String? {
        if let path = explicit ?? nonEmpty("DNSRECONCILE_CONFIG") {
            return exists(path) ? path : nil
        }
        return exists(Self.defaultMainFile) ? Self.defaultMainFile : nil
    }

    func resolvedConfigDirs(cli: [String], main: MainConfig) -> [String] {
        var dirs: [String]
        if !cli.isEmpty {
            dirs = cli
        } else if let fromEnvironment = nonEmpty("DNSRECONCILE_CONFIG_DIR") {
            dirs = fromEnvironment.split(separator: ":").map(String.init)
        } else if let configured = main.run.configDirs, !configured.isEmpty {
            dirs = configured
        } else {
            dirs = [Self.defaultConfigDir]
        }
        // A directory named twice would load every cluster twice and fail them as duplicates.
        var seen: Set<String> = []
        return dirs.filter { seen.insert($0).inserted }
    }

    /// Whether a directory entry is a cluster file (by name only).
    static func isConfigFileName(_ name: String) -> Bool {
        if name.hasPrefix(".") || name.hasSuffix("~") { return false }
        let lowered = name.lowercased()
        for backup in [".bak", ".rpmnew", ".rpmsave"] where lowered.hasSuffix(backup) { return false }
        if lowered.contains(".dpkg-") { return false }
        return ConfigFileFormat(fileName: name) != nil
    }

    /// An INI file is read a piece at a time, so its text is never held whole; a JSON document
    /// is read whole.
    private func loadCluster(_ path: String, main: MainConfig) -> ClusterFile {
        let fallbackName = ClusterConfig.defaultName(forFile: path)
        let result: Result<ClusterConfig, ConfigErrors>
        if ConfigFileFormat(fileName: path) == .json {
            switch readText(path) {
            case .failure(let error):
                return ClusterFile(path: path, name: fallbackName,
                                   result: .failure(ConfigErrors([error], clusterName: fallbackName)))
            case .success(let text):
                result = ClusterConfig.load(file: path, text: consume text, main: main)
            }
        } else {
            let opened = FileSystem.withOpenFile(path) { fd in
                var source = FileSource(path: path, fd: fd)
                return ClusterConfig.load(file: path, reading: &source, main: main)
            }
            switch opened {
            case .failure(let failure):
                return ClusterFile(path: path, name: fallbackName,
                                   result: .failure(ConfigErrors([Self.readError(path, failure.code)],
                                                                 clusterName: fallbackName)))
            case .success(let loaded):
                result = loaded
            }
        }
        switch result {
        case .success(let cluster):
            return ClusterFile(path: path, name: cluster.name, result: result, warnings: SecretFileCheck.warnings(for: cluster))
        case .failure(let failure): return ClusterFile(path: path, name: failure.clusterName ?? fallbackName, result: result)
        }
    }

    /// An open cluster file, read a piece at a time.
    private struct FileSource: ConfigByteSource {
        let path: String
        let fd: Int32

        mutating func read(into buffer: inout [UInt8], count: Int) throws(DNSReconcileError) -> Int {
            switch FileSystem.readMore(fd, into: &buffer, count: count) {
            case .success(let count): return count
            case .failure(let failure): throw ConfigLoader.readError(path, failure.code)
            }
        }

        func line(at offset: Int) -> [UInt8]? {
            FileSystem.line(of: fd, at: offset)
        }
    }

    /// Fails the later of two files that claim the same cluster name, or the same TXT owner id
    /// (two clusters with one owner id would each delete the other's records).
    private func checkUnique(_ clusters: [ClusterFile]) -> [ClusterFile] {
        var names: [String: String] = [:]
        var owners: [String: String] = [:]
        var checked: [ClusterFile] = []
        for var file in clusters {
            var conflicts: [DNSReconcileError] = []
            if let first = names[file.name] {
                conflicts.append(DNSReconcileError(
                    .configConflict,
                    "cluster '\(file.name)' is already defined by \(first); give this file another [cluster] name or file name",
                    location: SourceLocation(file: file.path)))
            } else {
                names[file.name] = file.path
            }
            if case .success(let cluster) = file.result, cluster.registry.type == .txt, let owner = cluster.ownerID {
                if let first = owners[owner] {
                    conflicts.append(DNSReconcileError(
                        .configConflict,
                        "owner-id '\(owner)' is already used by \(first); every cluster needs its own owner id, or they delete each other's records",
                        location: SourceLocation(file: file.path)))
                } else {
                    owners[owner] = file.path
                }
            }
            if !conflicts.isEmpty {
                file.result = .failure(ConfigErrors(file.errors + conflicts, clusterName: file.name))
            }
            checked.append(file)
        }
        return checked
    }

    private func nonEmpty(_ variable: String) -> String? {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        return value
    }

    // MARK: - File system

    private func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The config files of `directory`, sorted by name bytes, with the directory prefixed.
    private func listConfigFiles(in directory: String) -> Result<[String], DNSReconcileError> {
        guard let handle = opendir(directory) else {
            let code = errno
            let message = code == ENOENT
                ? "the config dir \(directory) does not exist; create it or pass --config-dir (or DNSRECONCILE_CONFIG_DIR)"
                : "cannot read the config dir \(directory)"
            return .failure(DNSReconcileError(.configFile, message, location: SourceLocation(file: directory),
                                              cause: code == ENOENT ? nil : String(cString: strerror(code))))
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard Self.isConfigFileName(name) else { continue }
            names.append(name)
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return .success(names
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { prefix + $0 }
            .filter { path in
                var info = stat()
                // Subdirectories named like config files (conf.d/old.conf/) are not files; a
                // dangling symlink still gets an error when it is read.
                return stat(path, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR
            })
    }

    /// The file as UTF-8 text. The bytes are gone when this returns, before the text is
    /// parsed: a pass holds one copy of a large cluster file, not two.
    private func readText(_ path: String) -> Result<String, DNSReconcileError> {
        switch FileSystem.contents(of: path) {
        case .success(let bytes): ConfigFileFormat.decode(file: path, bytes: bytes)
        case .failure(let failure): .failure(Self.readError(path, failure.code))
        }
    }

    private static func readError(_ path: String, _ code: Int32) -> DNSReconcileError {
        DNSReconcileError(.configFile, "cannot read \(path); check that it exists and is readable by this user",
                          location: SourceLocation(file: path), cause: String(cString: strerror(code)))
    }
}
