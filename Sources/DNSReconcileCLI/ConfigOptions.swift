import ArgumentParser

/// `--config`, `--config-dir`, `--cluster`: which files and clusters a command reads.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp(
        "Main config file (defaults for every cluster, [run], [metrics]).",
        discussion: "Default: $DNSRECONCILE_CONFIG, else /etc/dnsreconcile/dnsreconcile.ini if it exists.",
        valueName: "file"))
    var config: String?

    @Option(name: .customLong("config-dir"), help: ArgumentHelp(
        "Directory of per-cluster files; repeatable.",
        discussion: "Default: $DNSRECONCILE_CONFIG_DIR (':'-separated), else [run] config-dir, else /etc/dnsreconcile/conf.d.",
        valueName: "dir"))
    var configDirs: [String] = []

    @Option(name: .customLong("cluster"), help: ArgumentHelp("Only this cluster; repeatable.", valueName: "name"))
    var clusters: [String] = []
}
