/// The one error type of dnsreconcile.
///
/// Equal by `code`, so tests can assert the kind of failure without matching prose. The code's raw
/// value is short and bounded, so it can be used as a metric label. Messages say what is wrong and
/// what to do; `location` points at the config file and line (or JSON key path) when there is one.
/// Messages never contain secrets: callers pass redacted values.
public struct DNSReconcileError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Configuration (exit 64 for the main file, cluster skipped for a cluster file).
        public static let configSyntax = Code(rawValue: "config_syntax")
        public static let configUnknownSection = Code(rawValue: "config_unknown_section")
        public static let configUnknownKey = Code(rawValue: "config_unknown_key")
        public static let configDuplicateKey = Code(rawValue: "config_duplicate_key")
        public static let configBadValue = Code(rawValue: "config_bad_value")
        public static let configMissingKey = Code(rawValue: "config_missing_key")
        public static let configConflict = Code(rawValue: "config_conflict")
        public static let configFile = Code(rawValue: "config_file")
        /// A warning: a file holding secrets is readable by every user.
        public static let configPermissions = Code(rawValue: "config_permissions")
        public static let usage = Code(rawValue: "usage")
        // Sources.
        public static let invalidEndpoint = Code(rawValue: "invalid_endpoint")
        public static let source = Code(rawValue: "source")
        // Network and AWS.
        public static let transport = Code(rawValue: "transport")
        public static let timeout = Code(rawValue: "timeout")
        public static let http = Code(rawValue: "http")
        public static let xml = Code(rawValue: "xml")
        public static let credentials = Code(rawValue: "credentials")
        public static let route53 = Code(rawValue: "route53")
        public static let invalidChangeBatch = Code(rawValue: "invalid_change_batch")
        public static let throttled = Code(rawValue: "throttled")
        // Reconciling.
        public static let registry = Code(rawValue: "registry")
        public static let conflict = Code(rawValue: "conflict")
        public static let batchTooLarge = Code(rawValue: "batch_too_large")
        public static let invalidChange = Code(rawValue: "invalid_change")
        public static let safety = Code(rawValue: "safety")
        public static let deadline = Code(rawValue: "deadline")
        public static let lockHeld = Code(rawValue: "lock_held")
        public static let io = Code(rawValue: "io")
        public static let `internal` = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?
    /// A short description of the underlying failure (a libcurl message, an AWS error code, ...).
    public var cause: String?
    /// The service's own messages, one per problem, when it gave several (Route53's
    /// `InvalidChangeBatch` lists one per bad change); also contained in `message`.
    public var details: [String] = []

    public init(_ code: Code, _ message: String, location: SourceLocation? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.cause = cause
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += message
        if let cause, !cause.isEmpty { text += " (\(cause))" }
        return text
    }
}

extension DNSReconcileError: Equatable {
    public static func == (lhs: DNSReconcileError, rhs: DNSReconcileError) -> Bool { lhs.code == rhs.code }
}

/// Where a value came from: a config file and line, or a JSON key path, or a Kubernetes object.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// JSON key path (`endpoint.web.ttl`) or other in-file locator when there is no line.
    public var path: String?

    public init(file: String, line: Int? = nil, path: String? = nil) {
        self.file = file
        self.line = line
        self.path = path
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let path { text += (line == nil ? ": " : " ") + path }
        return text
    }
}
