import DNSReconcileCore

/// `[source "manifest"]`: Services and Ingresses (and the Nodes and Pods NodePort Services
/// need) read from YAML or JSON files: single objects, `List`s (`kubectl get -o yaml`) and
/// multi-document YAML, from paths with glob patterns. Same filters and annotations as the
/// API server source.
///
/// Relative paths are relative to the directory of the config file that names them. A file
/// that cannot be read or parsed, or an object of a known kind with a wrongly typed field,
/// fails the source (and so the cluster) with the file and line: skipping it would delete its
/// records. When no file matches any pattern the source fails too, for the same reason (a
/// missing mount must not read as "no objects"); a pattern that matches nothing while others
/// match is only a warning. Objects of other kinds are ignored.
public final class ManifestSource: EndpointSource {
    public let kind = "manifest"
    let settings: SourceSettings
    let patterns: [String]

    /// Kinds read from manifests; Nodes and Pods only feed NodePort Services.
    static let kinds: Set<String> = ["Service", "Ingress", "Node", "Pod"]

    public init(section: ConfigSection) throws(DNSReconcileError) {
        settings = try SourceSettings(section: section)
        let values = SchemaValues(section)
        let paths = try values.list("paths") ?? []
        guard !paths.isEmpty else { throw values.bad("paths", "give at least one file or glob pattern") }
        patterns = paths.map { values.resolve($0, key: "paths") }
    }

    public func endpoints() throws(DNSReconcileError) -> SourceResult {
        var warnings: [String] = []
        var files: [String] = []
        for pattern in patterns {
            let matched = try LocalFiles.glob(pattern).filter { !LocalFiles.isDirectory($0) }
            if matched.isEmpty { warnings.append("no manifest file matches \(pattern)") }
            files += matched
        }
        guard !files.isEmpty else {
            throw DNSReconcileError(.source, "no manifest file matches paths = \(patterns.joined(separator: ", ")); refusing to "
                                        + "read that as \"no objects\", which would delete every record of this cluster")
        }
        let collected = Collected()
        for file in EndpointDeriver.unique(files) {
            for document in try YAMLLoader.load(try LocalFiles.read(file, what: "the manifest"), file: file) {
                try collected.add(document.value, at: SourceLocation(file: file, line: document.line), path: nil)
            }
        }
        var result = try EndpointDeriver(settings: settings)
            .derive(services: collected.services, ingresses: collected.ingresses, lookup: collected)
        result.warnings = warnings + result.warnings
        return result
    }

    /// The objects of all files, by kind.
    final class Collected: ClusterLookup {
        var services: [KubeService] = []
        var ingresses: [KubeIngress] = []
        var nodeList: [KubeNode] = []
        var podList: [KubePod] = []

        /// One document or `List` item; `kind` is the list's item kind for items without one.
        func add(_ value: YAMLValue, at location: SourceLocation, path: String?, kind listKind: String? = nil)
            throws(DNSReconcileError) {
            let place = SourceLocation(file: location.file, line: location.line, path: path)
            if value.isNull { return }
            guard case .mapping = value else {
                throw DNSReconcileError(.source, "this document is \(value.kindName), not a Kubernetes object", location: place)
            }
            guard let kind = value["kind"]?.string ?? listKind, !kind.isEmpty else {
                throw DNSReconcileError(.source, "this document has no kind, so it is not a Kubernetes object", location: place)
            }
            if kind.hasSuffix("List") {
                let listed = value["items"] ?? .null
                guard case .sequence(let items) = listed.isNull ? .sequence([]) : listed else {
                    throw DNSReconcileError(.source, "the \(kind) has no items list", location: place)
                }
                let itemKind = kind == "List" ? nil : String(kind.dropLast(4))
                for (index, item) in items.enumerated() {
                    try add(item, at: location, path: (path.map { $0 + "." } ?? "") + "items[\(index)]", kind: itemKind)
                }
                return
            }
            guard ManifestSource.kinds.contains(kind) else { return }
            do {
                let object = try KubeObject(value, kind: kind, defaultNamespace: kind == "Node" ? "" : "default", origin: place)
                switch kind {
                case "Service": services.append(try KubeService(object))
                case "Ingress": ingresses.append(try KubeIngress(object))
                case "Node": nodeList.append(try KubeNode(object))
                default: podList.append(try KubePod(object))
                }
            } catch {
                let name = value["metadata"]?["name"]?.string.map { " \($0)" } ?? ""
                throw DNSReconcileError(.source, "the \(kind)\(name) cannot be read: \(error.description)", location: place)
            }
        }

        func nodes() throws(DNSReconcileError) -> [KubeNode] { nodeList }

        func pods(in namespace: String, matching selector: [String: String]) throws(DNSReconcileError) -> [KubePod] {
            let match = LabelSelector(matching: selector)
            return podList.filter { $0.object.namespace == namespace && match.matches($0.object.labels) }
        }
    }
}
