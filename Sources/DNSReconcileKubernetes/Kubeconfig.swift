import DNSReconcileCore
import DNSReconcileHTTP

/// The parts of a kubeconfig file that select and reach one API server: the context, its
/// cluster (server, CA, TLS verification) and its user (client certificate and key, bearer
/// token). Relative file names are resolved against the kubeconfig's directory, as kubectl does.
///
/// Values of secret fields (`token`, `client-key-data`) never appear in errors; a problem with
/// one names the field path only.
struct Kubeconfig {
    struct Cluster {
        var server: String
        var certificateAuthority: String?
        var certificateAuthorityData: [UInt8]?
        var insecureSkipTLSVerify: Bool
    }

    struct User {
        var clientCertificate: TLSMaterial?
        var clientKey: TLSMaterial?
        var token: String?
        var tokenFile: String?
    }

    let path: String
    let contextName: String
    let cluster: Cluster
    let clusterName: String
    let user: User
    let userName: String

    /// Reads `path` and selects `context` (default: `current-context`).
    init(path: String, context requested: String?) throws(DNSReconcileError) {
        self.path = path
        let bytes = try LocalFiles.read(path, what: "the kubeconfig")
        let documents = try YAMLLoader.load(bytes, file: path)
        guard let document = documents.first?.value, case .mapping = document else {
            throw DNSReconcileError(.source, "the kubeconfig \(path) is empty or not a mapping of clusters, contexts and users",
                                    location: SourceLocation(file: path))
        }
        let directory = LocalFiles.directory(of: path)
        func fail(_ message: String) -> DNSReconcileError {
            DNSReconcileError(.source, "kubeconfig \(path): \(message)", location: SourceLocation(file: path))
        }
        func decode(_ body: () throws(KubeDecodingError) -> Void) throws(DNSReconcileError) {
            do { try body() } catch { throw fail("\(error.path) \(error.problem)") }
        }

        let root = FieldReader(document)
        var contextName = ""
        var clusterName = ""
        var userName = ""
        var clusterReader = FieldReader(.mapping([:]))
        var userReader = FieldReader(.mapping([:]))
        try decode { () throws(KubeDecodingError) in
            let current = try root.string("current-context")
            guard let wanted = requested ?? current, !wanted.isEmpty else {
                throw KubeDecodingError(path: "current-context",
                                        problem: "is not set; set context = ... under [source \"kubernetes\"]")
            }
            contextName = wanted
            let contexts = try root.objects("contexts")
            guard let entry = try Self.named(wanted, in: contexts) else {
                var known: [String] = []
                for item in contexts { if let name = try item.string("name") { known.append(name) } }
                throw KubeDecodingError(path: "contexts", problem: "has no context '\(wanted)'"
                                            + (known.isEmpty ? "" : "; the contexts are " + known.joined(separator: ", ")))
            }
            let context = try entry.object("context")
            clusterName = try context.string("cluster") ?? ""
            userName = try context.string("user") ?? ""
            guard let cluster = try Self.named(clusterName, in: try root.objects("clusters")) else {
                throw KubeDecodingError(path: "clusters", problem: "has no cluster '\(clusterName)' (used by context '\(wanted)')")
            }
            clusterReader = try cluster.object("cluster")
            if !userName.isEmpty {
                guard let user = try Self.named(userName, in: try root.objects("users")) else {
                    throw KubeDecodingError(path: "users", problem: "has no user '\(userName)' (used by context '\(wanted)')")
                }
                userReader = try user.object("user")
            }
        }
        self.contextName = contextName
        self.clusterName = clusterName
        self.userName = userName

        var cluster = Cluster(server: "", insecureSkipTLSVerify: false)
        try decode { () throws(KubeDecodingError) in
            cluster.server = try clusterReader.string("server") ?? ""
            cluster.certificateAuthority = try clusterReader.string("certificate-authority")
                .map { LocalFiles.resolve($0, relativeTo: directory) }
            cluster.certificateAuthorityData = try Self.base64(clusterReader, "certificate-authority-data")
            cluster.insecureSkipTLSVerify = try clusterReader.bool("insecure-skip-tls-verify") ?? false
            for unsupported in ["tls-server-name", "proxy-url"] where try clusterReader.string(unsupported) != nil {
                throw KubeDecodingError(path: "\(clusterReader.path).\(unsupported)", problem: "is not supported"
                                            + (unsupported == "proxy-url" ? "; set https_proxy in the environment instead" : ""))
            }
        }
        guard !cluster.server.isEmpty else { throw fail("cluster '\(clusterName)' has no server") }
        self.cluster = cluster

        var user = User()
        try decode { () throws(KubeDecodingError) in
            if let data = try Self.base64(userReader, "client-certificate-data") {
                user.clientCertificate = .pem(data)
            } else if let file = try userReader.string("client-certificate") {
                user.clientCertificate = .file(LocalFiles.resolve(file, relativeTo: directory))
            }
            if let data = try Self.base64(userReader, "client-key-data") {
                user.clientKey = .pem(data)
            } else if let file = try userReader.string("client-key") {
                user.clientKey = .file(LocalFiles.resolve(file, relativeTo: directory))
            }
            user.token = try userReader.string("token").flatMap { $0.isEmpty ? nil : $0 }
            user.tokenFile = try userReader.string("tokenFile").map { LocalFiles.resolve($0, relativeTo: directory) }
            if userReader.value["exec"] != nil || userReader.value["auth-provider"] != nil {
                throw KubeDecodingError(path: "users[\(userName)].user",
                                        problem: "uses a credential plugin (exec / auth-provider), which is not supported; "
                                            + "give the user a token, tokenFile or client certificate")
            }
            if userReader.value["username"] != nil || userReader.value["password"] != nil {
                throw KubeDecodingError(path: "users[\(userName)].user",
                                        problem: "uses basic authentication (username/password), which Kubernetes no longer "
                                            + "supports; give the user a token, tokenFile or client certificate")
            }
        }
        if (user.clientCertificate == nil) != (user.clientKey == nil) {
            throw fail("user '\(userName)' needs both a client certificate and its key (client-certificate[-data] and client-key[-data])")
        }
        self.user = user
    }

    private static func named(_ name: String, in entries: [FieldReader]) throws(KubeDecodingError) -> FieldReader? {
        for entry in entries where try entry.string("name") == name { return entry }
        return nil
    }

    /// A `*-data` field: standard base64 of PEM text. Only the field is named when it is bad.
    private static func base64(_ reader: FieldReader, _ key: String) throws(KubeDecodingError) -> [UInt8]? {
        guard let text = try reader.string(key), !text.isEmpty else { return nil }
        guard let bytes = Base64.decode(Array(text.utf8).filter { $0 != UInt8(ascii: " ") }) else {
            throw KubeDecodingError(path: "\(reader.path).\(key)", problem: "is not valid base64")
        }
        return bytes
    }
}
