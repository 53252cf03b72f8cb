/// One `key = value` of a configuration section, with where it was written.
public struct ConfigEntry: Hashable, Sendable {
    /// The key as written (kebab-case when valid).
    public var key: String
    public var value: ConfigValue
    /// `file:line` for INI, the file and key path (`endpoint.web.ttl`) for JSON.
    public var location: SourceLocation

    public init(key: String, value: ConfigValue, location: SourceLocation) {
        self.key = key
        self.value = value
        self.location = location
    }
}
