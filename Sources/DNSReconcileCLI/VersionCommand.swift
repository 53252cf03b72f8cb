import ArgumentParser

/// `dnsreconcile version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        ProcessContext.writeStandardOutput("dnsreconcile \(DNSReconcileVersion.current)\n")
    }
}
