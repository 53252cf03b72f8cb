extension ClusterConfig {
    /// Validates a cluster file and applies the main file's defaults.
    ///
    /// Main-file sections are inherited key by key: a key of the cluster's section replaces the
    /// same key of the main file's section (an empty value resets it to the built-in default).
    /// `[source "…"]` sections of the main file only give defaults to a cluster that declares
    /// the same source itself, so a cluster never starts reading a source it did not ask for.
    /// Every error of the file is returned, not only the first.
    public static func load(file: String, text: consuming String, main: MainConfig = MainConfig(),
                            format: ConfigFileFormat? = nil) -> Result<ClusterConfig, ConfigErrors> {
        let format = format ?? ConfigFileFormat(fileName: file) ?? .ini
        var loader = ClusterFileLoader(file: file, defaults: main.defaults)
        let scanned = format.scan(file: file, text: text) { loader.take($0) }
        // The text is not needed for the checks across endpoints, which build their own tables:
        // a cluster file of 50,000 endpoints is 5 MB that need not be held while they run.
        _ = consume text
        // A JSON syntax error voids the whole document: the cluster is checked as if it had no sections.
        if !scanned.complete { loader = ClusterFileLoader(file: file, defaults: main.defaults) }
        return loader.finish(parseErrors: scanned.errors)
    }

    /// `load` for an INI cluster file read a piece at a time (`INIParser.scan(file:reading:)`):
    /// the file's text is never held whole. A read error, or bytes that are not UTF-8, fail the
    /// file with that one error.
    public static func load<Source: ConfigByteSource>(file: String, reading source: inout Source,
                                                      main: MainConfig = MainConfig()) -> Result<ClusterConfig, ConfigErrors> {
        var loader = ClusterFileLoader(file: file, defaults: main.defaults)
        switch INIParser.scan(file: file, reading: &source, { loader.take($0) }) {
        case .success(let errors): return loader.finish(parseErrors: errors)
        case .failure(let error): return .failure(ConfigErrors([error], clusterName: defaultName(forFile: file)))
        }
    }

    /// The cluster name a file gets without `[cluster] name`: its base name without extension.
    public static func defaultName(forFile file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }

    /// A cluster file's section with the main file's section of the same kind and name under
    /// it, key by key: the entries of `base` whose keys `section` does not set, then its own.
    static func merged(_ section: ConfigSection, over base: ConfigSection) -> ConfigSection {
        let ownKeys = Set(section.entries.map(\.key))
        var combined = section
        combined.entries = base.entries.filter { !ownKeys.contains($0.key) } + section.entries
        return combined
    }

    /// The cluster name, with an error when it cannot be one.
    static func clusterName(file: String, section: ConfigSection?, errors: inout [DNSReconcileError]) -> String {
        let given: String? = (try? section?.string("name")) ?? nil
        let name = clusterName(file: file, section: section)
        if name.isEmpty || name.contains("*") || !ConfigValidator.isValidID(name) {
            errors.append(DNSReconcileError(
                .configBadValue,
                given != nil
                    ? "[cluster] name: '\(name)' may hold only letters, digits, '.', '-' and '_'"
                    : "the cluster name '\(name)' (from the file name) may hold only letters, digits, '.', '-' and '_'; "
                        + "rename the file or set name = ... under [cluster]",
                location: section?.entry("name")?.location ?? SourceLocation(file: file)))
        }
        return name
    }

    /// `[cluster] name` of `section`, else the file's name without extension.
    static func clusterName(file: String, section: ConfigSection?) -> String {
        let given: String? = (try? section?.string("name")) ?? nil
        return given ?? defaultName(forFile: file)
    }

    static func isValidOwnerID(_ id: String) -> Bool {
        !id.isEmpty && !id.contains { $0 == "," || $0 == "=" || $0 == "\"" || $0.isWhitespace || !$0.isASCII }
    }

    /// A "needs key" error for each required key that `section` lacks (unless its value was refused).
    static func missingRequiredKeys(in section: ConfigSection, schema: ConfigSectionSchema?,
                                    rejected: Set<String>) -> [DNSReconcileError] {
        guard let schema = schema ?? ConfigSchema.section(kind: section.kind, name: section.name) else { return [] }
        var errors: [DNSReconcileError] = []
        for key in schema.requiredKeys where !section.has(key.name)
            && !rejected.contains(section.header + " " + key.name) {
            errors.append(DNSReconcileError(
                .configMissingKey,
                "\(section.header) needs \(key.name): add `\(key.name) = ...` (\(key.summary))",
                location: section.location))
        }
        return errors
    }
}

extension Array where Element == DNSReconcileError {
    /// In file order (stable), so a user reads them top to bottom; errors without a line first.
    func sortedByLocation() -> [DNSReconcileError] {
        enumerated().sorted { lhs, rhs in
            let l = (lhs.element.location?.file ?? "", lhs.element.location?.line ?? 0)
            let r = (rhs.element.location?.file ?? "", rhs.element.location?.line ?? 0)
            return l != r ? l < r : lhs.offset < rhs.offset
        }.map(\.element)
    }
}
