/// A file that a config key names, with where the key was written, so the loader can check the
/// file (readable, not readable by everyone) and point at the line that names it.
public struct ConfigFileReference: Hashable, Sendable {
    /// `[registry] txt-encrypt-key-file`, `[aws] credentials-file`.
    public var key: String
    public var path: String
    public var location: SourceLocation
    /// What the file holds, for messages: "the TXT encryption key", "AWS credentials".
    public var holds: String

    public init(key: String, path: String, location: SourceLocation, holds: String) {
        self.key = key
        self.path = path
        self.location = location
        self.holds = holds
    }
}
