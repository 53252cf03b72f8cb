import DNSReconcileCore
import DNSReconcileHTTP

/// How to reach one API server: its URL, the TLS settings and the bearer token (read from its
/// file at each pass, since service-account tokens rotate).
///
/// Chosen in this order: the `kubeconfig` key, else `$KUBECONFIG` (the first file of its
/// `:`-separated list), else the in-cluster service account (`KUBERNETES_SERVICE_HOST`/`_PORT`
/// with the token and CA under /var/run/secrets/kubernetes.io/serviceaccount). An explicit
/// kubeconfig wins over the ambient service account, as with kubectl. The description names
/// where the settings came from, never the token.
struct KubeConnection: CustomStringConvertible {
    static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// `https://host:port`, perhaps with a path prefix (a proxy such as Rancher's), no trailing slash.
    var server: String
    var caFile: String?
    var caData: [UInt8]?
    var clientCertificate: TLSMaterial?
    var clientKey: TLSMaterial?
    var insecureSkipVerify = false
    /// A token given inline (kubeconfig `token`).
    var token: String?
    /// A file holding the token (kubeconfig `tokenFile`, the service account's `token`).
    var tokenFile: String?
    /// `kubeconfig /etc/rancher/rke2/rke2.yaml (context default)`, `in-cluster service account`.
    var origin: String
    /// Said once per pass: TLS verification off, credentials over plain http.
    var warnings: [String] = []

    var description: String { "\(server) from \(origin)" }

    /// The connection for a source's settings and the process environment.
    static func resolve(kubeconfig: String?, context: String?, environment: [String: String],
                        serviceAccountDirectory: String = serviceAccountDirectory) throws(DNSReconcileError) -> KubeConnection {
        if let kubeconfig {
            return try fromKubeconfig(kubeconfig, context: context)
        }
        if let list = environment["KUBECONFIG"],
           let first = list.split(separator: ":").map(String.init).first(where: { !$0.isEmpty }) {
            return try fromKubeconfig(first, context: context)
        }
        if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
            guard context == nil else {
                throw DNSReconcileError(.configConflict,
                                        "[source \"kubernetes\"] context is set, but no kubeconfig is: set kubeconfig = ... "
                                            + "(or KUBECONFIG), or remove context to use the in-cluster service account")
            }
            return try inCluster(host: host, port: environment["KUBERNETES_SERVICE_PORT"] ?? "443",
                                 directory: serviceAccountDirectory)
        }
        throw DNSReconcileError(.source,
                                "no Kubernetes API server is configured: set kubeconfig = ... under [source \"kubernetes\"], "
                                    + "set KUBECONFIG, or run in a pod with a service account (KUBERNETES_SERVICE_HOST)")
    }

    static func fromKubeconfig(_ path: String, context: String?) throws(DNSReconcileError) -> KubeConnection {
        let config = try Kubeconfig(path: path, context: context)
        var connection = KubeConnection(server: trimmedServer(config.cluster.server),
                                        origin: "kubeconfig \(path) (context \(config.contextName))")
        connection.caFile = config.cluster.certificateAuthority
        connection.caData = config.cluster.certificateAuthorityData
        connection.insecureSkipVerify = config.cluster.insecureSkipTLSVerify
        connection.clientCertificate = config.user.clientCertificate
        connection.clientKey = config.user.clientKey
        connection.token = config.user.token
        connection.tokenFile = config.user.tokenFile
        try connection.check()
        return connection
    }

    static func inCluster(host: String, port: String, directory: String) throws(DNSReconcileError) -> KubeConnection {
        let authority = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        var connection = KubeConnection(server: "https://\(authority):\(port)",
                                        origin: "in-cluster service account (\(directory))")
        connection.tokenFile = directory + "/token"
        connection.caFile = directory + "/ca.crt"
        guard LocalFiles.exists(directory + "/token") else {
            throw DNSReconcileError(.source, "KUBERNETES_SERVICE_HOST is set but \(directory)/token does not exist: the pod has "
                                        + "no service account token mounted (automountServiceAccountToken: false?)")
        }
        try connection.check()
        return connection
    }

    private static func trimmedServer(_ server: String) -> String {
        var text = server
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// Refuses what cannot work and notes what is risky.
    private mutating func check() throws(DNSReconcileError) {
        let scheme = server.prefix { $0 != ":" }.lowercased()
        guard (scheme == "https" || scheme == "http"), server.dropFirst(scheme.count).hasPrefix("://") else {
            throw DNSReconcileError(.source, "the API server URL '\(server)' in \(origin) is not an https:// URL")
        }
        if insecureSkipVerify {
            warnings.append("\(origin): insecure-skip-tls-verify is set, so the API server's certificate is not checked "
                                + "and anyone on the path could answer in its place; set certificate-authority instead")
        }
        if scheme == "http" && (token != nil || tokenFile != nil) {
            warnings.append("\(origin): the bearer token is sent over plain http to \(server); use https")
        }
        if let caFile, !LocalFiles.exists(caFile) {
            throw DNSReconcileError(.source, "the CA file \(caFile) named by \(origin) does not exist")
        }
    }

    /// The token to send, read now from its file when it comes from one (trimmed of the
    /// trailing newline most token files end with).
    func bearerToken() throws(DNSReconcileError) -> String? {
        if let token { return token }
        guard let tokenFile else { return nil }
        let text = String(decoding: try LocalFiles.read(tokenFile, what: "the token file"), as: UTF8.self).trimmingSpaces
        guard !text.isEmpty else {
            throw DNSReconcileError(.source, "the token file \(tokenFile) (from \(origin)) is empty")
        }
        return text
    }

    func httpOptions(userAgent: String) -> HTTPOptions {
        HTTPOptions(caBundle: caFile, userAgent: userAgent, caData: caData, clientCertificate: clientCertificate,
                    clientKey: clientKey, insecureSkipVerify: insecureSkipVerify)
    }
}
