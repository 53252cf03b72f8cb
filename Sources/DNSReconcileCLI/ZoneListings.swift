import DNSReconcileCore

/// The record sets a pass has read, per account and zone, with what of each zone they cover.
///
/// A zone is read at most once per pass: what a later cluster needs beyond what was read (another
/// subtree, a companion name) is read on top, never the whole zone again. Applied batches are
/// replayed on the cache, so a later cluster plans against what is there now.
final class ZoneListings {
    private struct Entry {
        var records: [RecordSet] = []
        var read: ListingScope = .nothing
        var failure: DNSReconcileError?
        /// Applied batches not yet replayed on `records`: replayed in one pass when the zone is
        /// read again, so a pass that writes 50,000 sets in 173 batches and never reads the zone
        /// again does not rewrite the cache 173 times.
        var pending: [Change] = []
    }

    private var entries: [String: Entry] = [:]

    /// What has been read of `zone` for `account` so far (nothing when it has not been read).
    func scope(of zone: HostedZone, account: String) -> ListingScope {
        entries[account + "|" + zone.id]?.read ?? .nothing
    }

    /// The record sets of `zone` within `scope`, reading from `provider` only what the cache does
    /// not cover yet: the whole zone in one listing, else one listing per subtree and one per
    /// single name. A failure is kept, so later clusters see it without asking again.
    func records(in zone: HostedZone, account: String, scope: ListingScope,
                 provider: DNSProvider) -> Result<[RecordSet], DNSReconcileError> {
        let key = account + "|" + zone.id
        // Taken out of the dictionary while it changes, so the record array is not copied.
        var entry = entries.removeValue(forKey: key) ?? Entry()
        defer { entries[key] = entry }
        if let failure = entry.failure { return .failure(failure) }
        ZoneListings.replay(&entry)
        let missing = scope.subtracting(entry.read)
        if !missing.isEmpty {
            do {
                try read(missing, of: zone, from: provider, into: &entry)
            } catch {
                entry.failure = error
                return .failure(error)
            }
            entry.read = entry.read.union(missing)
        }
        if scope.isWholeZone || scope.covers(entry.read) { return .success(entry.records) }
        return .success(entry.records.filter { scope.contains($0.name) })
    }

    private func read(_ missing: ListingScope, of zone: HostedZone, from provider: DNSProvider,
                      into entry: inout Entry) throws(DNSReconcileError) {
        var listed: [RecordSet] = []
        if missing.isWholeZone {
            listed = try provider.listRecordSets(in: zone, subtree: nil)
        } else {
            for root in missing.subtrees { listed += try provider.listRecordSets(in: zone, subtree: root) }
            // A single name is read as the subtree at it; what lies below is not part of it.
            for name in missing.names {
                listed += try provider.listRecordSets(in: zone, subtree: name).filter { $0.name == name }
            }
        }
        // Parts are disjoint on Route53; a provider that answers more than asked must still not
        // produce duplicates. What was read before and is read again (a subtree around an
        // earlier name) is replaced by the newer copy.
        let partCount = (missing.isWholeZone ? 1 : 0) + missing.subtrees.count + missing.names.count
        if partCount > 1 || !entry.records.isEmpty {
            var seen: Set<RecordKey> = []
            listed = listed.reversed().filter { seen.insert($0.key).inserted }.reversed()
            if !entry.records.isEmpty { entry.records.removeAll { seen.contains($0.key) } }
        }
        entry.records += listed
    }

    /// Forgets what was read of `zone`: for a zone no other cluster of the pass uses, so its
    /// record sets are not held twice (here and in the registry's inventory) while planning.
    func release(_ zone: HostedZone, account: String) {
        entries[account + "|" + zone.id] = nil
    }

    /// Notes an applied batch for the cached listing of `zone`; it is replayed (deletes first,
    /// as Route53 applies them) before the zone is read again.
    func apply(_ changes: [Change], in zone: HostedZone, account: String) {
        let key = account + "|" + zone.id
        guard entries[key]?.failure == nil, !changes.isEmpty, entries[key] != nil else { return }
        entries[key]!.pending += changes.sorted { $0.action < $1.action }
    }

    /// Replays the pending changes on the records, in one pass over them.
    private static func replay(_ entry: inout Entry) {
        guard !entry.pending.isEmpty else { return }
        var written: [RecordKey: RecordSet?] = [:]
        var order: [RecordKey] = []
        for change in entry.pending {
            let key = change.recordSet.key
            if written.updateValue(change.action == .delete ? nil : change.recordSet, forKey: key) == nil { order.append(key) }
        }
        entry.pending = []
        entry.records.removeAll { written[$0.key] != nil }
        for key in order { if let set = written[key] ?? nil { entry.records.append(set) } }
    }
}
