extension PlannedChange {
    /// The reason when it says more than the action itself ("new" for a create, "no longer
    /// desired" for a delete add nothing to a `+` or `-` row); nil otherwise.
    public var notableReason: String? {
        guard let reason, !reason.isEmpty else { return nil }
        switch (action, reason) {
        case (.create, "new"), (.delete, "no longer desired"): return nil
        default: return reason
        }
    }
}
