/// Which kinds of change a cluster may make (`[provider "route53"] policy`), as ExternalDNS's
/// `--policy`.
///
/// Each policy is a filter over the planned changes: what it refuses becomes a `.policy` notice,
/// so the plan still says what would have happened.
public enum Policy: String, Hashable, Sendable, CaseIterable {
    /// Create, update and delete.
    case sync
    /// Create and update; never delete, so a change that needs a delete (a replacement) is
    /// refused too.
    case upsertOnly = "upsert-only"
    /// Create only.
    case createOnly = "create-only"

    /// Splits `changes` into those this policy allows and notices for the refused ones.
    public func filter(_ changes: [PlannedChange]) -> (kept: [PlannedChange], refused: [PlanNotice]) {
        // The usual case refuses nothing: the plan itself, not a second array of it.
        guard changes.contains(where: { refusal(of: $0) != nil }) else { return (changes, []) }
        var kept: [PlannedChange] = []
        var refused: [PlanNotice] = []
        for change in changes {
            if let why = refusal(of: change) {
                refused.append(PlanNotice(kind: .policy, key: change.key, message: why))
            } else {
                kept.append(change)
            }
        }
        return (kept, refused)
    }

    /// Why this policy refuses `change`, or nil when it allows it.
    func refusal(of change: PlannedChange) -> String? {
        let needsDelete = change.changes.contains { $0.action == .delete }
        switch (self, change.action) {
        case (.sync, _), (.upsertOnly, .create), (.createOnly, .create):
            // A create never carries a DELETE: the deletes it relies on are separate changes,
            // checked by the planner once the policy has run.
            return nil
        case (.upsertOnly, .delete), (.createOnly, .delete):
            return "not deleted: policy \(rawValue) never deletes"
        case (.upsertOnly, .update):
            guard needsDelete else { return nil }
            let why = change.reason.map { " (\($0))" } ?? ""
            return "not replaced: the change needs a delete\(why), which policy \(rawValue) never makes"
        case (.createOnly, .update):
            let why = change.reason.map { " (\($0))" } ?? ""
            return "not updated\(why): policy \(rawValue) never updates"
        }
    }
}
