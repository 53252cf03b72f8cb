/// `[metrics]` (main file only): where the textfile-collector file goes.
public struct MetricsSettings: Hashable, Sendable {
    /// nil: no metrics file (unless `--metrics-dir` is given).
    public var textfileDir: String?
    public var fileName: String

    public init(textfileDir: String? = nil, fileName: String = "dnsreconcile.prom") {
        self.textfileDir = textfileDir
        self.fileName = fileName
    }
}
