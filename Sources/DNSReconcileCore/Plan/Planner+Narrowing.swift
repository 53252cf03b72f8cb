/// The record sets a plan reads in a zone: what another owner keeps at a name no endpoint of
/// this owner wants is never changed and never blocks a change, so a zone shared with many
/// owners costs the plan what this owner uses, not what the zone holds (`Planner.namesInPlay`).
///
/// Covered by name, every record set and ownership TXT at: the endpoints' names and the names of
/// their companions (each naming scheme the registry reads), the held names, and the names of
/// this owner's sets and of the companions they list. Covered wherever it is: every set that
/// references a health check (a check of this owner that nothing references is deleted after
/// the batches).
///
/// Every name a change is written to is one of these, with all its sets, so a batch is judged
/// on them as on the whole listing (`BatchValidator`). Names are compared by hash: two names of
/// one hash count as one, which only covers more.
public struct NamesInPlay: Sendable {
    private var hashes: Set<Int> = []

    init(capacity: Int) {
        hashes.reserveCapacity(capacity)
    }

    mutating func insert(_ name: DNSName) {
        hashes.insert(name.hashValue)
    }

    public func covers(_ recordSet: RecordSet) -> Bool {
        recordSet.healthCheckID != nil || hashes.contains(recordSet.name.hashValue)
    }
}

extension Planner {
    /// The names a plan for `desired` reads in a zone whose record sets have the owners of
    /// `records` (`NamesInPlay`).
    public func namesInPlay(desired: [Endpoint], held: Set<DNSName>, records: [OwnedRecordSet]) -> NamesInPlay {
        var names = NamesInPlay(capacity: desired.count * 4 + held.count)
        for name in held { names.insert(name) }
        for endpoint in desired {
            names.insert(endpoint.name)
            // An alias may become an A and an AAAA set (`Endpoint.expandingAliases`).
            let types = endpoint.alias == nil ? [endpoint.type] : [endpoint.type, .a, .aaaa]
            for type in types {
                for companion in registry.companionNames(for: endpoint.name, type: type) { names.insert(companion) }
            }
        }
        for owned in records where owned.owner == .this {
            names.insert(owned.record.name)
            for companion in owned.companions { names.insert(companion.name) }
        }
        return names
    }
}

extension ZoneInventory {
    /// The inventory of the sets of `records` and `registryTXTs` that `names` covers, in the
    /// same order, with the owners the registry found on the whole listing.
    public init(zone: HostedZone, records: [OwnedRecordSet], registryTXTs: [RecordSet], keeping names: NamesInPlay) {
        self.init(zone: zone, records: records.filter { names.covers($0.record) },
                  registryTXTs: registryTXTs.filter(names.covers))
    }
}
