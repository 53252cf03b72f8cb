import DNSReconcileCore

/// An `HTTPTransport` that answers from a script and records what it was sent.
final class ReplayTransport: HTTPTransport {
    enum Reply: Sendable {
        case response(HTTPResponse)
        case failure(DNSReconcileError)
    }

    private(set) var requests: [HTTPRequest] = []
    private var replies: [Reply]
    /// Runs after each request is recorded (tests move a manual clock here).
    var onSend: (() -> Void)?

    init(_ replies: [Reply]) { self.replies = replies }

    func send(_ request: HTTPRequest) throws(DNSReconcileError) -> HTTPResponse {
        requests.append(request)
        onSend?()
        guard !replies.isEmpty else {
            throw DNSReconcileError(.internal, "ReplayTransport: no reply left for \(request.method) \(request.url)")
        }
        switch replies.removeFirst() {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }

    var remaining: Int { replies.count }

    /// Query parameters of the n-th request, percent-decoded.
    func query(_ index: Int) -> [String: String] {
        let url = requests[index].url
        guard let mark = url.firstIndex(of: "?") else { return [:] }
        var result: [String: String] = [:]
        for pair in url[url.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(parts[0]).removingPercentEncodingForTests] =
                parts.count > 1 ? String(parts[1]).removingPercentEncodingForTests : ""
        }
        return result
    }
}

extension ReplayTransport.Reply {
    static func xml(_ body: String, status: Int = 200) -> Self {
        .response(HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "application/xml")],
                               body: Array(body.utf8)))
    }

    static func fixture(_ name: String, status: Int = 200) throws -> Self {
        .response(HTTPResponse(status: status, body: try Fixtures.bytes(name)))
    }
}

extension String {
    var removingPercentEncodingForTests: String {
        var out: [UInt8] = []
        let bytes = Array(utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
