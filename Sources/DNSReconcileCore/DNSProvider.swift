/// A Route53 hosted zone.
public struct HostedZone: Hashable, Sendable, CustomStringConvertible {
    /// Bare id (`Z1D633PJN98FT9`), never `/hostedzone/...`.
    public var id: String
    public var name: DNSName
    public var isPrivate: Bool

    public init(id: String, name: DNSName, isPrivate: Bool = false) {
        self.id = id
        self.name = name
        self.isPrivate = isPrivate
    }

    public var description: String { "\(name.fqdn) (\(id))" }
}

/// One element of a ChangeResourceRecordSets batch.
public struct Change: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable, Comparable {
        case delete = "DELETE"
        case create = "CREATE"
        case upsert = "UPSERT"

        /// Deletes go first inside a batch so that a type swap (CNAME ↔ A) or a policy change can
        /// free the name before the new set is created.
        private var order: Int {
            switch self {
            case .delete: 0
            case .upsert: 1
            case .create: 2
            }
        }
        public static func < (lhs: Action, rhs: Action) -> Bool { lhs.order < rhs.order }
    }

    public var action: Action
    public var recordSet: RecordSet

    public init(_ action: Action, _ recordSet: RecordSet) {
        self.action = action
        self.recordSet = recordSet
    }
}

/// What Route53 answered to an applied batch.
public struct ChangeInfo: Hashable, Sendable {
    public var id: String
    public var status: String
    public init(id: String, status: String) {
        self.id = id
        self.status = status
    }
}

/// The subset of Route53 that a pass uses.
public protocol DNSProvider: AnyObject {
    /// Every hosted zone of the account (all pages).
    func listZones() throws(DNSReconcileError) -> [HostedZone]
    /// The record sets of a zone (all pages); with `subtree`, only names at or below it.
    func listRecordSets(in zone: HostedZone, subtree: DNSName?) throws(DNSReconcileError) -> [RecordSet]
    /// The same record sets handed to `take` a page at a time, in listing order, each key once,
    /// so a caller that judges each set as it comes never holds the zone. Default: the whole
    /// listing as one page.
    func listRecordSets(in zone: HostedZone, subtree: DNSName?,
                        pages take: ([RecordSet]) throws(DNSReconcileError) -> Void) throws(DNSReconcileError)
    /// Tags of hosted zones, by bare zone id.
    func zoneTags(_ zoneIDs: [String]) throws(DNSReconcileError) -> [String: [String: String]]
    /// Applies one atomic batch.
    func apply(_ changes: [Change], in zone: HostedZone, comment: String?) throws(DNSReconcileError) -> ChangeInfo
}

extension DNSProvider {
    public func listRecordSets(in zone: HostedZone, subtree: DNSName?,
                               pages take: ([RecordSet]) throws(DNSReconcileError) -> Void) throws(DNSReconcileError) {
        try take(listRecordSets(in: zone, subtree: subtree))
    }
}

/// A source of desired endpoints (static `[endpoint]` sections, Kubernetes, manifests).
public protocol EndpointSource: AnyObject {
    /// The plugin name used in config (`endpoint`, `kubernetes`, `manifest`).
    var kind: String { get }
    func endpoints() throws(DNSReconcileError) -> SourceResult
}

/// What a source read: good endpoints, and the ones skipped for bad values.
public struct SourceResult: Sendable {
    public var endpoints: [Endpoint]
    public var invalid: [InvalidEndpoint]
    /// Things the user should know that skipped nothing (both annotation prefixes set, TLS
    /// verification turned off); the pass logs each as a warning.
    public var warnings: [String]
    public init(endpoints: [Endpoint] = [], invalid: [InvalidEndpoint] = [], warnings: [String] = []) {
        self.endpoints = endpoints
        self.invalid = invalid
        self.warnings = warnings
    }
}

/// An endpoint skipped because of a bad value. Records it already owns are held as they are
/// (neither updated nor deleted) until the value is fixed.
public struct InvalidEndpoint: Hashable, Sendable {
    /// The names whose records must be held, when they are known.
    public var names: [DNSName]
    public var error: DNSReconcileError.Code
    public var message: String
    public var location: SourceLocation?
    public init(names: [DNSName], error: DNSReconcileError.Code = .invalidEndpoint, message: String,
                location: SourceLocation? = nil) {
        self.names = names
        self.error = error
        self.message = message
        self.location = location
    }
}
