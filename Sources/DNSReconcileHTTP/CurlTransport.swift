import CCurl
import DNSReconcileCore

/// The real `HTTPTransport`: blocking libcurl, one easy handle for every request.
///
/// Reusing the handle keeps libcurl's connection cache, so consecutive requests to one endpoint
/// share a keep-alive connection (and its TLS session) instead of paying a handshake each;
/// `curl_easy_reset` between requests clears the options but not that cache. Not thread-safe:
/// a pass is sequential and owns its transport.
///
/// When a kept-alive connection closes before the first byte of an answer, libcurl sends the
/// request again on a new connection by itself, POST bodies included, and there is no option to
/// stop it. The server may have acted on the first copy (it closed the connection after
/// reading the request) or never seen it (it closed the idle connection before the request
/// arrived); a connection found closed before anything was sent costs no second copy. So every
/// response says how often its request went out (`HTTPResponse.timesSent`, counted with
/// `CURLOPT_PREREQFUNCTION`, which runs right before each copy goes out), and a caller with a
/// non-idempotent request decides what an answer to a second copy means.
///
/// Proxies come from the environment (`http_proxy`, `https_proxy`, `no_proxy`), libcurl's default.
/// TLS verification is on unless `HTTPOptions.insecureSkipVerify` turns it off;
/// `HTTPOptions.caBundle` / `caData` only change which CAs are trusted (those alone, not the
/// system's as well). Client certificates and keys given as data go to libcurl as memory blobs,
/// never through a file.
/// Redirects are not followed: Route53 never redirects, and a 3xx is returned as a response.
public final class CurlTransport: HTTPTransport {
    /// New connections libcurl opened over the transport's life (`CURLINFO_NUM_CONNECTS`
    /// summed); equal to 1 after many requests to one host means the connection was reused.
    public private(set) var connectionsOpened = 0
    /// Why the last `send` failed; nil after a transfer that got a response.
    public private(set) var lastFailure: HTTPFailureKind?

    private let options: HTTPOptions
    private let handle: UnsafeMutableRawPointer
    /// libcurl's detailed message for the last failure (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// `curl_global_init` must run once per process before any other libcurl call; a lazily
    /// initialised static gives exactly that, thread-safely.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    public init(options: HTTPOptions = .init()) throws(DNSReconcileError) {
        let initResult = Self.globalInit
        guard initResult == CURLE_OK else {
            throw DNSReconcileError(.transport, "libcurl failed to initialise; check the libcurl and TLS libraries",
                                    cause: Self.text(of: initResult))
        }
        guard let handle = curl_easy_init() else {
            throw DNSReconcileError(.transport, "libcurl could not create a handle (out of memory?)")
        }
        self.options = options
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    public func send(_ request: HTTPRequest) throws(DNSReconcileError) -> HTTPResponse {
        // Checked here rather than with CURLOPT_PROTOCOLS_STR (libcurl 7.85+): a mistyped
        // endpoint must never make libcurl read a file:// URL or speak another protocol.
        let scheme = request.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "http" || scheme == "https", request.url.dropFirst(scheme.count).hasPrefix("://") else {
            throw DNSReconcileError(.transport, "\(Self.origin(of: request.url)) is not an http:// or https:// URL; "
                                        + "check the endpoint setting")
        }
        curl_easy_reset(handle)
        errorBuffer[0] = 0

        let exchange = Exchange()
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        // libcurl reads POSTFIELDS during perform without copying, so the body needs an
        // address that stays put until then; one byte even when empty, because a NULL
        // POSTFIELDS makes libcurl read the body from stdin.
        let body = UnsafeMutablePointer<UInt8>.allocate(capacity: max(request.body.count, 1))
        body.initialize(repeating: 0, count: max(request.body.count, 1))
        request.body.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { body.update(from: base, count: source.count) }
        }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_slist_free_all(headerList)
            body.deallocate()
        }

        try setLong(CURLOPT_NOSIGNAL, 1)
        try setString(CURLOPT_URL, request.url)
        try setPointer(CURLOPT_PREREQDATA, context)
        try check(dnsr_curl_easy_setopt_prereq_function(handle) { context, _, _, _, _ in
            if let context { Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue().timesSent += 1 }
            return CURL_PREREQFUNC_OK
        }, "CURLOPT_PREREQFUNCTION")
        if request.freshConnection { try setLong(CURLOPT_FRESH_CONNECT, 1) }
        try setLong(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
        try setLong(CURLOPT_TIMEOUT_MS, Self.milliseconds(options.totalTimeout))
        try setLong(CURLOPT_SSL_VERIFYPEER, options.insecureSkipVerify ? 0 : 1)
        try setLong(CURLOPT_SSL_VERIFYHOST, options.insecureSkipVerify ? 0 : 2)
        if let caData = options.caData, !caData.isEmpty {
            try setBlob(CURLOPT_CAINFO_BLOB, caData, "the CA certificate data")
            try check(dnsr_curl_easy_setopt_null_string(handle, CURLOPT_CAPATH), "CURLOPT_CAPATH")
        } else if let caBundle = options.caBundle, !caBundle.isEmpty {
            try setString(CURLOPT_CAINFO, caBundle)
            try check(dnsr_curl_easy_setopt_null_string(handle, CURLOPT_CAPATH), "CURLOPT_CAPATH")
        }
        switch options.clientCertificate {
        case .file(let path)?: try setString(CURLOPT_SSLCERT, path)
        case .pem(let bytes)?: try setBlob(CURLOPT_SSLCERT_BLOB, bytes, "the client certificate data")
        case nil: break
        }
        switch options.clientKey {
        case .file(let path)?: try setString(CURLOPT_SSLKEY, path)
        case .pem(let bytes)?: try setBlob(CURLOPT_SSLKEY_BLOB, bytes, "the client key data")
        case nil: break
        }
        try setString(CURLOPT_USERAGENT, options.userAgent)
        try setPointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        // libcurl reads the resolve list when the transfer starts, so it lives until send returns.
        var resolveList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(resolveList) }
        if !options.resolve.isEmpty {
            for entry in options.resolve {
                guard let appended = curl_slist_append(resolveList, entry.curlEntry) else {
                    throw DNSReconcileError(.transport, "libcurl could not build the address overrides (out of memory?)")
                }
                resolveList = appended
            }
            try check(dnsr_curl_easy_setopt_resolve(handle, resolveList), "CURLOPT_RESOLVE")
            // An empty proxy overrides http_proxy/https_proxy: the pinned address must be the one connected to.
            try setString(CURLOPT_PROXY, "")
        }

        let method = request.method.uppercased()
        var sendsBody = false
        switch method {
        case "GET":
            try setLong(CURLOPT_HTTPGET, 1)
        case "HEAD":
            try setLong(CURLOPT_NOBODY, 1)
        case "POST":
            try setLong(CURLOPT_POST, 1)
            sendsBody = true
        default:
            try setString(CURLOPT_CUSTOMREQUEST, method)
            sendsBody = !request.body.isEmpty
        }
        if sendsBody {
            // The size first and as off_t, so the body is taken as bytes, not a C string.
            try check(dnsr_curl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)),
                      "CURLOPT_POSTFIELDSIZE_LARGE")
            try setPointer(CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(body))
        }

        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        // libcurl labels a POSTFIELDS body as a form; Route53 (and moto, which then answers
        // 500) need XML.
        if sendsBody, !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            lines.append("Content-Type: application/xml")
        }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw DNSReconcileError(.transport, "libcurl could not build the request headers (out of memory?)")
            }
            headerList = appended
        }
        if let headerList { try check(dnsr_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER") }

        try setPointer(CURLOPT_WRITEDATA, context)
        try check(dnsr_curl_easy_setopt_write_function(handle) { buffer, size, count, context in
            let length = size * count
            guard let context, let buffer else { return length }
            Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
                .body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
            return length
        }, "CURLOPT_WRITEFUNCTION")
        try setPointer(CURLOPT_HEADERDATA, context)
        try check(dnsr_curl_easy_setopt_header_function(handle) { buffer, size, count, context in
            let length = size * count
            guard let context, let buffer else { return length }
            Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
                .headerLine(UnsafeRawBufferPointer(start: buffer, count: length))
            return length
        }, "CURLOPT_HEADERFUNCTION")

        let result = withExtendedLifetime(exchange) { curl_easy_perform(handle) }

        var connects = 0
        if dnsr_curl_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK {
            connectionsOpened += connects
        }
        lastFailure = result == CURLE_OK ? nil : HTTPFailureKind(result)
        guard result == CURLE_OK else { throw failure(result, url: request.url) }

        var status = 0
        try check(dnsr_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "CURLINFO_RESPONSE_CODE")
        return HTTPResponse(status: status, headers: exchange.headers, body: exchange.body,
                            timesSent: max(1, exchange.timesSent))
    }

    // MARK: - The one choke point for CURLcode

    /// Throws when libcurl rejected a setting; `what` names the option for the message.
    private func check(_ code: CURLcode, _ what: @autoclosure () -> String) throws(DNSReconcileError) {
        guard code != CURLE_OK else { return }
        throw DNSReconcileError(.transport,
                                "libcurl rejected \(what()); this libcurl build may lack a needed feature "
                                    + "(check `curl --version`)",
                                cause: Self.text(of: code))
    }

    private func setLong(_ option: CURLoption, _ value: Int) throws(DNSReconcileError) {
        try check(dnsr_curl_easy_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    private func setString(_ option: CURLoption, _ value: String) throws(DNSReconcileError) {
        // libcurl copies string options (all but POSTFIELDS) during the call.
        try check(dnsr_curl_easy_setopt_string(handle, option, value), "option \(option.rawValue)")
    }

    private func setPointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer) throws(DNSReconcileError) {
        try check(dnsr_curl_easy_setopt_pointer(handle, option, value), "option \(option.rawValue)")
    }

    /// libcurl copies the blob during the call; `what` names it without its (secret) bytes.
    private func setBlob(_ option: CURLoption, _ bytes: [UInt8], _ what: String) throws(DNSReconcileError) {
        let code = bytes.withUnsafeBytes { buffer in
            dnsr_curl_easy_setopt_blob(handle, option, buffer.baseAddress, buffer.count)
        }
        try check(code, what)
    }

    /// The error for a failed transfer: names the server and what to check, never the request
    /// headers (they carry the signature and the session token).
    private func failure(_ code: CURLcode, url: String) -> DNSReconcileError {
        let server = Self.origin(of: url)
        let detail = String(cString: errorBuffer)
        let cause = detail.isEmpty ? Self.text(of: code) : "\(Self.text(of: code)): \(detail)"
        let (errorCode, advice): (DNSReconcileError.Code, String) = switch code {
        case CURLE_OPERATION_TIMEDOUT:
            (.timeout, "timed out (connect limit \(options.connectTimeout) s, request limit \(options.totalTimeout) s); "
                + "check that the server is reachable and responding, and any proxy in https_proxy/no_proxy")
        case CURLE_COULDNT_RESOLVE_HOST:
            (.transport, "failed: the host name does not resolve; check the endpoint URL and DNS")
        case CURLE_COULDNT_RESOLVE_PROXY:
            (.transport, "failed: the proxy name does not resolve; check http_proxy/https_proxy")
        case CURLE_COULDNT_CONNECT:
            (.transport, "failed: could not connect; check that the server is up and reachable from here "
                + "(firewall, port) and any proxy in http_proxy/https_proxy/no_proxy")
        case CURLE_SSL_CERTPROBLEM:
            (.transport, "failed: the client certificate or key (\(options.clientCertificate?.description ?? "none")) "
                + "cannot be used; check that both are PEM, unencrypted, and belong together")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR:
            (.transport, "failed: TLS verification or handshake failed; check the server certificate and the "
                + "trusted CAs (\(trustedCAs))")
        case CURLE_SSL_CACERT_BADFILE:
            (.transport, "failed: the CA certificates (\(trustedCAs)) cannot be loaded; check the path "
                + "and that it holds PEM certificates")
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            (.transport, "failed: the URL is not a valid http(s) URL; check the endpoint setting")
        default:
            (.transport, "failed; check that the server is reachable and healthy, and any proxy settings")
        }
        return DNSReconcileError(errorCode, "request to \(server) \(advice)", cause: cause)
    }

    /// Which CAs are trusted, for messages.
    private var trustedCAs: String {
        if let caData = options.caData, !caData.isEmpty { return "CA data given in memory" }
        return "ca-bundle: \(options.caBundle ?? "system bundle")"
    }

    private static func text(of code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }

    /// `scheme://host[:port]` of `url`, without user info, path or query.
    private static func origin(of url: String) -> String {
        let schemeEnd = url.range(of: "://")
        let rest = schemeEnd.map { url[$0.upperBound...] } ?? url[...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return (schemeEnd.map { String(url[..<$0.lowerBound]) + "://" } ?? "") + authority
    }

    /// libcurl takes whole milliseconds; 0 means no limit, and a tiny positive limit must stay
    /// positive.
    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds > 0, seconds.isFinite else { return 0 }
        return max(1, Int((seconds * 1000).rounded()))
    }
}

/// What the callbacks of one request collect.
private final class Exchange {
    var body: [UInt8] = []
    var headers: [HTTPHeader] = []
    /// Copies of the request that went out (`CURLOPT_PREREQFUNCTION` calls).
    var timesSent = 0

    /// One header line as libcurl delivers it. A status line starts a new response, which
    /// drops the headers of a `100 Continue`, a `103 Early Hints` or a proxy's CONNECT answer,
    /// so only the final response's headers remain.
    func headerLine(_ bytes: UnsafeRawBufferPointer) {
        var line = Array(bytes)
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") { line.removeLast() }
        guard !line.isEmpty else { return }
        if line.starts(with: Array("HTTP/".utf8)) {
            headers.removeAll()
            return
        }
        let text = String(decoding: line, as: UTF8.self)
        if line[0] == UInt8(ascii: " ") || line[0] == UInt8(ascii: "\t") {
            // Obsolete line folding: the line continues the previous header's value.
            if !headers.isEmpty { headers[headers.count - 1].value += " " + Self.trimmed(text) }
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        headers.append(HTTPHeader(String(text[..<colon]), Self.trimmed(String(text[text.index(after: colon)...]))))
    }

    private static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = text.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(text[first...last])
    }
}
