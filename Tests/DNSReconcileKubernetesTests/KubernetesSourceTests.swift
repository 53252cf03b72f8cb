import DNSReconcileCore
import DNSReconcileHTTP
@testable import DNSReconcileKubernetes
import DNSReconcileTestSupport
import Foundation
import Testing

/// The API server source against the fake HTTPS API server: connection variants, listing,
/// paging and every Status error.
@Suite("Kubernetes source against a fake API server", .serialized)
final class KubernetesSourceTests {
    static let prefix = "external-dns.kubernetes.io/"
    let server: FakeKubeAPIServer
    let scratch: String

    init() throws {
        server = try FakeKubeAPIServer(objects: Self.objects)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dnsr-k8s-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    static func ingress(_ name: String, namespace: String, host: String, ip: String, labels: String = "{}") -> String {
        """
        {"metadata": {"name": "\(name)", "namespace": "\(namespace)", "labels": \(labels)},
         "spec": {"ingressClassName": "nginx", "rules": [{"host": "\(host)"}]},
         "status": {"loadBalancer": {"ingress": [{"ip": "\(ip)"}]}}}
        """
    }

    static let objects = """
        {"ingresses": [
           \(ingress("a", namespace: "web", host: "a.example.com", ip: "192.0.2.1", labels: #"{"app": "web"}"#)),
           \(ingress("b", namespace: "web", host: "b.example.com", ip: "192.0.2.2")),
           \(ingress("c", namespace: "shop", host: "c.example.com", ip: "192.0.2.3", labels: #"{"app": "web"}"#))],
         "services": [
           {"metadata": {"name": "np", "namespace": "web", "annotations": {"\(prefix)hostname": "np.example.com"}},
            "spec": {"type": "NodePort", "selector": {"app": "np"}, "externalTrafficPolicy": "Local",
                     "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}]}}],
         "nodes": [
           {"metadata": {"name": "n1"}, "status": {"addresses": [{"type": "ExternalIP", "address": "198.51.100.1"}]}},
           {"metadata": {"name": "n2"}, "status": {"addresses": [{"type": "ExternalIP", "address": "198.51.100.2"}]}}],
         "pods": [
           {"metadata": {"name": "p", "namespace": "web", "labels": {"app": "np"}}, "spec": {"nodeName": "n2"},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}]}
        """

    func section(_ entries: [(String, String)]) -> ConfigSection {
        ConfigSection(kind: "source", name: "kubernetes",
                      entries: entries.map { ConfigEntry(key: $0.0, value: .text($0.1), location: SourceLocation(file: scratch + "/c.ini")) },
                      location: SourceLocation(file: scratch + "/c.ini", line: 1))
    }

    func source(_ entries: [(String, String)], environment: [String: String] = [:],
                serviceAccount: String? = nil) throws -> KubernetesSource {
        try KubernetesSource(section: section(entries), environment: environment,
                             serviceAccountDirectory: serviceAccount ?? scratch + "/no-such-dir")
    }

    func kubeconfig(_ name: String = "kubeconfig", user: [String]? = nil, cluster: [String]? = nil) throws -> String {
        try server.writeKubeconfig(to: scratch + "/" + name, user: user, cluster: cluster)
    }

    func names(_ result: SourceResult) -> [String] {
        result.endpoints.map { "\($0.type) \($0.name.value) \($0.targets.joined(separator: ","))" }
    }

    func base64(_ path: String) throws -> String {
        try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString()
    }

    static let expectedAll = [
        "A a.example.com 192.0.2.1", "A b.example.com 192.0.2.2", "A c.example.com 192.0.2.3", "A np.example.com 198.51.100.2",
        "SRV _np._tcp.np.example.com 0 50 30080 np.example.com.",
    ]

    // MARK: Connection variants

    @Test func bearerTokenAndCAFileListEverythingInAllNamespaces() throws {
        let result = try source([("kubeconfig", try kubeconfig())]).endpoints()
        #expect(names(result).sorted() == Self.expectedAll.sorted())
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let requests = server.requests()
        #expect(requests.contains("GET /api/v1/services?limit=500 bearer"), "\(requests)")
        #expect(requests.contains("GET /apis/networking.k8s.io/v1/ingresses?limit=500 bearer"), "\(requests)")
        #expect(requests.contains("GET /api/v1/nodes?limit=500 bearer"), "NodePort Services need the nodes: \(requests)")
        #expect(requests.contains("GET /api/v1/namespaces/web/pods?limit=500&labelSelector=app%3Dnp bearer"),
                "externalTrafficPolicy Local needs the pods: \(requests)")
    }

    @Test func tokenFileRelativeToTheKubeconfigIsReadAtEachPass() throws {
        try "\(server.token)\n".write(toFile: scratch + "/token", atomically: true, encoding: .utf8)
        let source = try source([("kubeconfig", try kubeconfig(user: ["tokenFile: token"]))])
        #expect(names(try source.endpoints()).count == 5)
        try "rotated-but-wrong\n".write(toFile: scratch + "/token", atomically: true, encoding: .utf8)
        let error = #expect(throws: DNSReconcileError.self) { try source.endpoints() }
        #expect(error?.message.contains("rejected the credentials") == true, "\(String(describing: error))")
    }

    @Test func clientCertificateAndKeyFiles() throws {
        let config = try kubeconfig(user: ["client-certificate: \(server.clientCertificate)", "client-key: \(server.clientKey)"])
        #expect(names(try source([("kubeconfig", config)]).endpoints()).count == 5)
        #expect(server.requests().allSatisfy { $0.hasSuffix(" cert:tester") }, "\(server.requests())")
    }

    @Test func clientCertificateKeyAndCAAsData() throws {
        let config = try kubeconfig(
            user: ["client-certificate-data: \(try base64(server.clientCertificate))",
                   "client-key-data: \(try base64(server.clientKey))"],
            cluster: ["server: \(server.baseURL)", "certificate-authority-data: \(try base64(server.caCertificate))"])
        #expect(names(try source([("kubeconfig", config)]).endpoints()).count == 5)
        #expect(server.requests().allSatisfy { $0.hasSuffix(" cert:tester") }, "\(server.requests())")
        // The key was given in memory only: nothing was written next to the kubeconfig.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch) == ["kubeconfig"])
    }

    @Test func aKeyThatDoesNotBelongToTheCertificateIsAClearErrorWithoutTheKey() throws {
        let wrongKey = try base64(server.directory + "/ca.key")
        let config = try kubeconfig(user: ["client-certificate-data: \(try base64(server.clientCertificate))",
                                           "client-key-data: \(wrongKey)"])
        let error = #expect(throws: DNSReconcileError.self) { try self.source([("kubeconfig", config)]).endpoints() }
        #expect(error?.message.contains("the client certificate or key ((PEM data,") == true, "\(String(describing: error))")
        #expect(error?.message.contains("cannot be used") == true, "\(String(describing: error))")
        let keyText = try String(contentsOfFile: server.directory + "/ca.key", encoding: .utf8)
        let keyBody = keyText.split(separator: "\n")[1]
        #expect(error?.description.contains(keyBody) == false && error?.description.contains(wrongKey) == false)
    }

    @Test func contextSelectsClusterAndUser() throws {
        let text = """
            apiVersion: v1
            kind: Config
            current-context: broken
            clusters:
            - {name: good, cluster: {server: "\(server.baseURL)/", certificate-authority: \(server.caCertificate)}}
            - {name: bad, cluster: {server: "https://127.0.0.1:1", certificate-authority: \(server.caCertificate)}}
            contexts:
            - {name: broken, context: {cluster: bad, user: u}}
            - {name: working, context: {cluster: good, user: u}}
            users:
            - {name: u, user: {token: \(server.token)}}
            """
        try text.write(toFile: scratch + "/multi", atomically: true, encoding: .utf8)
        #expect(names(try source([("kubeconfig", scratch + "/multi"), ("context", "working")]).endpoints()).count == 5)
        let unreachable = #expect(throws: DNSReconcileError.self) { try self.source([("kubeconfig", self.scratch + "/multi")]).endpoints() }
        #expect(unreachable?.message.contains("cannot reach the Kubernetes API server https://127.0.0.1:1") == true,
                "\(String(describing: unreachable))")
        #expect(unreachable?.message.contains("context broken") == true, "\(String(describing: unreachable))")
        let unknown = #expect(throws: DNSReconcileError.self) {
            try self.source([("kubeconfig", self.scratch + "/multi"), ("context", "nope")]).endpoints()
        }
        #expect(unknown?.message.contains("contexts has no context 'nope'; the contexts are broken, working") == true,
                "\(String(describing: unknown))")
    }

    @Test func kubeconfigFromTheFirstEntryOfKUBECONFIG() throws {
        let config = try kubeconfig()
        let result = try source([], environment: ["KUBECONFIG": ":\(config):/nonexistent/other"]).endpoints()
        #expect(names(result).count == 5)
    }

    @Test func explicitKubeconfigWinsOverTheServiceAccount() throws {
        let result = try source([("kubeconfig", try kubeconfig())],
                                environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "1"]).endpoints()
        #expect(names(result).count == 5)
    }

    @Test func inClusterServiceAccount() throws {
        let account = scratch + "/serviceaccount"
        try FileManager.default.createDirectory(atPath: account, withIntermediateDirectories: true)
        try server.token.write(toFile: account + "/token", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: server.caCertificate, toPath: account + "/ca.crt")
        let environment = ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(server.port)]
        let result = try source([], environment: environment, serviceAccount: account).endpoints()
        #expect(names(result).count == 5)
        #expect(server.requests().allSatisfy { $0.hasSuffix(" bearer") })

        try FileManager.default.removeItem(atPath: account + "/token")
        let error = #expect(throws: DNSReconcileError.self) {
            try self.source([], environment: environment, serviceAccount: account).endpoints()
        }
        #expect(error?.message.contains("/token does not exist") == true, "\(String(describing: error))")
    }

    @Test func nothingConfiguredSaysWhatToSet() {
        let error = #expect(throws: DNSReconcileError.self) { try self.source([]).endpoints() }
        #expect(error?.message.contains("no Kubernetes API server is configured") == true)
    }

    @Test func insecureSkipTLSVerifyIsHonouredWithAWarning() throws {
        let config = try kubeconfig(cluster: ["server: \(server.baseURL)", "insecure-skip-tls-verify: true"])
        let result = try source([("kubeconfig", config)]).endpoints()
        #expect(names(result).count == 5)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.contains("insecure-skip-tls-verify is set") == true)
    }

    @Test func anUntrustedServerCertificateFailsVerification() throws {
        let config = try kubeconfig(cluster: ["server: \(server.baseURL)"])
        let error = #expect(throws: DNSReconcileError.self) { try self.source([("kubeconfig", config)]).endpoints() }
        #expect(error?.message.contains("TLS verification or handshake failed") == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        (["exec: {command: aws, args: [eks, get-token]}"], "credential plugin (exec / auth-provider), which is not supported"),
        (["username: admin", "password: secret-password"], "basic authentication"),
        (["client-certificate: /tmp/x.crt"], "needs both a client certificate and its key"),
        (["client-key-data: '%%%'", "client-certificate-data: 'AAAA'"], "client-key-data is not valid base64"),
    ])
    func unsupportedOrIncompleteUsersAreClearErrors(_ user: [String], _ fragment: String) throws {
        let config = try kubeconfig(user: user)
        let error = #expect(throws: DNSReconcileError.self) { try self.source([("kubeconfig", config)]).endpoints() }
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        #expect(error?.description.contains("secret-password") == false)
    }

    // MARK: Listing

    @Test func namespaceAndLabelSelectorGoToTheServer() throws {
        let result = try source([("kubeconfig", try kubeconfig()), ("namespace", "web"), ("label-selector", "app=web"),
                                 ("resources", "ingress")]).endpoints()
        #expect(names(result) == ["A a.example.com 192.0.2.1"])
        #expect(server.requests() == ["GET /apis/networking.k8s.io/v1/namespaces/web/ingresses?limit=500&labelSelector=app%3Dweb bearer"])
    }

    @Test func pagingFollowsContinueTokens() throws {
        let client = KubeAPIClient(connection: try KubeConnection.fromKubeconfig(try kubeconfig(), context: nil),
                                   transport: try CurlTransport(options: HTTPOptions(caBundle: server.caCertificate)), pageSize: 1)
        let items = try client.list(.ingresses)
        #expect(items.compactMap { $0["metadata"]?["name"]?.string } == ["a", "b", "c"])
        #expect(server.requests() == [
            "GET /apis/networking.k8s.io/v1/ingresses?limit=1 bearer",
            "GET /apis/networking.k8s.io/v1/ingresses?limit=1&continue=1 bearer",
            "GET /apis/networking.k8s.io/v1/ingresses?limit=1&continue=2 bearer",
        ])
        #expect(client.notes.isEmpty)
    }

    @Test func anExpiredContinueTokenRestartsTheListOnce() throws {
        let client = KubeAPIClient(connection: try KubeConnection.fromKubeconfig(try kubeconfig(), context: nil),
                                   transport: try CurlTransport(options: HTTPOptions(caBundle: server.caCertificate)), pageSize: 2)
        try server.setControl(#"{"expireContinue": 1}"#)
        let items = try client.list(.ingresses)
        #expect(items.count == 3, "no item lost or doubled")
        #expect(server.requests().count == 4, "\(server.requests())")
        #expect(client.notes == ["listing ingresses from \(server.baseURL) restarted: the continue token expired (410 Gone)"])

        try server.setControl(#"{"expireContinue": 2}"#)
        let error = #expect(throws: DNSReconcileError.self) { try client.list(.ingresses) }
        #expect(error?.message.contains("expired twice while paging (410 Gone)") == true, "\(String(describing: error))")
    }

    @Test func wrongTokenIs401WithoutTheToken() throws {
        let config = try kubeconfig(user: ["token: not-the-right-one"])
        let error = #expect(throws: DNSReconcileError.self) { try self.source([("kubeconfig", config)]).endpoints() }
        #expect(error?.message.contains("rejected the credentials from kubeconfig \(config) (context test) (401 Unauthorized)") == true,
                "\(String(describing: error))")
        #expect(error?.description.contains("not-the-right-one") == false)
        #expect(error?.description.contains(server.token) == false)
    }

    @Test func forbiddenNamesTheVerbResourceAndScope() throws {
        try server.setControl(#"{"forbidden": ["services", "ingresses"]}"#)
        let all = #expect(throws: DNSReconcileError.self) { try self.source([("kubeconfig", try self.kubeconfig())]).endpoints() }
        #expect(all?.message.hasSuffix("may not list services in all namespaces (cluster-wide) (403 Forbidden): grant the user get "
                                       + "and list on services in all namespaces (cluster-wide)") == true, "\(String(describing: all))")
        #expect(all?.cause?.contains("cannot list resource \"services\"") == true, "\(String(describing: all))")

        let one = #expect(throws: DNSReconcileError.self) {
            try self.source([("kubeconfig", try self.kubeconfig()), ("namespace", "web"), ("resources", "ingress")]).endpoints()
        }
        #expect(one?.message.contains("grant the user get and list on ingresses.networking.k8s.io in namespace web") == true,
                "\(String(describing: one))")
    }

    @Test func serverErrorsAndUnknownPathsAreReported() throws {
        try server.setControl(#"{"status": {"ingresses": 500}}"#)
        let failed = #expect(throws: DNSReconcileError.self) { try self.source([("kubeconfig", try self.kubeconfig())]).endpoints() }
        #expect(failed?.message.contains("answered 500 InternalError to the list of ingresses") == true, "\(String(describing: failed))")

        let client = KubeAPIClient(connection: try KubeConnection.fromKubeconfig(try kubeconfig(), context: nil),
                                   transport: try CurlTransport(options: HTTPOptions(caBundle: server.caCertificate)))
        let missing = KubeResource(kind: "Gateway", plural: "gateways", group: "gateway.networking.k8s.io", version: "v1",
                                   namespaced: true)
        let notFound = #expect(throws: DNSReconcileError.self) { try client.list(missing) }
        #expect(notFound?.message.contains("does not serve /apis/gateway.networking.k8s.io/v1/gateways (404 Not Found)") == true,
                "\(String(describing: notFound))")
    }

    @Test func anUnreachableServerFailsTheSource() throws {
        let config = try kubeconfig(cluster: ["server: https://127.0.0.1:9", "certificate-authority: \(server.caCertificate)"])
        let error = #expect(throws: DNSReconcileError.self) { try self.source([("kubeconfig", config)]).endpoints() }
        #expect(error?.message.hasPrefix("cannot reach the Kubernetes API server https://127.0.0.1:9 (kubeconfig") == true,
                "\(String(describing: error))")
    }

    @Test func relativeKubeconfigPathIsRelativeToTheConfigFile() throws {
        _ = try kubeconfig("relative.yaml")
        #expect(names(try source([("kubeconfig", "relative.yaml")]).endpoints()).count == 5)
    }
}
