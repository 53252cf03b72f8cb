import DNSReconcileCore
import Logging

/// `check-config`: every file parsed and validated, and every plugin it names built (sources,
/// registry, the encryption key read), without contacting anything. Errors go to the log with
/// their file and line; standard output gets one line per valid cluster.
struct ConfigCheck {
    var config: ConfigOptions
    var context: ProcessContext
    var logger: Logger

    func execute() -> Int32 {
        let loaded = ConfigLoader(environment: context.environment)
            .load(configFile: config.config, configDirs: config.configDirs)
        var failed = !loaded.errors.isEmpty
        for error in loaded.errors { logger.error("\(error)") }

        let (selected, unknown) = loaded.clusters(named: config.clusters)
        if let unknown {
            logger.error("\(unknown)")
            failed = true
        }
        var output = ""
        if let main = loaded.main.file, loaded.errors.isEmpty {
            output += "ok  \(main) (main file)\n"
        }
        for file in selected {
            for warning in file.warnings { logger.warning("\(warning)") }
            switch file.result {
            case .failure(let failure):
                failed = true
                for error in failure.errors { logger.error("\(error)") }
            case .success(let cluster):
                do {
                    let plugins = try PluginTable.localPlugins(of: cluster)
                    let sources = PluginTable.sourceSections(of: cluster).map(\.name).joined(separator: ", ")
                    output += "ok  \(file.path) (cluster \(cluster.name): \(cluster.endpoints.count) static endpoints, "
                        + "sources: \(sources.isEmpty ? "none" : sources), registry: \(cluster.registry.type.rawValue)"
                        + "\(plugins.sources.isEmpty ? "; no sources: every record it owns would be deleted" : ""))\n"
                } catch {
                    failed = true
                    logger.error("\(error)")
                }
            }
        }
        if selected.isEmpty, !failed {
            logger.warning("no cluster files found")
        }
        context.print(output)
        return failed ? 64 : 0
    }
}
