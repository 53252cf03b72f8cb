import DNSReconcileCore

/// The textfile-collector file: `<directory>/<fileName>`, replaced atomically on every pass.
struct MetricsFile {
    let directory: String
    let fileName: String

    var path: String { directory + "/" + fileName }

    /// Hidden and not ending in `.prom`: node_exporter ignores it while it is being written.
    var temporaryPath: String { directory + "/." + fileName + ".tmp" }

    /// The previous pass's file, or "" when there is none.
    func previous() -> String { FileSystem.readText(path) ?? "" }

    func write(_ report: PassReport, keepClusters: Set<String>) throws(DNSReconcileError) {
        try FileSystem.createDirectories(directory)
        let text = MetricsRenderer().render(report, previous: previous(), keepClusters: keepClusters)
        try FileSystem.writeAtomically(text, to: path, temporaryPath: temporaryPath)
    }
}
