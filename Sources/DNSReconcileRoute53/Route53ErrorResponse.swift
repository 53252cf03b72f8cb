import DNSReconcileCore
import DNSReconcileXML

/// A non-2xx Route53 answer: its status, AWS error code and messages, and what to do about it.
///
/// Two XML shapes exist: `ErrorResponse/Error/{Code,Message}` (also nested under `Errors` in
/// IAM-shaped bodies) and the `InvalidChangeBatch` root with one `Messages/Message` per problem.
/// Bodies that are not XML at all (HTML from a proxy or moto, moto's JSON `InvalidToken`) leave
/// `code` nil, and the HTTP status decides.
struct Route53ErrorResponse: Equatable {
    /// How a failed attempt may be retried.
    enum RetryClass: Equatable {
        /// Rate limits: back off from 1 s.
        case throttling
        /// Server-side or network hiccups: back off from 0.1 s.
        case transient
    }

    var status: Int
    var code: String?
    var messages: [String]

    /// Rate limits and "zone busy" (reference §2.2; botocore's throttling list).
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "PriorRequestNotComplete", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "SlowDown",
    ]
    /// Server-side hiccups that a later attempt may not meet.
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "ServiceUnavailable", "InternalFailure", "InternalError",
        "InternalServerError",
    ]

    init(status: Int, code: String?, messages: [String]) {
        self.status = status
        self.code = code
        self.messages = messages
    }

    /// Parses an error body; never fails (an unreadable body keeps only the status).
    init(status: Int, body: [UInt8]) {
        self.status = status
        self.code = nil
        self.messages = []
        guard !body.isEmpty, let reader = try? XMLReader(body, documentName: "Route53 error response"),
              let root = try? reader.root() else { return }
        var code: String?, messages: [String] = []
        do throws(DNSReconcileError) {
            if root == "InvalidChangeBatch" {
                code = root
                try reader.children { name throws(DNSReconcileError) in
                    guard name == "Messages" else { return }
                    try reader.children { child throws(DNSReconcileError) in
                        if child == "Message" { messages.append(try reader.text()) }
                    }
                }
            } else {
                try Self.scan(reader, code: &code, messages: &messages)
            }
        } catch {
            // A truncated error body still tells what it got through before breaking.
        }
        self.code = code.flatMap { $0.isEmpty ? nil : $0 }
        self.messages = messages.filter { !$0.isEmpty }
    }

    /// The first `Code` and `Message` at any depth (`ErrorResponse/Error`, `.../Errors/Error`).
    ///
    /// What is found is written to `code` and `messages` as soon as it is read, so a body cut
    /// short after its `Code` still yields the code.
    private static func scan(_ reader: XMLReader, code: inout String?, messages: inout [String]) throws(DNSReconcileError) {
        let found = Found(code: code, messages: messages)
        defer {
            code = found.code
            messages = found.messages
        }
        try scan(reader, into: found)
    }

    private final class Found {
        var code: String?
        var messages: [String]
        init(code: String?, messages: [String]) {
            self.code = code
            self.messages = messages
        }
    }

    private static func scan(_ reader: XMLReader, into found: Found) throws(DNSReconcileError) {
        try reader.children { name throws(DNSReconcileError) in
            switch name {
            case "Code" where found.code == nil: found.code = try reader.text()
            case "Message" where found.messages.isEmpty: found.messages.append(try reader.text())
            default: try scan(reader, into: found)
            }
        }
    }

    /// The metric label: the AWS code, else the HTTP status.
    var metricCode: String { code ?? String(status) }

    var retryClass: RetryClass? {
        if let code {
            if Self.throttlingCodes.contains(code) { return .throttling }
            if Self.transientCodes.contains(code) { return .transient }
        }
        if status == 429 { return .throttling }
        if status >= 500 { return .transient }
        return nil
    }

    /// The error to surface for this answer; `what` names the call (`ListHostedZones`,
    /// `ChangeResourceRecordSets for zone example.com. (Z123)`).
    func error(_ what: String) -> DNSReconcileError {
        let detail = messages.isEmpty ? "" : ": " + messages.joined(separator: "; ")
        if code == "InvalidChangeBatch" {
            var error = DNSReconcileError(.invalidChangeBatch, "Route53 rejected the batch of \(what)\(detail)",
                                          cause: "InvalidChangeBatch")
            error.details = messages
            return error
        }
        if retryClass == .throttling {
            return DNSReconcileError(.throttled, "Route53 throttled \(what) (HTTP \(status) \(metricCode))\(detail)",
                                     cause: metricCode)
        }
        if let code {
            var error = DNSReconcileError(.route53, "Route53 \(what) failed with HTTP \(status) \(code)\(detail)", cause: code)
            error.details = messages
            return error
        }
        return DNSReconcileError(.route53, "Route53 \(what) failed with HTTP \(status) (the body is not a Route53 error)",
                                 cause: "HTTP \(status)")
    }
}
