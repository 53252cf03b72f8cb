import DNSReconcileCore
import DNSReconcileHTTP

/// `[source "kubernetes"]`: Services and Ingresses read from a live API server, turned into
/// endpoints as ExternalDNS does.
///
/// The section is checked when the source is built (what `check-config` sees); the kubeconfig
/// is read and the server contacted only by `endpoints()`. Any failure there (unreachable
/// server, rejected credentials, missing permission) throws, which fails this cluster before
/// anything is planned: a partial listing would delete the records of what was not read.
public final class KubernetesSource: EndpointSource {
    public typealias TransportFactory = (HTTPOptions) throws(DNSReconcileError) -> HTTPTransport

    public let kind = "kubernetes"
    let settings: SourceSettings
    private let kubeconfig: String?
    private let context: String?
    private let environment: [String: String]
    private let serviceAccountDirectory: String
    private let userAgent: String
    private let makeTransport: TransportFactory

    /// - Parameters:
    ///   - section: the validated `[source "kubernetes"]` section.
    ///   - environment: the process environment (`KUBECONFIG`, `KUBERNETES_SERVICE_HOST`/`_PORT`).
    ///   - serviceAccountDirectory: where the in-cluster token and CA are mounted.
    ///   - transport: builds the HTTP transport for the connection's TLS settings; default libcurl.
    public init(section: ConfigSection, environment: [String: String],
                serviceAccountDirectory: String = "/var/run/secrets/kubernetes.io/serviceaccount",
                userAgent: String = "dnsreconcile", transport: TransportFactory? = nil) throws(DNSReconcileError) {
        settings = try SourceSettings(section: section)
        let values = SchemaValues(section)
        kubeconfig = try values.string("kubeconfig").map { values.resolve($0, key: "kubeconfig") }
        context = try values.string("context")
        self.environment = environment
        self.serviceAccountDirectory = serviceAccountDirectory
        self.userAgent = userAgent
        if let transport {
            makeTransport = transport
        } else {
            makeTransport = Self.curlTransport
        }
    }

    static func curlTransport(_ options: HTTPOptions) throws(DNSReconcileError) -> HTTPTransport {
        try CurlTransport(options: options)
    }

    public func endpoints() throws(DNSReconcileError) -> SourceResult {
        let connection = try KubeConnection.resolve(kubeconfig: kubeconfig, context: context, environment: environment,
                                                    serviceAccountDirectory: serviceAccountDirectory)
        let client = KubeAPIClient(connection: connection,
                                   transport: try makeTransport(connection.httpOptions(userAgent: userAgent)))
        let selector = settings.labelSelector?.text
        var services: [KubeService] = []
        if settings.readsServices {
            for item in try client.list(.services, namespace: settings.namespace, labelSelector: selector) {
                do {
                    services.append(try KubeService(try Self.object(item, as: .services)))
                } catch {
                    throw Self.failure(error, item: item, as: .services, server: connection.server)
                }
            }
        }
        var ingresses: [KubeIngress] = []
        if settings.readsIngresses {
            for item in try client.list(.ingresses, namespace: settings.namespace, labelSelector: selector) {
                do {
                    ingresses.append(try KubeIngress(try Self.object(item, as: .ingresses)))
                } catch {
                    throw Self.failure(error, item: item, as: .ingresses, server: connection.server)
                }
            }
        }
        var result = try EndpointDeriver(settings: settings)
            .derive(services: services, ingresses: ingresses, lookup: APILookup(client: client))
        result.warnings = connection.warnings + client.notes + result.warnings
        return result
    }

    static func object(_ item: YAMLValue, as resource: KubeResource) throws(KubeDecodingError) -> KubeObject {
        try KubeObject(item, kind: resource.kind, defaultNamespace: "", origin: nil)
    }

    static func failure(_ error: KubeDecodingError, item: YAMLValue, as resource: KubeResource,
                        server: String) -> DNSReconcileError {
        let name = item["metadata"]?["name"]?.string ?? "?"
        let namespace = item["metadata"]?["namespace"]?.string ?? ""
        return DNSReconcileError(.source, "\(resource.kind.lowercased())/\(namespace)/\(name) from \(server) cannot be "
                                    + "read: \(error.description)")
    }

    /// Nodes and pods from the API server, listed only when a NodePort Service asks.
    private final class APILookup: ClusterLookup {
        let client: KubeAPIClient
        private var cachedNodes: [KubeNode]?

        init(client: KubeAPIClient) { self.client = client }

        func nodes() throws(DNSReconcileError) -> [KubeNode] {
            if let cachedNodes { return cachedNodes }
            var nodes: [KubeNode] = []
            for item in try client.list(.nodes) {
                do {
                    nodes.append(try KubeNode(try KubernetesSource.object(item, as: .nodes)))
                } catch {
                    throw KubernetesSource.failure(error, item: item, as: .nodes, server: client.connection.server)
                }
            }
            cachedNodes = nodes
            return nodes
        }

        func pods(in namespace: String, matching selector: [String: String]) throws(DNSReconcileError) -> [KubePod] {
            var pods: [KubePod] = []
            let text = LabelSelector(matching: selector).text
            for item in try client.list(.pods, namespace: namespace, labelSelector: text) {
                do {
                    pods.append(try KubePod(try KubernetesSource.object(item, as: .pods)))
                } catch {
                    throw KubernetesSource.failure(error, item: item, as: .pods, server: client.connection.server)
                }
            }
            return pods
        }
    }
}
