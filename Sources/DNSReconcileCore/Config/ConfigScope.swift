/// Which files a section or key may appear in.
public enum ConfigScope: String, Hashable, Sendable {
    /// The main file (as a default) and the cluster files.
    case any
    /// Only the main file (`[metrics]`, `[run]`).
    case mainOnly = "main-only"
    /// Only a cluster file (`[endpoint]`, `[cluster] name`).
    case clusterOnly = "cluster-only"
}
