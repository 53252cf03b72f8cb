/// The `[safety]` limits: how much of what a cluster owns in a zone one pass may delete or update
/// before it needs `--force`.
///
/// Guards against a source that suddenly returns nothing (an empty namespace, a broken
/// kubeconfig context) wiping a zone. Small zones are exempt: deleting 2 of 3 records is normal.
public struct SafetyLimits: Hashable, Sendable {
    public var maxDeletePercent: Double
    public var maxUpdatePercent: Double
    /// Below this many owned records the percentages do not apply.
    public var minExistingRecords: Int

    public init(maxDeletePercent: Double = 30, maxUpdatePercent: Double = 30, minExistingRecords: Int = 10) {
        self.maxDeletePercent = maxDeletePercent
        self.maxUpdatePercent = maxUpdatePercent
        self.minExistingRecords = minExistingRecords
    }

    /// Judges `plan` against the limits. `ownedCount` is the number of record sets this owner has
    /// in the zone; `ownerID` only names the owner in the message.
    ///
    /// A change that only rewrites an ownership record (the record itself is unchanged) is not
    /// counted as an update: migrating legacy companions must not need `--force`.
    public func check(_ plan: ZonePlan, ownedCount: Int, ownerID: String? = nil) -> SafetyVerdict {
        guard ownedCount > 0, ownedCount >= minExistingRecords else { return .ok }
        let deletes = plan.count(.delete)
        let updates = plan.changes.filter { $0.action == .update && $0.old != $0.new }.count
        let owner = ownerID.map { "owned by \($0)" } ?? "owned by this cluster"
        var problems: [String] = []
        for (verb, count, limit) in [("delete", deletes, maxDeletePercent), ("update", updates, maxUpdatePercent)] {
            let percent = Double(count) * 100 / Double(ownedCount)
            if percent > limit {
                problems.append("would \(verb) \(count) of \(ownedCount) records \(owner) in \(plan.zone.name)"
                                + " (\(SafetyLimits.format(percent))% > \(SafetyLimits.format(limit))%)")
            }
        }
        guard !problems.isEmpty else { return .ok }
        return .exceeded(problems.joined(separator: "; ") + "; run with --force to apply")
    }

    /// `60`, `33.3`: whole numbers without a fraction, others to one decimal.
    static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int(tenths / 10)) }
        return String(Int(tenths) / 10) + "." + String(abs(Int(tenths)) % 10)
    }
}
