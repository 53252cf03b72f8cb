extension MainConfig {
    /// Validates the main file. Always returns a configuration built from its valid parts (so
    /// `check-config` can go on to check the cluster files against those defaults) along with
    /// every error; any error makes the main file invalid (exit status 64).
    public static func load(file: String, text: String, format: ConfigFileFormat? = nil)
        -> (config: MainConfig, errors: [DNSReconcileError]) {
        let format = format ?? ConfigFileFormat(fileName: file) ?? .ini
        let parsed = format.parse(file: file, text: text)
        var validator = ConfigValidator(role: .main)
        let sections = validator.validate(parsed.sections)
        var errors = parsed.errors + validator.errors

        var config = MainConfig(file: file)
        config.defaults = sections.filter { $0.kind != "metrics" && $0.kind != "run" }
        if let schema = ConfigSchema.section(kind: "metrics", name: nil) {
            let values = SectionValues(sections.first { $0.kind == "metrics" }, schema: schema, file: file)
            config.metrics.textfileDir = values.string("textfile-dir")
            if let name = values.string("file-name") {
                if name.contains("/") || name.hasPrefix(".") {
                    errors.append(DNSReconcileError(
                        .configBadValue,
                        "[metrics] file-name: '\(name)' must be a plain file name (no '/', not hidden: the collector skips dot files)",
                        location: values.location("file-name")))
                } else {
                    config.metrics.fileName = name
                }
            }
        }
        if let schema = ConfigSchema.section(kind: "run", name: nil) {
            let values = SectionValues(sections.first { $0.kind == "run" }, schema: schema, file: file)
            let dirs = values.list("config-dir")
            config.run.configDirs = dirs.isEmpty ? nil : dirs
            config.run.lockFile = values.string("lock-file")
            config.run.deadline = values.number("deadline") ?? config.run.deadline
            config.run.requestTimeout = values.number("request-timeout") ?? config.run.requestTimeout
        }
        // Settings that only make sense together are checked here too, so a main file that can
        // never give a valid cluster is reported once, at its own lines.
        var checker = ClusterSettingsReader(file: file, sections: config.defaults)
        _ = checker.readSettings()
        errors += checker.errors
        return (config, errors.sortedByLocation())
    }
}
