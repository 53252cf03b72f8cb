/// One cluster, from one file of a config dir with the main file's defaults applied.
public struct ClusterConfig: Hashable, Sendable {
    /// `[cluster] name`, else the file name without its extension.
    public var name: String
    /// Path of the cluster file.
    public var file: String
    /// TXT owner id; always set when the registry type is txt.
    public var ownerID: String?
    /// The validated `[source "kubernetes"]` / `[source "manifest"]` sections (main-file defaults
    /// merged in), for the source plugins to read.
    public var sources: [ConfigSection]
    /// The static endpoints of the `[endpoint "id"]` sections, in file order.
    public var endpoints: [Endpoint]
    public var registry: RegistrySettings
    public var route53: Route53Settings
    public var safety: SafetyLimits
    public var aws: AWSSettings
    /// Files holding secrets that the configuration names (the TXT encryption key, the AWS
    /// credentials file), with the lines that name them.
    public var secretFiles: [ConfigFileReference] = []

    public init(name: String, file: String, ownerID: String? = nil, sources: [ConfigSection] = [],
                endpoints: [Endpoint] = [], registry: RegistrySettings = .init(), route53: Route53Settings = .init(),
                safety: SafetyLimits = .init(), aws: AWSSettings = .init()) {
        self.name = name
        self.file = file
        self.ownerID = ownerID
        self.sources = sources
        self.endpoints = endpoints
        self.registry = registry
        self.route53 = route53
        self.safety = safety
        self.aws = aws
    }
}
