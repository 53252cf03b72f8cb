/// `[run]` (main file only): where the cluster files are and how one pass is bounded.
public struct RunSettings: Hashable, Sendable {
    /// nil: not configured here (`DNSRECONCILE_CONFIG_DIR`, else /etc/dnsreconcile/conf.d).
    public var configDirs: [String]?
    /// nil: the runtime-directory default of CONTRACT §2.
    public var lockFile: String?
    /// Time budget of the whole pass, in seconds.
    public var deadline: Double
    /// Seconds allowed for one Route53 request (the libcurl transport is shared by the pass).
    public var requestTimeout: Double = 30

    public init(configDirs: [String]? = nil, lockFile: String? = nil, deadline: Double = 300) {
        self.configDirs = configDirs
        self.lockFile = lockFile
        self.deadline = deadline
    }
}
