import ArgumentParser

/// `dnsreconcile`: one reconcile pass from Kubernetes (and static endpoints) to Route53, then exit.
public struct DNSReconcileCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dnsreconcile",
        abstract: "Reconcile DNS endpoints of Kubernetes clusters into Route53 in one pass, then exit.",
        discussion: """
            Exit status: 0 every cluster reconciled (or plan printed); 1 a cluster failed; 2 a plan \
            exceeded the safety limits and was not applied (use --force); 64 usage error or invalid \
            main config (check-config: any invalid file); 75 another pass holds the lock.
            """,
        version: "dnsreconcile \(DNSReconcileVersion.current)",
        subcommands: [RunCommand.self, PlanCommand.self, CheckConfigCommand.self, ProbeCommand.self, VersionCommand.self],
        defaultSubcommand: RunCommand.self)

    public init() {}
}
