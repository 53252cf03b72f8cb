/// Builds a `ClusterConfig` from the sections of a cluster file as the parser hands them over,
/// one at a time: each is validated and merged with the main file's section of the same kind
/// and name at once, and an `[endpoint]` section is turned into its `Endpoint` and dropped. A
/// cluster file of 50,000 endpoints therefore never has all its sections, entries and
/// locations alive at the same time, only the endpoints it declares.
///
/// The result is the one the steps would give one after the other over all sections
/// (validate, merge, settings, required keys, endpoints, checks between endpoints): errors are
/// collected per step and joined in that order before they are sorted by location.
struct ClusterFileLoader {
    let file: String
    /// The main file's sections.
    let defaults: [ConfigSection]
    private var validator = ConfigValidator(role: .cluster)
    /// Validated and merged sections other than endpoints, in file order.
    private var sections: [ConfigSection] = []
    /// The endpoints read so far, packed as they come.
    private var endpoints = Endpoint.Packer()
    /// Positions in `defaults` of the sections the file has too (a default the file does not
    /// override is added after the file's own sections).
    private var overridden: Set<Int> = []
    private var missingKeyErrors: [DNSReconcileError] = []
    private var endpointErrors: [DNSReconcileError] = []
    /// The cluster name once the file's `[cluster]` section is read. Endpoints read before it
    /// are labelled with `provisionalName` and relabelled at the end if the two differ.
    private var clusterName: String?
    private lazy var provisionalName = ClusterConfig.clusterName(
        file: file, section: defaults.first { $0.kind == "cluster" })
    private var provisionallyNamed = 0

    private static let endpointSchema = ConfigSchema.sections.first { $0.kind == "endpoint" }

    init(file: String, defaults: [ConfigSection]) {
        self.file = file
        self.defaults = defaults
    }

    /// Takes the next section of the file, as parsed.
    mutating func take(_ parsed: ConfigSection) {
        guard let own = validator.validate(parsed) else { return }
        var section = own
        var base: ConfigSection?
        for (index, candidate) in defaults.enumerated() where candidate.kind == own.kind && candidate.name == own.name {
            if base == nil { base = candidate }
            overridden.insert(index)
        }
        if let base { section = ClusterConfig.merged(section, over: base) }
        add(section)
    }

    /// A validated, merged section: checked for required keys and kept, or read as an endpoint.
    private mutating func add(_ section: ConfigSection) {
        let isEndpoint = section.kind == "endpoint"
        missingKeyErrors += ClusterConfig.missingRequiredKeys(in: section, schema: isEndpoint ? Self.endpointSchema : nil,
                                                              rejected: validator.rejected)
        guard isEndpoint else {
            // The first `[cluster]` names the cluster (the file's own, before any default).
            if section.kind == "cluster", clusterName == nil {
                clusterName = ClusterConfig.clusterName(file: file, section: section)
            }
            sections.append(section)
            return
        }
        guard let schema = Self.endpointSchema else { return }
        var reader = EndpointSectionReader(section: section, schema: schema, cluster: clusterName ?? provisionalName, file: file,
                                           rejected: validator.rejected)
        if let endpoint = reader.read() {
            endpoints.append(endpoint)
            if clusterName == nil { provisionallyNamed = endpoints.count }
        }
        endpointErrors += reader.errors
    }

    /// The cluster, or every error of the file. `parseErrors` are the parser's own.
    mutating func finish(parseErrors: [DNSReconcileError]) -> Result<ClusterConfig, ConfigErrors> {
        for (index, base) in defaults.enumerated() where base.kind != "source" && !overridden.contains(index) {
            add(base)
        }
        var errors = parseErrors + validator.errors

        let clusterSection = sections.first { $0.kind == "cluster" }
        let name = ClusterConfig.clusterName(file: file, section: clusterSection, errors: &errors)
        let ownerID: String? = (try? clusterSection?.string("owner-id")) ?? nil
        if let ownerID, !ClusterConfig.isValidOwnerID(ownerID) {
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
        errors += missingKeyErrors
        errors += endpointErrors
        var endpoints = self.endpoints.finish()
        errors += EndpointCrossCheck.errors(in: endpoints, managedTypes: settings.registry.managedRecordTypes)

        guard errors.isEmpty else { return .failure(ConfigErrors(errors.sortedByLocation(), clusterName: name)) }
        if Self.relabel(&endpoints, count: provisionallyNamed, from: provisionalName, to: name) {
            endpoints = Endpoint.packed(endpoints)
        }
        var cluster = ClusterConfig(
            name: name, file: file, ownerID: ownerID, sources: sections.filter { $0.kind == "source" },
            endpoints: endpoints, registry: settings.registry, route53: settings.route53, safety: settings.safety,
            aws: settings.aws)
        cluster.secretFiles = reader.secretFiles()
        return .success(cluster)
    }

    /// Gives the first `count` endpoints, labelled `endpoint/<old>/<id>`, the cluster name
    /// `new`; false when there is nothing to change.
    private static func relabel(_ endpoints: inout [Endpoint], count: Int, from old: String, to new: String) -> Bool {
        guard count > 0, old != new else { return false }
        let prefix = "endpoint/\(old)/"
        for index in 0..<count {
            guard let resource = endpoints[index].resource, resource.hasPrefix(prefix) else { continue }
            endpoints[index].resource = "endpoint/\(new)/" + resource.dropFirst(prefix.count)
        }
        return true
    }
}
