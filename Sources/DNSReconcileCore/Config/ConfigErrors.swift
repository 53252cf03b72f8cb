/// Every error found in one configuration file, so a user can fix them all in one go.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [DNSReconcileError]
    /// The cluster name the file resolved to (its `[cluster] name` or file name), when known, so
    /// a failed cluster can still be named in logs and metrics.
    public var clusterName: String?

    public init(_ errors: [DNSReconcileError], clusterName: String? = nil) {
        self.errors = errors
        self.clusterName = clusterName
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
