/// The main configuration file: defaults that every cluster inherits, plus `[metrics]` and `[run]`.
public struct MainConfig: Hashable, Sendable {
    /// nil when there is no main file (the default path does not exist).
    public var file: String?
    /// The main file's `[cluster]`, `[source "…"]`, `[registry]`, `[provider "…"]`, `[safety]` and
    /// `[aws]` sections. A cluster inherits them key by key; its own value of a key wins.
    public var defaults: [ConfigSection]
    public var metrics: MetricsSettings
    public var run: RunSettings

    public init(file: String? = nil, defaults: [ConfigSection] = [], metrics: MetricsSettings = .init(),
                run: RunSettings = .init()) {
        self.file = file
        self.defaults = defaults
        self.metrics = metrics
        self.run = run
    }
}
