extension ClusterConfig {
    /// Validates a cluster file and applies the main file's defaults.
    ///
    /// Main-file sections are inherited key by key: a key of the cluster's section replaces the
    /// same key of the main file's section (an empty value resets it to the built-in default).
    /// `[source "…"]` sections of the main file only give defaults to a cluster that declares
    /// the same source itself, so a cluster never starts reading a source it did not ask for.
    /// Every error of the file is returned, not only the first.
    public static func load(file: String, text: String, main: MainConfig = MainConfig(),
                            format: ConfigFileFormat? = nil) -> Result<ClusterConfig, ConfigErrors> {
        let format = format ?? ConfigFileFormat(fileName: file) ?? .ini
        let parsed = format.parse(file: file, text: text)
        var validator = ConfigValidator(role: .cluster)
        let own = validator.validate(parsed.sections)
        var errors = parsed.errors + validator.errors
        let sections = merge(defaults: main.defaults, own: own)

        let clusterSection = sections.first { $0.kind == "cluster" }
        let name = clusterName(file: file, section: clusterSection, errors: &errors)
        let ownerID: String? = (try? clusterSection?.string("owner-id")) ?? nil
        if let ownerID, !isValidOwnerID(ownerID) {
            errors.append(DNSReconcileError(
                .configBadValue,
                "[cluster] owner-id: '\(ownerID)' may not contain spaces, ',', '=' or '\"' (they would break the TXT ownership record)",
                location: clusterSection?.entry("owner-id")?.location))
        }

        var reader = ClusterSettingsReader(file: file, sections: sections)
        let settings = reader.readSettings()
        errors += reader.errors

        if settings.registry.type == .txt, ownerID == nil,
           !validator.rejected.contains("[cluster] owner-id") {
            errors.append(DNSReconcileError(
                .configMissingKey,
                "the txt registry needs this cluster's owner id; add `owner-id = ...` under [cluster] "
                    + "(a name unique to this cluster, e.g. owner-id = \(name)), or set [registry] type = noop",
                // The location names the file; the message says what to add.
                location: clusterSection?.location ?? SourceLocation(file: file)))
        }
        errors += missingRequiredKeys(in: sections, rejected: validator.rejected)

        var endpoints: [Endpoint] = []
        let endpointSchema = ConfigSchema.sections.first { $0.kind == "endpoint" }
        for section in sections where section.kind == "endpoint" {
            guard let endpointSchema else { break }
            var reader = EndpointSectionReader(section: section, schema: endpointSchema, cluster: name, file: file,
                                               rejected: validator.rejected)
            if let endpoint = reader.read() { endpoints.append(endpoint) }
            errors += reader.errors
        }
        errors += crossCheck(endpoints, managedTypes: settings.registry.managedRecordTypes)

        guard errors.isEmpty else { return .failure(ConfigErrors(errors.sortedByLocation(), clusterName: name)) }
        var cluster = ClusterConfig(
            name: name, file: file, ownerID: ownerID, sources: sections.filter { $0.kind == "source" },
            endpoints: endpoints, registry: settings.registry, route53: settings.route53, safety: settings.safety,
            aws: settings.aws)
        cluster.secretFiles = reader.secretFiles()
        return .success(cluster)
    }

    /// Validates cluster file bytes (UTF-8).
    public static func load(file: String, bytes: [UInt8], main: MainConfig = MainConfig())
        -> Result<ClusterConfig, ConfigErrors> {
        switch ConfigFileFormat.decode(file: file, bytes: bytes) {
        case .success(let text): load(file: file, text: text, main: main)
        case .failure(let error): .failure(ConfigErrors([error], clusterName: defaultName(forFile: file)))
        }
    }

    /// The cluster name a file gets without `[cluster] name`: its base name without extension.
    public static func defaultName(forFile file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }

    /// The main file's sections with the cluster's keys laid over them, key by key.
    static func merge(defaults: [ConfigSection], own: [ConfigSection]) -> [ConfigSection] {
        var merged: [ConfigSection] = []
        for section in own {
            guard let base = defaults.first(where: { $0.kind == section.kind && $0.name == section.name }) else {
                merged.append(section)
                continue
            }
            let ownKeys = Set(section.entries.map(\.key))
            var combined = section
            combined.entries = base.entries.filter { !ownKeys.contains($0.key) } + section.entries
            merged.append(combined)
        }
        for base in defaults where base.kind != "source"
            && !own.contains(where: { $0.kind == base.kind && $0.name == base.name }) {
            merged.append(base)
        }
        return merged
    }

    private static func clusterName(file: String, section: ConfigSection?,
                                    errors: inout [DNSReconcileError]) -> String {
        let given: String? = (try? section?.string("name")) ?? nil
        let name = given ?? defaultName(forFile: file)
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

    static func isValidOwnerID(_ id: String) -> Bool {
        !id.isEmpty && !id.contains { $0 == "," || $0 == "=" || $0 == "\"" || $0.isWhitespace || !$0.isASCII }
    }

    private static func missingRequiredKeys(in sections: [ConfigSection],
                                            rejected: Set<String>) -> [DNSReconcileError] {
        var errors: [DNSReconcileError] = []
        for section in sections {
            guard let schema = ConfigSchema.section(kind: section.kind, name: section.name) else { continue }
            for key in schema.keys where key.required && !section.has(key.name)
                && !rejected.contains(section.header + " " + key.name) {
                errors.append(DNSReconcileError(
                    .configMissingKey,
                    "\(section.header) needs \(key.name): add `\(key.name) = ...` (\(key.summary))",
                    location: section.location))
            }
        }
        return errors
    }

    /// Checks between endpoints: unique record sets, CNAMEs alone at their name, types managed.
    private static func crossCheck(_ endpoints: [Endpoint], managedTypes: [RecordType]) -> [DNSReconcileError] {
        var errors: [DNSReconcileError] = []
        var seen: [RecordKey: Endpoint] = [:]
        var typesByName: [DNSName: [Endpoint]] = [:]
        for endpoint in endpoints {
            let label = endpoint.resource.map { "[endpoint \"\($0.split(separator: "/").last ?? "")\"]" } ?? "[endpoint]"
            if let first = seen[endpoint.key] {
                errors.append(DNSReconcileError(
                    .configConflict,
                    "\(label) declares \(endpoint.key) again (first at \(first.origin?.description ?? "?")); "
                        + "merge them or give each a different set-identifier",
                    location: endpoint.origin))
                continue
            }
            seen[endpoint.key] = endpoint
            // ExternalDNS turns an alias CNAME into A and AAAA aliases, so it may share its name.
            let isPlainCNAME = endpoint.type == .cname && endpoint.alias == nil
            if let clash = typesByName[endpoint.name, default: []].first(where: { other in
                let otherPlainCNAME = other.type == .cname && other.alias == nil
                return (isPlainCNAME || otherPlainCNAME) && other.type != endpoint.type
            }) {
                errors.append(DNSReconcileError(
                    .configConflict,
                    "\(label): a CNAME cannot share its name \(endpoint.name.fqdn) with other records "
                        + "(\(clash.type) at \(clash.origin?.description ?? "?")); use A/AAAA targets or another name",
                    location: endpoint.origin))
            }
            typesByName[endpoint.name, default: []].append(endpoint)
            let needed: [RecordType] = endpoint.alias != nil && endpoint.type == .cname ? [.a, .aaaa] : [endpoint.type]
            for type in needed where !managedTypes.contains(type) {
                errors.append(DNSReconcileError(
                    .configConflict,
                    "\(label) is a \(type) record but [registry] managed-record-types does not include \(type); add it there",
                    location: endpoint.origin))
            }
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
