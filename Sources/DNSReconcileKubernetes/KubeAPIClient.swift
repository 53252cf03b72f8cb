import DNSReconcileCore

/// Lists objects from one API server over an `HTTPTransport`: `limit`/`continue` paging, one
/// restart when a continue token expires (410 Gone), and Kubernetes `Status` answers turned
/// into messages that say what is missing (401: the credentials; 403: which verb on which
/// resource where).
final class KubeAPIClient {
    let connection: KubeConnection
    private let transport: HTTPTransport
    private let pageSize: Int
    private var cachedToken: String??
    /// Restarted listings, for the pass's warnings.
    private(set) var notes: [String] = []

    init(connection: KubeConnection, transport: HTTPTransport, pageSize: Int = 500) {
        self.connection = connection
        self.transport = transport
        self.pageSize = pageSize
    }

    /// Every item of `resource` (in `namespace`, or in all namespaces), each as the API
    /// server sent it (list items carry no `kind`; the caller knows it).
    func list(_ resource: KubeResource, namespace: String? = nil, labelSelector: String? = nil)
        throws(DNSReconcileError) -> [YAMLValue] {
        var restarted = false
        while true {
            var items: [YAMLValue] = []
            var continueToken: String?
            var expired = false
            repeat {
                let url = self.url(resource, namespace: namespace, labelSelector: labelSelector, continueToken: continueToken)
                let response = try get(url, resource: resource)
                if response.status == 410, continueToken != nil {
                    expired = true
                    break
                }
                guard response.status == 200 else {
                    throw statusError(response, resource: resource, namespace: namespace)
                }
                let page = try decodeList(response.body, resource: resource)
                items += page.items
                continueToken = page.continueToken
            } while continueToken != nil
            if !expired { return items }
            guard !restarted else {
                throw DNSReconcileError(.source, "the list of \(resource.plural) from \(connection.server) expired twice while "
                                            + "paging (410 Gone); the objects change faster than they can be listed, try again")
            }
            restarted = true
            notes.append("listing \(resource.plural) from \(connection.server) restarted: the continue token expired (410 Gone)")
        }
    }

    private func url(_ resource: KubeResource, namespace: String?, labelSelector: String?, continueToken: String?) -> String {
        var path = connection.server + resource.apiPath
        if resource.namespaced, let namespace { path += "/namespaces/" + Self.percentEncoded(namespace) }
        path += "/" + resource.plural + "?limit=\(pageSize)"
        if let labelSelector, !labelSelector.isEmpty { path += "&labelSelector=" + Self.percentEncoded(labelSelector) }
        if let continueToken { path += "&continue=" + Self.percentEncoded(continueToken) }
        return path
    }

    private func get(_ url: String, resource: KubeResource) throws(DNSReconcileError) -> HTTPResponse {
        if cachedToken == nil { cachedToken = .some(try connection.bearerToken()) }
        var headers = [HTTPHeader("Accept", "application/json")]
        if let token = cachedToken ?? nil { headers.append(HTTPHeader("Authorization", "Bearer \(token)")) }
        do {
            return try transport.send(HTTPRequest(method: "GET", url: url, headers: headers))
        } catch {
            throw DNSReconcileError(error.code, "cannot reach the Kubernetes API server \(connection.server) "
                                        + "(\(connection.origin)) to list \(resource.plural): \(error.message)",
                                    cause: error.cause)
        }
    }

    private func decodeList(_ body: [UInt8], resource: KubeResource) throws(DNSReconcileError)
        -> (items: [YAMLValue], continueToken: String?) {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLLoader.load(body, file: "response")
        } catch {
            throw DNSReconcileError(.source, "the API server \(connection.server) answered the list of \(resource.plural) "
                                        + "with something that is not JSON", cause: error.message)
        }
        let list = documents.first?.value ?? .null
        let items: [YAMLValue]
        switch list["items"] {
        case .sequence(let entries)?: items = entries
        case .null? where list["kind"]?.string?.hasSuffix("List") == true: items = []
        case nil where list["kind"]?.string?.hasSuffix("List") == true: items = []
        default:
            throw DNSReconcileError(.source, "the API server \(connection.server) answered the list of \(resource.plural) "
                                        + "without an items list")
        }
        let token = list["metadata"]?["continue"]?.string
        return (items, token.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// A non-200 answer as an error that says what to do.
    private func statusError(_ response: HTTPResponse, resource: KubeResource, namespace: String?) -> DNSReconcileError {
        let status = (try? YAMLLoader.load(response.body, file: "response"))?.first?.value
        let message = status?["message"]?.string
        let reason = status?["reason"]?.string ?? Self.reasonPhrase(response.status)
        let scope = resource.namespaced ? (namespace.map { "in namespace \($0)" } ?? "in all namespaces (cluster-wide)")
            : "(cluster-scoped)"
        let cause = message.map { "\(response.status) \(reason): \($0)" } ?? "\(response.status) \(reason)"
        let text: String = switch response.status {
        case 401:
            "the Kubernetes API server \(connection.server) rejected the credentials from \(connection.origin) "
                + "(401 Unauthorized): the token or client certificate is wrong or expired"
        case 403:
            "the credentials from \(connection.origin) may not list \(resource.plural) \(scope) (403 Forbidden): "
                + "grant the user get and list on \(resource.qualifiedName) \(scope)"
        case 404:
            resource == .ingresses
                ? "the Kubernetes API server \(connection.server) does not serve \(resource.apiPath)/ingresses "
                    + "(404 Not Found): networking.k8s.io/v1 Ingresses need Kubernetes 1.19 or newer"
                : "the Kubernetes API server \(connection.server) does not serve \(resource.apiPath)/\(resource.plural) "
                    + "(404 Not Found); check the server URL (a path prefix for a proxy belongs in it)"
        case 410:
            "the list of \(resource.plural) from \(connection.server) is gone (410 Gone)"
        default:
            "the Kubernetes API server \(connection.server) answered \(response.status) \(reason) to the list of "
                + "\(resource.plural) \(scope)"
        }
        return DNSReconcileError(.source, text, cause: cause)
    }

    private static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 410: "Gone"
        case 429: "TooManyRequests"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        default: "HTTP \(status)"
        }
    }

    /// RFC 3986: everything but the unreserved characters is escaped.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return out
    }
}
