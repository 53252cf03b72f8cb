import DNSReconcileCore
import DNSReconcileKubernetes

/// Every plugin by the name the config uses, and how to build it. Adding a source, registry or
/// provider is one line here (external-dns `provider/factory`).
enum PluginTable {
    typealias SourceFactory = @Sendable (ClusterConfig, ConfigSection?) throws(DNSReconcileError) -> EndpointSource
    typealias RegistryFactory = @Sendable (ClusterConfig) throws(DNSReconcileError) -> Registry
    typealias ProviderFactory = @Sendable (ClusterConfig, ProviderPool) throws(DNSReconcileError) -> (provider: DNSProvider, account: String)

    /// `endpoint` is the `[endpoint "id"]` sections; the others are `[source "name"]`.
    static let sources: [String: SourceFactory] = [
        "endpoint": { cluster, _ in StaticEndpointSource(cluster: cluster) },
        "kubernetes": { cluster, section throws(DNSReconcileError) in
            try KubernetesSource(section: try sourceSection(section, of: cluster),
                                 environment: ProcessContext.currentEnvironment(),
                                 userAgent: "dnsreconcile/\(DNSReconcileVersion.current)")
        },
        "manifest": { cluster, section throws(DNSReconcileError) in
            try ManifestSource(section: try sourceSection(section, of: cluster))
        },
    ]

    /// Source names the config accepts but this build cannot run yet.
    static let plannedSources: [String] = []

    /// The `[source "…"]` section a source plugin reads (always given for those plugins).
    private static func sourceSection(_ section: ConfigSection?, of cluster: ClusterConfig) throws(DNSReconcileError)
        -> ConfigSection {
        guard let section else {
            throw DNSReconcileError(.internal, "a source plugin was built without its section",
                                    location: SourceLocation(file: cluster.file))
        }
        return section
    }

    static let registries: [String: RegistryFactory] = [
        "txt": { cluster throws(DNSReconcileError) in
            let settings = cluster.registry
            var key: [UInt8]?
            if let path = settings.txtEncryptKeyFile {
                let location = cluster.secretFiles.first { $0.key == "[registry] txt-encrypt-key-file" }?.location
                    ?? SourceLocation(file: cluster.file)
                guard let bytes = FileSystem.readBytes(path) else {
                    throw DNSReconcileError(.configFile, "[registry] txt-encrypt-key-file: cannot read \(path); "
                                                + "check the path and that this user may read it",
                                            location: location, cause: FileSystem.errnoText())
                }
                do throws(DNSReconcileError) {
                    key = try TXTEncryptionKey.parse(bytes)
                } catch {
                    var located = error
                    if located.location == nil { located.location = location }
                    located.message = "[registry] txt-encrypt-key-file \(path): " + located.message
                    throw located
                }
            }
            return TXTRegistry(ownerID: cluster.ownerID ?? cluster.name, prefix: settings.txtPrefix, suffix: settings.txtSuffix,
                               wildcardReplacement: settings.txtWildcardReplacement, encryptionKey: key,
                               managedTypes: Set(settings.managedRecordTypes))
        },
        "noop": { _ in NoopRegistry() },
    ]

    static let providers: [String: ProviderFactory] = [
        "route53": { cluster, pool throws(DNSReconcileError) in try pool.provider(for: cluster.aws) },
    ]

    /// The cluster's sources, by plugin name, with the section that configures each.
    static func sourceSections(of cluster: ClusterConfig) -> [(name: String, section: ConfigSection?)] {
        var list: [(String, ConfigSection?)] = []
        if !cluster.endpoints.isEmpty { list.append(("endpoint", nil)) }
        for section in cluster.sources { list.append((section.name ?? "", section)) }
        return list
    }

    /// Builds the sources and registry without touching the network (what `check-config` checks
    /// beyond the schema). Throws for a source this build does not have, naming the known ones
    /// and where the section is.
    static func localPlugins(of cluster: ClusterConfig) throws(DNSReconcileError)
        -> (sources: [EndpointSource], registry: Registry) {
        var sources: [EndpointSource] = []
        for (name, section) in sourceSections(of: cluster) {
            guard let factory = PluginTable.sources[name] else {
                let known = PluginTable.sources.keys.sorted().joined(separator: ", ")
                let why = plannedSources.contains(name) ? "is not available in this build yet" : "is unknown"
                throw DNSReconcileError(.configUnknownSection, "source \"\(name)\" \(why); the known sources are: \(known)",
                                        location: section?.location ?? SourceLocation(file: cluster.file))
            }
            sources.append(try factory(cluster, section))
        }
        let registryName = cluster.registry.type.rawValue
        guard let registryFactory = registries[registryName] else {
            throw DNSReconcileError(.configBadValue, "registry \"\(registryName)\" is unknown; the known registries are: "
                                        + registries.keys.sorted().joined(separator: ", "),
                                    location: SourceLocation(file: cluster.file))
        }
        return (sources, try registryFactory(cluster))
    }

    /// Everything a pass needs for `cluster`; the provider comes from `pool` (shared per account).
    static func setup(for cluster: ClusterConfig, pool: ProviderPool) throws(DNSReconcileError) -> ClusterSetup {
        let (sources, registry) = try localPlugins(of: cluster)
        guard let providerFactory = providers["route53"] else {
            throw DNSReconcileError(.internal, "the route53 provider is missing from the plugin table")
        }
        let (provider, account) = try providerFactory(cluster, pool)
        let settings = cluster.route53
        guard let policy = Policy(rawValue: settings.policy) else {
            throw DNSReconcileError(.configBadValue, "[provider \"route53\"] policy: unknown policy \(settings.policy)",
                                    location: SourceLocation(file: cluster.file))
        }
        let planner = Planner(policy: policy, managedTypes: Set(cluster.registry.managedRecordTypes), registry: registry,
                              evaluateTargetHealthDefault: settings.evaluateTargetHealth,
                              domainFilter: DomainFilter(settings.domainFilter, exclude: settings.excludeDomains))
        let filter = ZoneFilter(zoneIDs: settings.zoneIDs, domainFilter: settings.domainFilter,
                                excludeDomains: settings.excludeDomains,
                                zoneType: settings.zoneType.flatMap { ZoneFilter.ZoneType(rawValue: $0.rawValue) },
                                zoneTags: settings.zoneTags.sorted { $0.key < $1.key }.map { key, value in
                                    value.map { "\(key)=\($0)" } ?? key
                                })
        return ClusterSetup(name: cluster.name, ownerID: cluster.registry.type == .txt ? cluster.ownerID : nil,
                            sources: sources, planner: planner, zoneFilter: filter, safety: cluster.safety,
                            batcher: Batcher(maxChanges: settings.batchChangeSize), provider: provider, account: account,
                            healthChecks: provider as? HealthCheckProvider)
    }
}
