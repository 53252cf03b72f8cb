import DNSReconcileCore

/// The filter and derivation keys shared by `[source "kubernetes"]` and `[source "manifest"]`,
/// read and checked when the configuration is loaded (so `check-config` reports them).
struct SourceSettings: Hashable, Sendable {
    /// `service`, `ingress`.
    var resources: [String]
    var namespace: String?
    var labelSelector: LabelSelector?
    var annotationFilter: LabelSelector?
    var ingressClasses: [String]
    /// Empty: every type (ExternalDNS's default).
    var serviceTypes: [String]
    /// In order of precedence.
    var annotationPrefixes: [String]
    var defaultTargets: [String]
    var fqdnTemplate: FQDNTemplate?
    var ignoreHostnameAnnotation: Bool

    /// Our own prefix, for the managed health-check annotations.
    static let ownPrefix = "dnsreconcile.io/"

    init(resources: [String] = ["service", "ingress"], namespace: String? = nil, labelSelector: LabelSelector? = nil,
         annotationFilter: LabelSelector? = nil, ingressClasses: [String] = [], serviceTypes: [String] = [],
         annotationPrefixes: [String] = ["external-dns.kubernetes.io/", "external-dns.alpha.kubernetes.io/"],
         defaultTargets: [String] = [], fqdnTemplate: FQDNTemplate? = nil, ignoreHostnameAnnotation: Bool = false) {
        self.resources = resources
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.annotationFilter = annotationFilter
        self.ingressClasses = ingressClasses
        self.serviceTypes = serviceTypes
        self.annotationPrefixes = annotationPrefixes
        self.defaultTargets = defaultTargets
        self.fqdnTemplate = fqdnTemplate
        self.ignoreHostnameAnnotation = ignoreHostnameAnnotation
    }

    /// Reads the keys of `section`; defaults come from `ConfigSchema`.
    init(section: ConfigSection) throws(DNSReconcileError) {
        let values = SchemaValues(section)
        resources = try values.choiceList("resources", from: ["service", "ingress"]) ?? []
        namespace = try values.string("namespace")
        ingressClasses = try values.list("ingress-class") ?? []
        serviceTypes = try values.choiceList("service-types", from: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]) ?? []
        annotationPrefixes = try values.list("annotation-prefix") ?? []
        defaultTargets = try values.list("default-targets") ?? []
        ignoreHostnameAnnotation = try values.bool("ignore-hostname-annotation") ?? false

        if let text = try values.string("label-selector") {
            do {
                labelSelector = try LabelSelector(parsing: text)
            } catch {
                throw values.bad("label-selector", "'\(text)' is not a label selector: \(error)")
            }
        }
        if let text = try values.string("annotation-filter") {
            do {
                annotationFilter = try LabelSelector(parsing: text)
            } catch {
                throw values.bad("annotation-filter", "'\(text)' is not a label-selector expression: \(error)")
            }
        }
        if let text = try values.string("fqdn-template") {
            do {
                fqdnTemplate = try FQDNTemplate(parsing: text)
            } catch {
                throw values.bad("fqdn-template", "\(error)")
            }
        }

        if annotationPrefixes.isEmpty {
            throw values.bad("annotation-prefix", "give at least one prefix, e.g. external-dns.kubernetes.io/")
        }
        if let prefix = annotationPrefixes.first(where: { !$0.hasSuffix("/") || $0.count < 2 }) {
            throw values.bad("annotation-prefix", "'\(prefix)' must end with '/', e.g. external-dns.kubernetes.io/")
        }
        if resources.isEmpty {
            throw values.bad("resources", "give service, ingress or both")
        }
        if ignoreHostnameAnnotation && fqdnTemplate == nil {
            throw values.bad("ignore-hostname-annotation",
                             "without fqdn-template nothing would name the Services; set fqdn-template or remove it",
                             code: .configConflict)
        }
        if !ingressClasses.isEmpty, annotationFilter?.keys.contains(KubeIngress.classAnnotation) == true {
            throw values.bad("ingress-class",
                             "filter ingress classes either with ingress-class or with an annotation-filter on "
                                + "\(KubeIngress.classAnnotation), not both", code: .configConflict)
        }
        if let bad = defaultTargets.first(where: { !AddressSyntax.isIPv4($0) && !AddressSyntax.isIPv6($0)
                                                    && !AddressSyntax.isHostName($0) }) {
            throw values.bad("default-targets", "'\(bad)' is neither an IP address nor a host name")
        }
    }

    var readsServices: Bool { resources.contains("service") }
    var readsIngresses: Bool { resources.contains("ingress") }
}
