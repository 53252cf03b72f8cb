import ArgumentParser

/// `dnsreconcile plan`: print the plan, change nothing.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Compute and print the plan; change nothing.")

    @OptionGroup var config: ConfigOptions
    @OptionGroup var pass: PassOptions
    @OptionGroup var log: LogOptions

    func run() throws {
        let context = ProcessContext.live()
        let status = PassInvocation(mode: .plan, config: config, options: pass, context: context,
                                    logger: log.makeLogger(environment: context.environment)).execute()
        if status != 0 { throw ExitCode(status) }
    }
}
