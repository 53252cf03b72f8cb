/// Decides, from a fresh listing, whether a ChangeResourceRecordSets batch whose answer was lost
/// (a timeout or a reset after the request was sent) was applied.
///
/// Route53 applies a batch atomically, so the zone shows either the state before the batch or
/// the state after it, unless someone else changed those names in between. Resending a batch
/// that was applied fails (CREATE "already exists", DELETE "not found") and, resent again on the
/// next pass, would fail forever; not resending one that was not applied loses the change until
/// the next pass. Comparing both states against the listing tells the two apart:
///
/// | key's changes in the batch | after (applied)            | before (not applied)        |
/// |----------------------------|----------------------------|-----------------------------|
/// | last is CREATE or UPSERT   | the set, as sent           | —                           |
/// | last is DELETE             | no set with that key       | —                           |
/// | first is DELETE            | —                          | the set, as sent            |
/// | first is CREATE            | —                          | no set with that key        |
/// | first is UPSERT            | —                          | anything (UPSERT is idempotent) |
///
/// When the "after" column holds for every key the batch was applied; when the "before" column
/// holds for every key it was not and may be resent; anything else is inconclusive and the
/// batch must not be resent (the next pass re-reads the zone and plans again).
public enum ChangeBatchCheck {
    public enum Outcome: Hashable, Sendable {
        case applied
        case notApplied
        /// Neither state: names the first record set that matches neither.
        case inconclusive(String)
    }

    /// - Parameter current: the zone's record sets as listed now; at least every set at the
    ///   names of `changes` (more is fine).
    public static func outcome(of changes: [Change], current: [RecordSet]) -> Outcome {
        var first: [RecordKey: Change] = [:]
        var last: [RecordKey: Change] = [:]
        var order: [RecordKey] = []
        for change in changes {
            let key = change.recordSet.key
            if first[key] == nil {
                first[key] = change
                order.append(key)
            }
            last[key] = change
        }
        var listed: [RecordKey: RecordSet] = [:]
        for recordSet in current { listed[recordSet.key] = recordSet }

        func matches(_ change: Change, _ present: RecordSet?) -> Bool {
            guard let present else { return false }
            return present.sameContent(as: change.recordSet, compareTTL: change.recordSet.alias == nil)
        }

        var applied = true
        var untouched = true
        var culprit: RecordKey?
        var firstNotAfter: RecordKey?
        for key in order {
            let present = listed[key]
            let after: Bool = switch last[key]!.action {
            case .create, .upsert: matches(last[key]!, present)
            case .delete: present == nil
            }
            let before: Bool = switch first[key]!.action {
            case .delete: matches(first[key]!, present)
            case .create: present == nil
            case .upsert: true
            }
            applied = applied && after
            untouched = untouched && before
            if !after && !before && culprit == nil { culprit = key }
            if !after && firstNotAfter == nil { firstNotAfter = key }
        }
        if applied { return .applied }
        if untouched { return .notApplied }
        // A set in neither state says most; else the batch looks half applied, and the first
        // set still missing its change is named.
        let key = culprit ?? firstNotAfter ?? order[0]
        var text = "\(key.type) \(key.name.value)"
        if let identifier = key.setIdentifier { text += " [\(identifier)]" }
        return .inconclusive(text)
    }
}
