/// The outcome of a safety check.
public enum SafetyVerdict: Hashable, Sendable {
    case ok
    /// The plan exceeds a limit; the message says by how much and how to apply it anyway.
    case exceeded(String)
}
