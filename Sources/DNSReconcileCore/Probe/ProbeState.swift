/// How one probe round counts for failover drills.
public enum ProbeState: String, Hashable, Sendable, CaseIterable {
    /// A status the user counts as serving.
    case up
    /// No answer (DNS or connection failure, timeout) or a status counted as down.
    case down
    /// A status in neither `--up-code` nor `--down-code` (only when both are given): it neither
    /// opens nor closes a down window.
    case neutral
}
