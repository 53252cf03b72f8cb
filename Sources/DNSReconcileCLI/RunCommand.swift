import ArgumentParser

/// `dnsreconcile [run]`: apply the plan.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Compute the plan and apply it.")

    @OptionGroup var config: ConfigOptions
    @Flag(help: "Compute, log and meter the plan, print it, but change nothing.")
    var dryRun = false
    @OptionGroup var pass: PassOptions
    @OptionGroup var log: LogOptions

    func run() throws {
        let context = ProcessContext.live()
        let status = PassInvocation(mode: dryRun ? .dryRun : .run, config: config, options: pass, context: context,
                                    logger: log.makeLogger(environment: context.environment)).execute()
        if status != 0 { throw ExitCode(status) }
    }
}
