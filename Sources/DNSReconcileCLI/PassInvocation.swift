import DNSReconcileCore
import Logging

/// One `run` or `plan` invocation from options to exit status: config, lock, pass, plan output,
/// metrics file.
///
/// Order matters: the main file is read first (it may name the lock file and the metrics dir)
/// and an invalid one ends the invocation with 64 before anything else happens; the cluster
/// files are read before the lock is taken (reading has no side effects); Route53 is contacted
/// only while the lock is held.
struct PassInvocation {
    enum Mode {
        case run, dryRun, plan
    }

    var mode: Mode
    var config: ConfigOptions
    var options: PassOptions
    var context: ProcessContext
    var logger: Logger

    func execute() -> Int32 {
        let loaded = ConfigLoader(environment: context.environment)
            .load(configFile: config.config, configDirs: config.configDirs)
        if !loaded.errors.isEmpty {
            for error in loaded.errors { logger.error("\(error)") }
            logger.error("invalid main configuration; nothing was done")
            return 64
        }
        let (selected, unknown) = loaded.clusters(named: config.clusters)
        if let unknown {
            logger.error("\(unknown)")
            return 64
        }
        if selected.isEmpty {
            logger.warning("no cluster is configured; nothing to do")
        }

        // `plan` is read-only and often run by hand next to the timer: it meters (and so locks)
        // only when asked to with --metrics-dir.
        let metricsDir = mode == .plan ? options.metricsDir : options.metricsDir ?? loaded.main.metrics.textfileDir
        let metrics = metricsDir.map { MetricsFile(directory: $0, fileName: loaded.main.metrics.fileName) }
        let keep = Set(loaded.clusters.map(\.name)).subtracting(selected.map(\.name))

        switch startupJitter() {
        case .success(let seconds) where seconds > 0:
            let wait = seconds * min(max(context.random(), 0), 1)
            logger.info("waiting \(APICallCounter.seconds(wait)) s (random start-up jitter up to \(APICallCounter.seconds(seconds)) s)")
            context.time.sleep(seconds: wait)
        case .success:
            break
        case .failure(let error):
            logger.error("\(error)")
            return 64
        }

        let started = context.time.now()
        var report = PassReport(version: DNSReconcileVersion.current, startedAt: started, dryRun: mode != .run)
        var lock: PassLock?
        if mode != .plan || metrics != nil {
            let path = options.lockFile ?? loaded.main.run.lockFile ?? PassLock.defaultPath(environment: context.environment)
            do {
                lock = try PassLock(path: path)
            } catch where error.code == .lockHeld {
                // The holder writes the metrics file; writing it here would race with it.
                logger.error("\(error)")
                return 75
            } catch {
                logger.error("\(error)")
                report.clusters = selected.map { ClusterReport(name: $0.name, startedAt: started, errors: [error]) }
                return finish(report, metrics: metrics, keep: keep)
            }
        }
        defer { lock?.release() }

        let counter = APICallCounter(logger: logger)
        let budget = options.deadline?.seconds ?? loaded.main.run.deadline
        let pool = ProviderPool(environment: context.environment, homeDirectory: context.homeDirectory, time: context.time,
                                factory: context.providerFactory ?? ProviderPool.route53(
                                    time: context.time, observer: counter, deadline: started + budget,
                                    requestTimeout: loaded.main.run.requestTimeout))
        let passMode: Pass.Mode = switch mode {
        case .run: .apply
        case .dryRun: .dryRun
        case .plan: .plan
        }
        let pass = Pass(mode: passMode, force: options.force, deadline: started + budget, time: context.time, logger: logger)
        // Built first and run together, so the pass can coordinate the clusters (shared listings,
        // routing switches at a shared name); skipped clusters keep their place in the report.
        var setups: [ClusterSetup] = []
        var places: [Int] = []
        for file in selected {
            var log = logger
            log[metadataKey: "cluster"] = .string(file.name)
            for warning in file.warnings { log.warning("\(warning)") }
            let setup: ClusterSetup
            switch file.result {
            case .failure(let failure):
                skip(file, errors: failure.errors, into: &report, log: log)
                continue
            case .success(let cluster):
                do {
                    setup = try PluginTable.setup(for: cluster, pool: pool)
                } catch {
                    skip(file, errors: [error], into: &report, log: log)
                    continue
                }
            }
            places.append(report.clusters.count)
            report.clusters.append(ClusterReport(name: setup.name, startedAt: started))
            setups.append(setup)
        }
        for (place, ran) in zip(places, pass.run(setups)) { report.clusters[place] = ran }
        report.apiRequests = counter.requests
        report.apiRetries = counter.retries

        if mode != .run {
            context.print(options.output == .json ? PlanRenderer().json(report) : PlanRenderer().text(report))
        }
        return finish(report, metrics: metrics, keep: keep)
    }

    /// The most the start-up wait may be: `--jitter`, else `DNSRECONCILE_JITTER`, else 0.
    private func startupJitter() -> Result<Double, DNSReconcileError> {
        if let jitter = options.jitter { return .success(jitter.seconds) }
        guard let text = context.environment["DNSRECONCILE_JITTER"], !text.isEmpty else { return .success(0) }
        guard let jitter = JitterArgument(argument: text) else {
            return .failure(DNSReconcileError(
                .usage, "DNSRECONCILE_JITTER='\(text)' is not a duration; write e.g. 30s or 5m (0 for none)"))
        }
        return .success(jitter.seconds)
    }

    /// A cluster whose configuration (or plugins) cannot be used: failed, the others go on.
    private func skip(_ file: ClusterFile, errors: [DNSReconcileError], into report: inout PassReport, log: Logger) {
        for error in errors { log.error("\(error)") }
        log.error("cluster \(file.name) skipped: \(file.path) has errors")
        report.clusters.append(ClusterReport(name: file.name, startedAt: context.time.now(), errors: errors))
    }

    /// Writes the metrics file (when there is a directory) and turns the report into the status.
    private func finish(_ report: PassReport, metrics: MetricsFile?, keep: Set<String>) -> Int32 {
        var status = report.exitStatus
        if let metrics {
            do {
                try metrics.write(report, keepClusters: keep)
                logger.debug("metrics written to \(metrics.path)")
            } catch {
                logger.error("\(error)")
                if status == 0 { status = 1 }
            }
        }
        return status
    }
}
