/// Halves a batch that Route53 rejected, so the bad changes can be isolated and the rest applied
/// (ExternalDNS #1517: one bad record must not block every other change of the zone).
///
/// Route53 rejects a whole batch (`InvalidChangeBatch`, `InvalidInput`) for one bad change and
/// names it only in prose. Sending each half again finds the bad groups in about
/// `2 × bad × log2(groups)` requests instead of one request per group, and a batch with one bad
/// group still gets its good half through in one request.
///
/// The unit is the same group the `Batcher` keeps together: every planned change of one name
/// (the record set, its ownership companion, the other set identifiers of the name). Halves are
/// cut only between groups, so a record never travels without its companion and a routing group
/// is never applied in part.
public enum BatchSplitter {
    /// The groups of `batch`, in the batch's order of first appearance.
    ///
    /// Changes are grouped by planned name, and two groups that touch a common name through
    /// their Change elements (a companion name that is another change's record name) are merged,
    /// so nothing that Route53 must see together can end up in different halves.
    public static func groups(of batch: [PlannedChange]) -> [[PlannedChange]] {
        var parent: [DNSName: DNSName] = [:]
        func root(_ name: DNSName) -> DNSName {
            var current = name
            while let next = parent[current], next != current { current = next }
            return current
        }
        func union(_ a: DNSName, _ b: DNSName) {
            let (ra, rb) = (root(a), root(b))
            if ra != rb { parent[rb] = ra }
        }
        for change in batch {
            if parent[change.key.name] == nil { parent[change.key.name] = change.key.name }
            for element in change.changes {
                if parent[element.recordSet.name] == nil { parent[element.recordSet.name] = element.recordSet.name }
                union(change.key.name, element.recordSet.name)
            }
        }
        var order: [DNSName] = []
        var byRoot: [DNSName: [PlannedChange]] = [:]
        for change in batch {
            let group = root(change.key.name)
            if byRoot[group] == nil { order.append(group) }
            byRoot[group, default: []].append(change)
        }
        return order.map { byRoot[$0]! }
    }

    /// The two halves of `batch` (by group count, the first half taking the smaller share), or nil
    /// when the batch is a single group and cannot be split: that group is the bad one.
    public static func halves(of batch: [PlannedChange]) -> (first: [PlannedChange], second: [PlannedChange])? {
        let groups = groups(of: batch)
        guard groups.count > 1 else { return nil }
        let cut = groups.count / 2
        return (groups[..<cut].flatMap { $0 }, groups[cut...].flatMap { $0 })
    }
}
