import ArgumentParser

/// `dnsreconcile check-config`: validate every file, contact nothing.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Parse and validate every config file; no network.")

    @OptionGroup var config: ConfigOptions
    @OptionGroup var log: LogOptions

    func run() throws {
        let context = ProcessContext.live()
        let status = ConfigCheck(config: config, context: context,
                                 logger: log.makeLogger(environment: context.environment)).execute()
        if status != 0 { throw ExitCode(status) }
    }
}
